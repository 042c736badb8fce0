// Routing as rendered: for every pod ordinal up to the most pods that can
// exist, the route /<pod-name> reaches Service <pod-name>, which selects that
// pod and no other; / reaches the main Service; and the address each pod
// announces (computed by the server's own config module) is that route.
import assert from "node:assert/strict";
import { loadConfig } from "../../rooms/server/config.ts";
import {
  ciValuesFile, containerEnv, matchRoute, maxPods, named, ofKind, podLabels, renderChart, renderedRoutes,
  selects, serverContainer, serverStatefulSet, type HTTPRoute, type K8sObject, type Service,
} from "./render.ts";

// Secrets the CI values reference but do not create, as an operator would have made them.
const existingSecrets = { "roomservice-redis": { password: "s3cret" } };

interface Case { file: string; set?: Record<string, string>; source: "Ingress" | "HTTPRoute"; expectedMax: number }
const cases: Case[] = [
  { file: "autoscaling", source: "Ingress", expectedMax: 12 },
  { file: "bundled-redis", source: "Ingress", expectedMax: 3 },
  { file: "network-policy", source: "Ingress", expectedMax: 2 },
  { file: "gateway", source: "HTTPRoute", expectedMax: 20 },
  { file: "autoscaling", set: { "ingress.enabled": "false", "gateway.enabled": "true", "gateway.parentRefs[0].name": "public" }, source: "HTTPRoute", expectedMax: 12 },
];

function describeCase(c: Case): string {
  return `ci/${c.file}-values.yaml${c.set ? ` with ${Object.entries(c.set).map(([k, v]) => `${k}=${v}`).join(" ")}` : ""} (${c.source})`;
}

function servicesSelecting(objects: readonly K8sObject[], labels: Record<string, string>): string[] {
  return ofKind<Service>(objects, "Service").filter((s) => selects(s.spec.selector, labels)).map((s) => s.metadata.name);
}

