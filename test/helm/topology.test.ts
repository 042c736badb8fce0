// renderedTopology(): what each pod would run with and how it is reached,
// derived from the rendered objects. A local copy of the deployment (server
// processes and an edge proxy) is started from exactly this.
import assert from "node:assert/strict";
import { ciValuesFile, expand, renderedTopology } from "./render.ts";

describe("renderedTopology", () => {
  it("lists every pod with its env, own route prefix and Service, and the main route", () => {
    const topology = renderedTopology(["helm/roomservice/ci/bundled-redis-values.yaml"]);
    assert.equal(topology.routeSource, "Ingress");
    assert.equal(topology.host, "snek.localtest.me");
    assert.equal(topology.containerPort, 2567);
    assert.deepEqual(topology.main, { paths: ["/"], service: { name: "roomservice", port: 80, targetPort: 2567 } });
    assert.deepEqual(topology.replicas.map((r) => [r.ordinal, r.podName, r.routePrefix, r.service.name, r.service.port, r.service.targetPort]), [
      [0, "roomservice-0", "/roomservice-0", "roomservice-0", 80, 2567],
      [1, "roomservice-1", "/roomservice-1", "roomservice-1", 80, 2567],
      [2, "roomservice-2", "/roomservice-2", "roomservice-2", 80, 2567],
    ]);
    assert.deepEqual(topology.replicas[1]?.env, {
      PORT: "2567",
      HOST: "0.0.0.0",
      TICK_HZ: "10",
      MAX_PLAYERS: "32",
      MAX_SPECTATORS: "64",
      ROOM_BOTS: "6",
      RECONNECT_SECONDS: "10",
      DRAIN_SECONDS: "30",
      MIGRATE_ON_DRAIN: "true",
      LOG_LEVEL: "info",
      PUBLIC_HOST: "snek.localtest.me:8080",
      REPLICA_NAME: "roomservice-1",
      REPLICA_VERSION: "roomservice-5d4f8b9c7",
      ROUTED_REPLICAS_FILE: "/etc/roomservice/routing/routedReplicas",
      REDIS_URL: "redis://roomservice-redis:6379/0",
    });
    assert.deepEqual(topology.replicas[1]?.files, { "/etc/roomservice/routing/routedReplicas": "3" });
  });

  it("applies --set values, e.g. pointing the pods at a local Redis", () => {
    const topology = renderedTopology([ciValuesFile("network-policy")], { "externalRedis.url": "redis://127.0.0.1:6390/0", "server.tickHz": "20" });
    assert.equal(topology.replicas.length, 2);
    for (const replica of topology.replicas) {
      assert.equal(replica.env["REDIS_URL"], "redis://127.0.0.1:6390/0");
      assert.equal(replica.env["TICK_HZ"], "20");
    }
  });

  it("covers every ordinal up to the HPA maximum", () => {
    const topology = renderedTopology([ciValuesFile("autoscaling")], undefined, { secrets: { "roomservice-redis": { password: "pw" } } });
    assert.equal(topology.replicas.length, 12);
    assert.equal(topology.replicas[11]?.routePrefix, "/roomservice-11");
    assert.equal(topology.replicas[11]?.env["REDIS_URL"], "rediss://roomservice:pw@redis.example.internal:6380/2");
  });

  it("reads routes from HTTPRoutes when there is no Ingress", () => {
    const topology = renderedTopology([ciValuesFile("gateway")]);
    assert.equal(topology.routeSource, "HTTPRoute");
    assert.equal(topology.replicas.length, 20);
    assert.equal(topology.replicas[19]?.routePrefix, "/roomservice-19");
    assert.deepEqual(topology.main.paths, ["/"]);
  });

  it("tells a single replica's own route from the main one", () => {
    const topology = renderedTopology([ciValuesFile("default")], { "ingress.enabled": "true" });
    assert.equal(topology.host, undefined);
    assert.deepEqual(topology.replicas.map((r) => r.routePrefix), ["/roomservice-0"]);
    assert.deepEqual(topology.main.paths, ["/"]);
  });

  it("refuses to guess the contents of a Secret the chart does not render", () => {
    assert.throws(() => renderedTopology([ciValuesFile("autoscaling")]),
      /env REDIS_PASSWORD reads key "password" of Secret "roomservice-redis", which the chart does not render; pass its contents in options.secrets/);
  });

  it("refuses when no route is rendered", () => {
    assert.throws(() => renderedTopology([ciValuesFile("default")]), /neither an Ingress nor an HTTPRoute/);
  });

  it("expands $(VAR) as Kubernetes does", () => {
    const defined = { A: "x", B: "y" };
    assert.equal(expand("$(A)-$(B)", defined), "x-y");
    assert.equal(expand("$$(A)", defined), "$(A)");
    assert.equal(expand("$(MISSING)", defined), "$(MISSING)");
    assert.equal(expand("a$b", defined), "a$b");
  });
});
