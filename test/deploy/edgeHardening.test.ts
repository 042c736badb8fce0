// The nginx edge we generate, as a hostile client meets it: real nginx and a
// real replica on loopback. Bearer secrets in query strings never reach its
// access log, /metrics is not public, and large bodies stop at the edge.

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { startCluster, type ClusterWithoutRedis } from "../../deploy/local/cluster.ts";
import { MAX_MATCHMAKE_BODY_BYTES } from "../../rooms/server/httpLimits.ts";
import { skipWithoutBinaries } from "../support/binaries.ts";
import { nextEvent, waitFor } from "../support/wait.ts";

describe("the edge as a hostile client meets it", function () {
  this.timeout(60_000);
  let cluster: ClusterWithoutRedis;

  before(async function () {
    skipWithoutBinaries(this, ["nginx"]);
    cluster = await startCluster({ replicas: 1, redis: false, env: { ROOM_BOTS: "0", LOG_LEVEL: "warn" } });
  });
  after(async () => { await cluster?.stop(); });

  const accessLog = (): string => (existsSync(cluster.accessLogPath) ? readFileSync(cluster.accessLogPath, "utf8") : "");

  it("logs request paths without their query strings (reconnection tokens are bearer secrets)", async () => {
    const res = await fetch(`${cluster.url}/api/rooms?reconnectionToken=secret-in-http`);
    await res.body?.cancel();
    // A reconnect URL as the SDK opens it; the room does not exist, which does not matter to the log.
    const socket = new WebSocket(`${cluster.url.replace("http", "ws")}/game-0/someProcess/someRoom?sessionId=abc&reconnectionToken=secret-in-socket`);
    await nextEvent("the socket to close", (done) => socket.addEventListener("close", () => done()), 10_000);

    const lines = await waitFor("both requests in the access log", () => {
      const logged = accessLog().split("\n").filter(Boolean).map((line) => JSON.parse(line) as { request: string });
      const paths = logged.map((l) => l.request.split(" ")[1]);
      return paths.includes("/api/rooms") && paths.includes("/game-0/someProcess/someRoom") ? logged : undefined;
    });
    assert.ok(lines.length >= 2);
    assert.doesNotMatch(accessLog(), /secret|reconnectionToken|sessionId|\?/);
  });

  it("does not serve /metrics through the edge, while the replica serves it to a direct scrape", async () => {
    for (const path of ["/metrics", "/METRICS", "/metrics/", "/metrics?x=1"]) {
      const res = await fetch(`${cluster.url}${path}`);
      assert.equal(res.status, 404, path);
      assert.doesNotMatch(await res.text(), /roomservice_|process_/, path);
    }
    const direct = await fetch(`${cluster.replicas[0]!.url}/metrics`);
    assert.equal(direct.status, 200);
    assert.match(await direct.text(), /roomservice_rooms_active/);
    // Any other proxy in front of the replica (an Ingress, a load balancer) adds X-Forwarded-For: refused too.
    const proxied = await fetch(`${cluster.replicas[0]!.url}/metrics`, { headers: { "x-forwarded-for": "203.0.113.9" } });
    assert.equal(proxied.status, 404);
    await proxied.body?.cancel();
  });

  it(`answers 413 at the edge to a matchmaking body over ${MAX_MATCHMAKE_BODY_BYTES} bytes`, async () => {
    const body = JSON.stringify({ name: "x".repeat(MAX_MATCHMAKE_BODY_BYTES) });
    const res = await fetch(`${cluster.url}/matchmake/joinOrCreate/snek`, { method: "POST", headers: { "content-type": "application/json" }, body });
    assert.equal(res.status, 413);
    assert.deepEqual(await res.json(), { code: 413, error: `request body over ${MAX_MATCHMAKE_BODY_BYTES} bytes` });
    const line = await waitFor("the 413 in the access log", () => accessLog().split("\n").find((l) => l.includes('"status":"413"')));
    assert.match(line, /"upstream":""/, "no replica was asked");
  });
});
