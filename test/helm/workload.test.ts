// The StatefulSet and what surrounds it: replicas vs HPA, draining, room
// migration and the grace period, hardening of every pod the chart runs, probes, config
// checksums, Redis wiring and the disruption budget.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { loadConfig } from "../../rooms/server/config.ts";
import { DRAIN_MARGIN_MS } from "../../rooms/server/lifecycle.ts";
import {
  ciValuesFile, ciValuesFiles, containerEnv, repoRoot, mountedConfigMapFiles, named, ofKind, renderChart, selects, serverContainer,
  serverStatefulSet, type Container, type EnvVar, type HorizontalPodAutoscaler, type K8sObject, type PodSpec, type Service,
} from "./render.ts";

interface Probe { httpGet?: { path: string; port: number | string } }
interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  privileged?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
  seccompProfile?: { type: string };
}
interface HardenedPodSpec extends PodSpec {
  securityContext?: SecurityContext;
  automountServiceAccountToken?: boolean;
  terminationGracePeriodSeconds?: number;
  volumes?: { name: string; emptyDir?: object }[];
}

/** Every pod spec the chart renders: workload templates and bare (test) pods. */
function podSpecs(objects: readonly K8sObject[]): { owner: string; spec: HardenedPodSpec }[] {
  return objects.flatMap((o) => {
    const spec = o["spec"] as ({ template?: { spec: HardenedPodSpec } } & HardenedPodSpec) | undefined;
    if (!spec) return [];
    if (o.kind === "Pod") return [{ owner: `Pod ${o.metadata.name}`, spec }];
    if (spec.template) return [{ owner: `${o.kind} ${o.metadata.name}`, spec: spec.template.spec }];
    return [];
  });
}

function checksums(objects: readonly K8sObject[]): Record<string, string> {
  const annotations = serverStatefulSet(objects).spec.template.metadata.annotations ?? {};
  return Object.fromEntries(Object.entries(annotations).filter(([k]) => k.startsWith("checksum/")));
}

function envEntries(container: Container): EnvVar[] {
  return container.env ?? [];
}

