// NetworkPolicies, the ServiceMonitor, the Grafana dashboard, the helm test
// pod and NOTES.txt, read from what the chart renders.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { registry } from "../../rooms/kit/metrics.ts";
import {
  chartDir, ciValuesFile, ofKind, renderChart, repoRoot, runHelm, selects, serverContainer, serverStatefulSet, valuesArgs,
  type K8sObject, type PodSpec, type Service,
} from "./render.ts";

interface Peer {
  namespaceSelector?: { matchLabels: Record<string, string> };
  podSelector?: { matchLabels: Record<string, string> };
  ipBlock?: { cidr: string };
}
interface Port { port: number | string; endPort?: number; protocol: string }
interface NetworkPolicy extends K8sObject {
  spec: {
    podSelector: { matchLabels: Record<string, string> };
    policyTypes: string[];
    ingress?: { from?: Peer[]; ports?: Port[] }[];
    egress?: { to?: Peer[]; ports?: Port[] }[];
  };
}
type Workload = K8sObject & { spec: { template: { metadata: { labels: Record<string, string> }; spec: PodSpec } } };

function policySelecting(objects: readonly K8sObject[], labels: Record<string, string>): NetworkPolicy {
  const matching = ofKind<NetworkPolicy>(objects, "NetworkPolicy").filter((p) => selects(p.spec.podSelector.matchLabels, labels));
  assert.equal(matching.length, 1, `expected one NetworkPolicy for ${JSON.stringify(labels)}, got ${matching.length}`);
  return matching[0] as NetworkPolicy;
}

function notes(valuesFile: string, set: Record<string, string> = {}): string {
  const result = runHelm(["install", "rs", chartDir, "--dry-run=client", "--namespace", "games", ...valuesArgs([ciValuesFile(valuesFile)], set)]);
  assert.equal(result.status, 0, result.stderr);
  const at = result.stdout.indexOf("NOTES:");
  assert.ok(at >= 0, "no NOTES in the output");
  return result.stdout.slice(at);
}

describe("network policy", () => {
  it("admits only the ingress controller and Prometheus, and only to the server port", () => {
    const objects = renderChart([ciValuesFile("network-policy")]);
    const policy = policySelecting(objects, serverStatefulSet(objects).spec.template.metadata.labels);
    assert.deepEqual(policy.spec.policyTypes, ["Ingress", "Egress"]);
    assert.deepEqual(policy.spec.ingress, [
      {
        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "ingress-nginx" } } }],
        ports: [{ port: "http", protocol: "TCP" }],
      },
      {
        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } } }],
        ports: [{ port: "http", protocol: "TCP" }],
      },
    ]);
  });

  it("lets the server reach only DNS and the external Redis, on the port of its URL", () => {
    const objects = renderChart([ciValuesFile("network-policy")]);
    const policy = policySelecting(objects, serverStatefulSet(objects).spec.template.metadata.labels);
    assert.deepEqual(policy.spec.egress, [
      {
        to: [
          { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } },
          { ipBlock: { cidr: "169.254.20.10/32" } },
          { ipBlock: { cidr: "169.254.169.254/32" } },
        ],
        ports: [{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }],
      },
      { to: [{ ipBlock: { cidr: "10.20.0.0/16" } }], ports: [{ port: 6380, protocol: "TCP" }] },
    ]);
  });

  it("with the bundled Redis, lets only server pods reach it and nothing else", () => {
    const objects = renderChart([ciValuesFile("bundled-redis")]);
    const serverLabels = serverStatefulSet(objects).spec.template.metadata.labels;
    const redis = ofKind<Workload>(objects, "Deployment")[0];
    assert.ok(redis);
    const redisLabels = redis.spec.template.metadata.labels;

    const serverPolicy = policySelecting(objects, serverLabels);
    const redisEgress = serverPolicy.spec.egress?.[1];
    assert.ok(selects(redisEgress?.to?.[0]?.podSelector?.matchLabels, redisLabels));
    assert.deepEqual(redisEgress?.ports, [{ port: 6379, protocol: "TCP" }]);

    const redisPolicy = policySelecting(objects, redisLabels);
    assert.deepEqual(redisPolicy.spec.policyTypes, ["Ingress", "Egress"]);
    assert.equal(redisPolicy.spec.egress, undefined);
    assert.equal(redisPolicy.spec.ingress?.length, 1);
    const from = redisPolicy.spec.ingress?.[0]?.from?.[0]?.podSelector?.matchLabels;
    assert.ok(selects(from, serverLabels));
    assert.ok(!selects(from, redisLabels));
    assert.deepEqual(redisPolicy.spec.ingress?.[0]?.ports, [{ port: 6379, protocol: "TCP" }]);
  });

  it("admits the configured load-balancer peers to the server port, and no ingress namespace when it is empty", () => {
    const objects = renderChart([ciValuesFile("network-policy")], {
      "networkPolicy.ingressController.namespace": "",
      "networkPolicy.loadBalancerPeers[0].ipBlock.cidr": "35.191.0.0/16",
      "networkPolicy.loadBalancerPeers[1].namespaceSelector.matchLabels.gateway": "public",
    });
    const policy = policySelecting(objects, serverStatefulSet(objects).spec.template.metadata.labels);
    const from = (policy.spec.ingress ?? []).map((rule) => rule.from);
    assert.deepEqual(from, [
      [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } } }],
      [{ ipBlock: { cidr: "35.191.0.0/16" } }, { namespaceSelector: { matchLabels: { gateway: "public" } } }],
    ]);
    assert.deepEqual(policy.spec.ingress?.[1]?.ports, [{ port: "http", protocol: "TCP" }]);
  });

  it("lets the server reach a Redis cluster's nodes on their extra ports", () => {
    const objects = renderChart([ciValuesFile("network-policy")], {
      "networkPolicy.externalRedisExtraPorts[0].port": "11000",
      "networkPolicy.externalRedisExtraPorts[0].endPort": "13047",
    });
    const policy = policySelecting(objects, serverStatefulSet(objects).spec.template.metadata.labels);
    const redis = policy.spec.egress?.find((rule) => rule.to?.some((peer) => peer.ipBlock?.cidr === "10.20.0.0/16"));
    assert.deepEqual(redis?.ports, [{ port: 6380, protocol: "TCP" }, { port: 11000, endPort: 13047, protocol: "TCP" }]);
  });

  it("renders no policy unless enabled", () => {
    assert.equal(ofKind(renderChart([ciValuesFile("autoscaling")]), "NetworkPolicy").length, 0);
  });
});

