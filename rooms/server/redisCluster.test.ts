import assert from "node:assert/strict";
import { clusterSeed } from "./redisCluster.ts";

describe("Redis Cluster seed from REDIS_URL", () => {
  it("takes host, port, credentials and TLS from the URL, for every node", () => {
    assert.deepEqual(clusterSeed("rediss://app:p%40ss@cfg.example.com:6380"), {
      host: "cfg.example.com", port: 6380, redisOptions: { username: "app", password: "p@ss", tls: {} },
    });
    assert.deepEqual(clusterSeed("redis://10.0.0.5"), { host: "10.0.0.5", port: 6379, redisOptions: { username: undefined, password: undefined, tls: undefined } });
  });

  it("keeps a password that is not valid percent-encoding as written", () => {
    assert.equal(clusterSeed("redis://:50%off@node")?.redisOptions?.password, "50%off");
  });
});