describe("the StatefulSet and its pods", () => {
  describe("replicas and autoscaling", () => {
    it("sets replicas when autoscaling is off", () => {
      const sts = serverStatefulSet(renderChart([ciValuesFile("bundled-redis")]));
      assert.equal(sts.spec.replicas, 3);
      assert.equal(ofKind(renderChart([ciValuesFile("bundled-redis")]), "HorizontalPodAutoscaler").length, 0);
    });

    it("leaves replicas out when the HPA is on, so the HPA alone owns it", () => {
      const objects = renderChart([ciValuesFile("autoscaling")]);
      const sts = serverStatefulSet(objects);
      assert.equal("replicas" in sts.spec, false);
      const [hpa] = ofKind<HorizontalPodAutoscaler>(objects, "HorizontalPodAutoscaler");
      assert.ok(hpa);
      assert.equal(hpa.apiVersion, "autoscaling/v2");
      assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: "apps/v1", kind: "StatefulSet", name: sts.metadata.name });
      assert.equal(hpa.spec.minReplicas, 2);
      assert.equal(hpa.spec.maxReplicas, 12);
    });

    it("scales on CPU and on connected clients per pod", () => {
      const [hpa] = ofKind<HorizontalPodAutoscaler>(renderChart([ciValuesFile("autoscaling")]), "HorizontalPodAutoscaler");
      assert.deepEqual(hpa?.spec["metrics"], [
        { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
        { type: "Pods", pods: { metric: { name: "roomservice_clients_connected" }, target: { type: "AverageValue", averageValue: "200" } } },
      ]);
    });

    it("scales down slowly, one pod at a time, after a long quiet window", () => {
      const [hpa] = ofKind<HorizontalPodAutoscaler>(renderChart([ciValuesFile("autoscaling")]), "HorizontalPodAutoscaler");
      const behavior = hpa?.spec["behavior"] as {
        scaleDown: { stabilizationWindowSeconds: number; policies: { type: string; value: number; periodSeconds: number }[] };
      };
      assert.ok(behavior.scaleDown.stabilizationWindowSeconds >= 600);
      assert.ok(behavior.scaleDown.policies.length > 0);
      for (const policy of behavior.scaleDown.policies) {
        assert.equal(policy.type, "Pods");
        assert.equal(policy.value, 1);
        assert.ok(policy.periodSeconds >= 300);
      }
    });

    it("keeps ordinals contiguous by managing a StatefulSet, with pods started and drained in parallel", () => {
      const sts = serverStatefulSet(renderChart([ciValuesFile("autoscaling")]));
      assert.equal(sts.kind, "StatefulSet");
      assert.equal(sts.spec["podManagementPolicy"], "Parallel");
      assert.equal(sts.spec.serviceName, `${sts.metadata.name}-headless`);
      const headless = named<Service>(renderChart([ciValuesFile("autoscaling")]), "Service", sts.spec.serviceName);
      assert.equal(headless.spec.clusterIP, "None");
    });
  });

  describe("draining and room migration", () => {
    /** What a pod would run with and how long Kubernetes would wait for it, read from the rendered objects. */
    function termination(files: string[], set?: Record<string, string>): { env: Record<string, string>; preStopSeconds: number; grace: number } {
      const objects = renderChart(files.map(ciValuesFile), set);
      const sts = serverStatefulSet(objects);
      const container = serverContainer(sts);
      // The autoscaling example reads its Redis password from a Secret it does not render.
      const secrets = { "roomservice-redis": { password: "pw" } };
      const env = containerEnv(container, { podName: "roomservice-0", namespace: "default", objects, secrets });
      const lifecycle = container["lifecycle"] as { preStop: { exec: { command: string[] } } };
      const [sleep, seconds] = lifecycle.preStop.exec.command;
      assert.equal(sleep, "sleep");
      const grace = (sts.spec.template.spec as HardenedPodSpec).terminationGracePeriodSeconds;
      assert.ok(grace !== undefined && Number.isInteger(grace), "terminationGracePeriodSeconds is rendered");
      return { env, preStopSeconds: Number(seconds), grace };
    }

    it("sets MIGRATE_ON_DRAIN from migration.enabled, on by default, as the server reads it", () => {
      const on = termination(["network-policy"]).env;
      assert.equal(on["MIGRATE_ON_DRAIN"], "true");
      assert.equal(loadConfig(on).migrateOnDrain, true);
      const off = termination(["network-policy"], { "migration.enabled": "false" }).env;
      assert.equal(off["MIGRATE_ON_DRAIN"], "false");
      assert.equal(loadConfig(off).migrateOnDrain, false);
      // Without Redis nothing can move, but the setting still says what the operator chose.
      assert.equal(termination(["default"]).env["MIGRATE_ON_DRAIN"], "true");
    });

    // [case, values files, --set, DRAIN_SECONDS, terminationGracePeriodSeconds]
    const timelines: [string, string[], Record<string, string> | undefined, number, number][] = [
      ["defaults, no Redis: nothing can move", ["default"], undefined, 30, 10 + 30 + 15],
      ["a long drain, no Redis", ["default"], { "drain.seconds": "600" }, 600, 10 + 600 + 15],
      ["no drain and no preStop sleep, no Redis", ["default"], { "drain.seconds": "0", "drain.preStopSleepSeconds": "0" }, 0, 15],
      ["Redis and migration: 5 s for the moves", ["bundled-redis"], undefined, 30, 10 + 5 + 30 + 15],
      ["a reconnect window longer than the drain", ["bundled-redis"], { "server.reconnectSeconds": "60" }, 65, 10 + 5 + 65 + 15],
      ["no drain and no reconnection, rooms moving", ["bundled-redis"], { "drain.seconds": "0", "server.reconnectSeconds": "0" }, 5, 10 + 5 + 5 + 15],
      ["migration off with Redis: the plain drain", ["bundled-redis"], { "migration.enabled": "false", "drain.seconds": "0", "server.reconnectSeconds": "60" }, 0, 10 + 0 + 15],
      ["the smallest margin", ["autoscaling"], { "drain.marginSeconds": "5", "drain.preStopSleepSeconds": "3" }, 30, 3 + 5 + 30 + 5],
    ];
    for (const [name, files, set, drainSeconds, graceSeconds] of timelines) {
      it(`computes the drain bound and grace period: ${name}`, () => {
        const { env, preStopSeconds, grace } = termination(files, set);
        assert.equal(Number(env["DRAIN_SECONDS"]), drainSeconds);
        assert.equal(grace, graceSeconds);

        // Whatever the numbers, the pod's whole stop fits: preStop sleep, the moves, the drain and
        // the server's own slack past it (lifecycle.ts) all end before Kubernetes' SIGKILL.
        const migrates = env["MIGRATE_ON_DRAIN"] === "true" && env["REDIS_URL"] !== undefined;
        const moveSeconds = migrates ? 5 : 0;
        assert.ok(grace >= preStopSeconds + moveSeconds + drainSeconds + DRAIN_MARGIN_MS / 1000,
          `grace ${grace} s does not cover ${preStopSeconds} s preStop + ${moveSeconds} s moves + ${drainSeconds} s drain + the server's margin`);
        // A moved room waits on the old pod, within the drain bound, for a player who was reconnecting.
        if (migrates) assert.ok(drainSeconds >= Number(env["RECONNECT_SECONDS"]) + 5, `DRAIN_SECONDS ${drainSeconds} is shorter than RECONNECT_SECONDS + 5`);
      });
    }

    it("passes the pod's controller-revision-hash, new with every rollout, as REPLICA_VERSION, which the server accepts", () => {
      const objects = renderChart([ciValuesFile("bundled-redis")]);
      const container = serverContainer(serverStatefulSet(objects));
      const variable = (container.env ?? []).find((v) => v.name === "REPLICA_VERSION");
      assert.deepEqual(variable?.valueFrom, { fieldRef: { fieldPath: "metadata.labels['controller-revision-hash']" } });
      const env = containerEnv(container, { podName: "roomservice-0", namespace: "default", objects, secrets: {}, revisionHash: "roomservice-7c9d6f5b8" });
      assert.equal(loadConfig(env).replicaVersion, "roomservice-7c9d6f5b8");
    });

    it("passes server.nodeOptions as NODE_OPTIONS, and none by default, as the image sets none", () => {
      const nodeOptions = (objects: K8sObject[]): string | undefined =>
        (serverContainer(serverStatefulSet(objects)).env ?? []).find((v) => v.name === "NODE_OPTIONS")?.value;
      assert.doesNotMatch(readFileSync(join(repoRoot, "Dockerfile"), "utf8"), /^ENV NODE_OPTIONS/m);
      assert.equal(nodeOptions(renderChart([ciValuesFile("default")])), undefined);
      assert.equal(nodeOptions(renderChart([ciValuesFile("default")], { "server.nodeOptions": "--max-semi-space-size=2" })), "--max-semi-space-size=2");
    });

    it("replaces one pod at a time on upgrade, so a stopping pod's games have running pods to move to", () => {
      const sts = serverStatefulSet(renderChart([ciValuesFile("default")]));
      const strategy = sts.spec["updateStrategy"] as { type: string; rollingUpdate?: { maxUnavailable?: number | string } };
      assert.equal(strategy.type, "RollingUpdate");
      assert.ok(strategy.rollingUpdate?.maxUnavailable === undefined || strategy.rollingUpdate.maxUnavailable === 1);
    });
  });

  describe("security", () => {
    for (const file of ciValuesFiles()) {
      it(`hardens every pod rendered from ci/${basename(file)}`, () => {
        const specs = podSpecs(renderChart([file]));
        assert.ok(specs.length >= 2);
        for (const { owner, spec } of specs) {
          assert.equal(spec.automountServiceAccountToken, false, `${owner} mounts an API token`);
          assert.equal(spec.securityContext?.runAsNonRoot, true, `${owner} may run as root`);
          assert.equal(spec.securityContext?.seccompProfile?.type, "RuntimeDefault", owner);
          for (const container of spec.containers) {
            const sc = container["securityContext"] as SecurityContext | undefined;
            const where = `${owner} container ${container.name}`;
            assert.equal(sc?.runAsNonRoot, true, where);
            assert.ok((sc?.runAsUser ?? 0) > 0, where);
            assert.equal(sc?.readOnlyRootFilesystem, true, where);
            assert.equal(sc?.allowPrivilegeEscalation, false, where);
            assert.notEqual(sc?.privileged, true, where);
            assert.deepEqual(sc?.capabilities?.drop, ["ALL"], where);
            assert.equal(sc?.capabilities?.add, undefined, where);
            assert.equal(sc?.seccompProfile?.type, "RuntimeDefault", where);
          }
        }
      });
    }

    it("gives the read-only server container a writable emptyDir at /tmp", () => {
      const sts = serverStatefulSet(renderChart([ciValuesFile("default")]));
      const spec = sts.spec.template.spec as HardenedPodSpec;
      const mounts = serverContainer(sts)["volumeMounts"] as { name: string; mountPath: string }[];
      const tmp = mounts.find((m) => m.mountPath === "/tmp");
      assert.ok(tmp);
      assert.ok(spec.volumes?.find((v) => v.name === tmp.name)?.emptyDir);
    });

    it("creates its ServiceAccount without an automounted token", () => {
      const [account] = ofKind(renderChart([ciValuesFile("default")]), "ServiceAccount");
      assert.equal(account?.["automountServiceAccountToken"], false);
      assert.equal(serverStatefulSet(renderChart([ciValuesFile("default")])).spec.template.spec["serviceAccountName"], account?.metadata.name);
    });
  });

  describe("probes", () => {
    it("checks startup and liveness on /healthz and readiness on /readyz, on the server port", () => {
      const objects = renderChart([ciValuesFile("default")]);
      const container = serverContainer(serverStatefulSet(objects));
      const env = containerEnv(container, { podName: "roomservice-0", namespace: "default", objects, secrets: {} });
      const httpPort = container.ports?.find((p) => p.name === "http");
      assert.equal(httpPort?.containerPort, Number(env["PORT"]));
      const expected: Record<string, string> = { startupProbe: "/healthz", livenessProbe: "/healthz", readinessProbe: "/readyz" };
      for (const [probeName, path] of Object.entries(expected)) {
        const probe = container[probeName] as Probe | undefined;
        assert.equal(probe?.httpGet?.path, path, probeName);
        assert.equal(probe?.httpGet?.port, "http", probeName);
      }
    });
  });

  describe("config checksums", () => {
    const base = (): Record<string, string> => checksums(renderChart([ciValuesFile("network-policy")]));

    it("changes the config checksum when a server setting changes", () => {
      const changed = checksums(renderChart([ciValuesFile("network-policy")], { "server.maxPlayers": "48" }));
      assert.notEqual(changed["checksum/config"], base()["checksum/config"]);
      assert.equal(changed["checksum/secret"], base()["checksum/secret"]);
    });

    it("changes the secret checksum when the Redis URL changes", () => {
      const changed = checksums(renderChart([ciValuesFile("network-policy")], { "externalRedis.url": "redis://other.example:6379/0" }));
      assert.notEqual(changed["checksum/secret"], base()["checksum/secret"]);
    });

    it("keeps both checksums when only the pod template itself changes", () => {
      assert.deepEqual(checksums(renderChart([ciValuesFile("network-policy")], { "resources.requests.cpu": "500m" })), base());
      assert.equal(Object.keys(base()).length, 2);
    });
  });

  describe("route count", () => {
    function routing(file: string, set?: Record<string, string>): { count: string | undefined; objects: K8sObject[] } {
      const objects = renderChart([ciValuesFile(file)], set);
      const sts = serverStatefulSet(objects);
      const container = serverContainer(sts);
      const files = mountedConfigMapFiles(sts.spec.template.spec, container, objects);
      const path = envEntries(container).find((e) => e.name === "ROUTED_REPLICAS_FILE")?.value;
      assert.equal(path, "/etc/roomservice/routing/routedReplicas");
      return { count: files[path], objects };
    }

    it("tells every pod how many pods have a route: the HPA's maximum, or replicaCount", () => {
      const { count, objects } = routing("autoscaling");
      assert.equal(count, "12");
      const routed = ofKind<Service>(objects, "Service").filter((s) => s.metadata.labels?.["roomservice/service"] === "replica");
      assert.equal(routed.length, 12);
      assert.equal(routing("bundled-redis").count, "3");
      assert.equal(routing("default").count, "1");
    });

    it("mounts the count as a whole directory, so the kubelet updates it in running pods", () => {
      const sts = serverStatefulSet(renderChart([ciValuesFile("autoscaling")]));
      const mount = serverContainer(sts).volumeMounts?.find((m) => m.mountPath === "/etc/roomservice/routing");
      assert.ok(mount, "no mount at /etc/roomservice/routing");
      assert.equal(mount.subPath, undefined, "a subPath mount never sees ConfigMap updates");
      assert.equal(mount.readOnly, true);
      const volume = sts.spec.template.spec.volumes?.find((v) => v.name === mount.name);
      assert.equal(volume?.configMap?.name, "roomservice-routing");
      assert.equal(volume.configMap.items, undefined);
    });

    it("raising the count changes the ConfigMap only, never the pod template, so no pod restarts", () => {
      const before = routing("autoscaling");
      const after = routing("autoscaling", { "autoscaling.maxReplicas": "20" });
      assert.equal(after.count, "20");
      assert.deepEqual(serverStatefulSet(after.objects).spec.template, serverStatefulSet(before.objects).spec.template);
    });
  });

  describe("Redis wiring", () => {
    it("builds REDIS_URL from host and an existing Secret's password, defined after REDIS_PASSWORD", () => {
      const objects = renderChart([ciValuesFile("autoscaling")]);
      const container = serverContainer(serverStatefulSet(objects));
      const names = envEntries(container).map((e) => e.name);
      assert.ok(names.indexOf("REDIS_PASSWORD") >= 0 && names.indexOf("REDIS_PASSWORD") < names.indexOf("REDIS_URL"));
      const password = envEntries(container).find((e) => e.name === "REDIS_PASSWORD");
      assert.deepEqual(password?.valueFrom, { secretKeyRef: { name: "roomservice-redis", key: "password" } });
      const env = containerEnv(container, { podName: "roomservice-0", namespace: "default", objects, secrets: { "roomservice-redis": { password: "pa55" } } });
      assert.equal(env["REDIS_URL"], "rediss://roomservice:pa55@redis.example.internal:6380/2");
    });

    it("keeps a full Redis URL in a Secret, not in the pod spec", () => {
      const objects = renderChart([ciValuesFile("network-policy")]);
      const container = serverContainer(serverStatefulSet(objects));
      assert.doesNotMatch(JSON.stringify(serverStatefulSet(objects)), /s3cret/);
      const env = containerEnv(container, { podName: "roomservice-0", namespace: "default", objects, secrets: {} });
      assert.equal(env["REDIS_URL"], "rediss://default:s3cret@redis.example.internal:6380/0");
    });

    it("points the pods at the bundled Redis Service, which selects the bundled Redis pod", () => {
      const objects = renderChart([ciValuesFile("bundled-redis")]);
      const env = containerEnv(serverContainer(serverStatefulSet(objects)), { podName: "roomservice-0", namespace: "default", objects, secrets: {} });
      const url = new URL(env["REDIS_URL"] ?? "");
      const service = named<Service>(objects, "Service", url.hostname);
      assert.equal(service.spec.ports[0]?.port, Number(url.port));
      const [redis] = ofKind<K8sObject & { spec: { replicas: number; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } } }>(objects, "Deployment");
      assert.ok(redis);
      assert.equal(redis.spec.replicas, 1);
      assert.ok(selects(service.spec.selector, redis.spec.template.metadata.labels));
      assert.match(redis.spec.template.spec.containers[0]?.image ?? "", /^docker\.io\/library\/redis:/);
    });

    it("in cluster mode sets REDIS_CLUSTER=true, with REDIS_URL the seed node", () => {
      const objects = renderChart([ciValuesFile("autoscaling")], { "externalRedis.cluster": "true", "externalRedis.db": "0" });
      const env = containerEnv(serverContainer(serverStatefulSet(objects)), { podName: "roomservice-0", namespace: "default", objects, secrets: { "roomservice-redis": { password: "pa55" } } });
      assert.equal(env["REDIS_CLUSTER"], "true");
      assert.equal(env["REDIS_URL"], "rediss://roomservice:pa55@redis.example.internal:6380/0");
      const single = renderChart([ciValuesFile("autoscaling")]);
      const singleEnv = containerEnv(serverContainer(serverStatefulSet(single)), { podName: "roomservice-0", namespace: "default", objects: single, secrets: { "roomservice-redis": { password: "pa55" } } });
      assert.equal(singleEnv["REDIS_CLUSTER"], undefined);
    });

    it("sets no REDIS_URL when no Redis is configured", () => {
      const objects = renderChart([ciValuesFile("default")]);
      const env = containerEnv(serverContainer(serverStatefulSet(objects)), { podName: "roomservice-0", namespace: "default", objects, secrets: {} });
      assert.equal(env["REDIS_URL"], undefined);
      assert.equal(env["PUBLIC_HOST"], undefined);
      assert.equal(ofKind(objects, "Secret").length, 0);
    });
  });

  describe("placement and disruption", () => {
    it("spreads pods over nodes with a selector matching its own pods", () => {
      const sts = serverStatefulSet(renderChart([ciValuesFile("default")]));
      const constraints = sts.spec.template.spec["topologySpreadConstraints"] as { topologyKey: string; labelSelector: { matchLabels: Record<string, string> } }[];
      assert.equal(constraints[0]?.topologyKey, "kubernetes.io/hostname");
      assert.ok(selects(constraints[0]?.labelSelector.matchLabels, sts.spec.template.metadata.labels));
    });

    it("lets one server pod at a time be evicted by default", () => {
      const objects = renderChart([ciValuesFile("default")]);
      const [pdb] = ofKind(objects, "PodDisruptionBudget");
      const spec = pdb?.["spec"] as { maxUnavailable?: number; minAvailable?: number; selector: { matchLabels: Record<string, string> } };
      assert.equal(spec.maxUnavailable, 1);
      assert.equal(spec.minAvailable, undefined);
      const podSelector = serverStatefulSet(objects).spec["selector"] as { matchLabels: Record<string, string> };
      assert.deepEqual(spec.selector.matchLabels, podSelector.matchLabels);
    });

    it("uses minAvailable instead when it is set", () => {
      const [pdb] = ofKind(renderChart([ciValuesFile("default")], { "podDisruptionBudget.minAvailable": "50%" }), "PodDisruptionBudget");
      assert.deepEqual(Object.keys(pdb?.["spec"] as object).sort(), ["minAvailable", "selector"]);
      assert.equal((pdb?.["spec"] as { minAvailable: string }).minAvailable, "50%");
    });
  });
});