describe("routing to pods", () => {
  for (const c of cases) {
    describe(describeCase(c), () => {
      const objects = (): K8sObject[] => renderChart([ciValuesFile(c.file)], c.set);

      it("renders routes of the expected kind for the most pods that can exist", () => {
        const sts = serverStatefulSet(objects());
        assert.equal(maxPods(objects(), sts), c.expectedMax);
        assert.ok(renderedRoutes(objects()).every((r) => r.source === c.source));
      });

      it("sends /<pod-name>/<processId>/<roomId> to a Service that selects only that pod, for every ordinal", () => {
        const sts = serverStatefulSet(objects());
        const routes = renderedRoutes(objects());
        for (let ordinal = 0; ordinal < c.expectedMax; ordinal++) {
          const podName = `${sts.metadata.name}-${ordinal}`;
          const route = matchRoute(routes, `/${podName}/aBcD1234/rOoM5678`);
          assert.ok(route, `no route for ${podName}`);
          assert.equal(route.prefix, `/${podName}`);
          assert.equal(route.serviceName, podName);
          const service = named<Service>(objects(), "Service", route.serviceName);
          // Check against one pod past the maximum as well: a selector matching it would not be per-pod.
          for (let other = 0; other <= c.expectedMax; other++) {
            assert.equal(selects(service.spec.selector, podLabels(sts, other)), other === ordinal,
              `Service ${service.metadata.name} ${other === ordinal ? "misses" : "also selects"} pod ${sts.metadata.name}-${other}`);
          }
          // Draining pods keep their live games reachable through their own route.
          assert.equal(service.spec.publishNotReadyAddresses, true);
          assert.ok(service.spec.ports.some((p) => p.port === route.servicePort || p.name === route.servicePort));
        }
      });

      it("sends matchmaking, the web client, health and metrics to the main Service of ready pods", () => {
        const sts = serverStatefulSet(objects());
        const routes = renderedRoutes(objects());
        const name = sts.metadata.name;
        for (const path of ["/", "/matchmake/joinOrCreate/snek", "/index.html", "/healthz", "/metrics", `/${name}-`, `/${name}-${c.expectedMax}/p/r`]) {
          const route = matchRoute(routes, path);
          assert.ok(route, `no route for ${path}`);
          assert.equal(route.serviceName, sts.metadata.name, `${path} went to ${route.serviceName}`);
        }
        const main = named<Service>(objects(), "Service", sts.metadata.name);
        for (let ordinal = 0; ordinal <= c.expectedMax; ordinal++) assert.ok(selects(main.spec.selector, podLabels(sts, ordinal)));
        assert.notEqual(main.spec.publishNotReadyAddresses, true);
      });

      if (c.expectedMax > 10) {
        it("keeps /<name>-1 and /<name>-10 apart (prefixes match whole path elements)", () => {
          const sts = serverStatefulSet(objects());
          const routes = renderedRoutes(objects());
          assert.equal(matchRoute(routes, `/${sts.metadata.name}-10/p/r`)?.serviceName, `${sts.metadata.name}-10`);
          assert.equal(matchRoute(routes, `/${sts.metadata.name}-1/p/r`)?.serviceName, `${sts.metadata.name}-1`);
        });
      }

      it("has each pod announce, through the server's own config, the address its route serves", () => {
        const sts = serverStatefulSet(objects());
        const container = serverContainer(sts);
        const routes = renderedRoutes(objects());
        const hosts = new Set(routes.map((r) => r.host));
        assert.equal(hosts.size, 1);
        const [host] = hosts;
        for (let ordinal = 0; ordinal < c.expectedMax; ordinal++) {
          const podName = `${sts.metadata.name}-${ordinal}`;
          const env = containerEnv(container, { podName, namespace: "default", objects: objects(), secrets: existingSecrets });
          const config = loadConfig(env);
          assert.equal(config.replicaName, podName);
          assert.ok(config.publicAddress, "no public address");
          const [hostPort = "", ...path] = config.publicAddress.split("/");
          assert.equal(hostPort.replace(/:\d+$/, ""), host, "announced host differs from the routed host");
          const route = matchRoute(routes, `/${path.join("/")}/processId/roomId`);
          assert.equal(route?.serviceName, podName, `${config.publicAddress} is not routed to ${podName}`);
        }
      });

      if (c.source === "HTTPRoute") {
        it("keeps every HTTPRoute within the Gateway API's 16 rules, all on the same parents and hostnames", () => {
          const httpRoutes = ofKind<HTTPRoute>(objects(), "HTTPRoute");
          assert.ok(httpRoutes.length >= 2);
          for (const route of httpRoutes) {
            assert.ok(route.spec.rules.length <= 16, `${route.metadata.name} has ${route.spec.rules.length} rules`);
            assert.deepEqual(route.spec["parentRefs"], httpRoutes[0]?.spec["parentRefs"]);
            assert.deepEqual(route.spec.hostnames, ["games.example.com"]);
          }
        });
      }
    });
  }

  it("renders one per-pod Service per ordinal below the HPA maximum, and none beyond", () => {
    const objects = renderChart([ciValuesFile("autoscaling")], { "autoscaling.maxReplicas": "5" });
    const sts = serverStatefulSet(objects);
    const perPod = ofKind<Service>(objects, "Service").filter((s) => s.spec.selector?.["statefulset.kubernetes.io/pod-name"]);
    assert.deepEqual(perPod.map((s) => s.metadata.name).sort(), [0, 1, 2, 3, 4].map((i) => `${sts.metadata.name}-${i}`));
    assert.deepEqual(servicesSelecting(objects, podLabels(sts, 5)).sort(), [`${sts.metadata.name}`, `${sts.metadata.name}-headless`]);
  });

  it("uses the release name in pod names and routes", () => {
    const objects = renderChart([ciValuesFile("bundled-redis")], undefined, { release: "arcade" });
    const routes = renderedRoutes(objects);
    assert.equal(matchRoute(routes, "/arcade-roomservice-2/p/r")?.serviceName, "arcade-roomservice-2");
  });

  it("routes any host when public.host is empty (a single replica without Redis)", () => {
    const routes = renderedRoutes(renderChart([ciValuesFile("default")], { "ingress.enabled": "true" }));
    assert.deepEqual(routes.map((r) => [r.host, r.prefix, r.serviceName]), [
      [undefined, "/", "roomservice"],
      [undefined, "/roomservice-0", "roomservice-0"],
    ]);
  });
});