describe("metrics", () => {
  it("scrapes /metrics through the headless Service only, which keeps draining pods listed", () => {
    const objects = renderChart([ciValuesFile("network-policy")]);
    const [monitor] = ofKind(objects, "ServiceMonitor");
    assert.ok(monitor);
    assert.equal(monitor.metadata.labels?.["release"], "kube-prometheus-stack");
    const spec = monitor["spec"] as { selector: { matchLabels: Record<string, string> }; namespaceSelector: { matchNames: string[] }; endpoints: { port: string; path: string }[] };
    const scraped = ofKind<Service>(objects, "Service").filter((s) => selects(spec.selector.matchLabels, s.metadata.labels ?? {}));
    assert.deepEqual(scraped.map((s) => s.metadata.name), ["roomservice-headless"]);
    assert.equal(scraped[0]?.spec.publishNotReadyAddresses, true);
    assert.deepEqual(spec.namespaceSelector.matchNames, ["default"]);
    assert.deepEqual(spec.endpoints.map((e) => [e.port, e.path]), [["http", "/metrics"]]);
    assert.ok(scraped[0]?.spec.ports.some((p) => p.name === "http"));
  });

  it("ships a Grafana dashboard charting every roomservice metric the server registers, per pod", async () => {
    const objects = renderChart([ciValuesFile("network-policy")]);
    const dashboardMap = ofKind(objects, "ConfigMap").find((c) => c.metadata.labels?.["grafana_dashboard"] === "1");
    assert.ok(dashboardMap, "no ConfigMap carries the grafana_dashboard label");
    const json = (dashboardMap["data"] as Record<string, string>)["roomservice.json"];
    assert.ok(json);
    const dashboard = JSON.parse(json) as { uid: string; panels: { title: string; targets: { expr: string }[] }[] };
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
    assert.ok(exprs.every((e) => /by \(pod\b/.test(e)), "every panel breaks its series down by pod");

    const used = new Set(exprs.flatMap((e) => e.match(/\b(?:roomservice|process)_[a-z_]+/g) ?? []));
    const registered = new Set((await registry.getMetricsAsJSON()).map((m) => m.name));
    for (const name of used) {
      const base = name.replace(/_(bucket|sum|count)$/, "");
      assert.ok(registered.has(base), `the dashboard charts ${name}, which the server does not register`);
    }
    for (const name of registered) {
      if (name.startsWith("roomservice_")) assert.ok([...used].some((u) => u.startsWith(name)), `the dashboard does not chart ${name}`);
    }
    assert.ok(exprs.some((e) => /histogram_quantile\(0\.99, .*roomservice_tick_duration_seconds_bucket/.test(e)), "no tick-time p99 panel");
  });

  it("renders neither the ServiceMonitor nor the dashboard unless enabled", () => {
    const objects = renderChart([ciValuesFile("default")]);
    assert.equal(ofKind(objects, "ServiceMonitor").length, 0);
    assert.ok(!ofKind(objects, "ConfigMap").some((c) => c.metadata.labels?.["grafana_dashboard"] !== undefined));
  });
});

describe("helm test pod", () => {
  function testPod(file: string, set?: Record<string, string>): (K8sObject & { spec: PodSpec }) | undefined {
    return ofKind<K8sObject & { spec: PodSpec }>(renderChart([ciValuesFile(file)], set), "Pod")[0];
  }

  for (const [file, url] of [
    ["autoscaling", "https://games.example.com"],
    ["bundled-redis", "http://snek.localtest.me:8080"],
    ["gateway", "https://games.example.com"],
    ["default", "http://roomservice.default.svc:80"],
  ] as const) {
    it(`joins through ${url} with the server image (ci/${file}-values.yaml)`, () => {
      const pod = testPod(file);
      assert.ok(pod);
      assert.equal(pod.metadata.annotations?.["helm.sh/hook"], "test");
      const [container] = pod.spec.containers;
      assert.equal(container?.image, serverContainer(serverStatefulSet(renderChart([ciValuesFile(file)]))).image);
      assert.deepEqual(container?.command, ["node", "scripts/smoke.ts", "--url", url, "--timeout-seconds", "15"]);
      assert.equal(pod.spec["restartPolicy"], "Never");
    });
  }

  it("runs a script that exists in the repository (and so in the image)", () => {
    assert.ok(existsSync(join(repoRoot, "scripts", "smoke.ts")));
  });

  it("takes an explicit URL, and can be left out", () => {
    assert.equal(testPod("bundled-redis", { "helmTest.url": "http://ingress-nginx-controller.ingress-nginx.svc" })?.spec.containers[0]?.command?.[3], "http://ingress-nginx-controller.ingress-nginx.svc");
    assert.equal(testPod("bundled-redis", { "helmTest.enabled": "false" }), undefined);
  });
});

describe("NOTES.txt", () => {
  it("gives the public URL, the per-replica addresses, how to watch rooms and how to test", () => {
    const text = notes("autoscaling");
    assert.match(text, /Play at: https:\/\/games\.example\.com\//);
    assert.match(text, /games\.example\.com\/rs-roomservice-N \(N = 0\.\.11\)/);
    assert.match(text, /kubectl -n games port-forward pod\/rs-roomservice-0 2567:2567/);
    assert.match(text, /roomservice_\(rooms_active\|clients_connected\)/);
    assert.match(text, /helm test rs -n games --logs/);
    assert.match(text, /moves its games to the other ready pods;[\s\S]*play on\s+for 30 s \(DRAIN_SECONDS\) instead\. It is killed after 60 s at most/);
  });

  it("says what a stopping pod does with its games when they cannot move", () => {
    const off = notes("autoscaling", { "migration.enabled": "false", "server.reconnectSeconds": "60" });
    assert.match(off, /finish for 30 s \(DRAIN_SECONDS\) and is killed\s+after 55 s at most/);
    assert.doesNotMatch(off, /moves its games/);
    assert.match(notes("default"), /finish for 30 s[\s\S]*Games move to other pods only with Redis; this release has none/);
  });

  it("warns when several replicas have no route to each of them", () => {
    assert.match(notes("bundled-redis", { "ingress.enabled": "false" }), /WARNING: neither ingress.enabled nor gateway.enabled is set/);
    assert.doesNotMatch(notes("bundled-redis"), /WARNING/);
  });
});

describe("NOTES.txt for routes and load balancers", () => {
  it("says which pods have a route and to lower the maximum only after scaling down", () => {
    assert.match(notes("autoscaling"), /Pods 0\.\.11 have a route \(autoscaling\.maxReplicas\); a pod started above that stays\s+unready[\s\S]*Lower that number only after scaling down/);
    assert.doesNotMatch(notes("default"), /have a route/);
  });

  it("reminds an ALB user of the namespace label for pod readiness gates", () => {
    assert.match(notes("eks"), /kubectl label namespace games elbv2\.k8s\.aws\/pod-readiness-gate-inject=enabled/);
    assert.doesNotMatch(notes("gke-ingress"), /pod-readiness-gate-inject/);
  });
});
