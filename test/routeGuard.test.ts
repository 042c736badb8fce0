// The route guard with the real server: a replica whose pod ordinal has no
// route at the edge stays unready and says why, and becomes ready when the
// mounted count is raised, without a restart.

import assert from "node:assert/strict";
import { Client } from "@colyseus/sdk";
import { pino } from "pino";
import { loadConfig } from "../rooms/server/config.ts";
import { routeProblem } from "../rooms/server/routeGuard.ts";
import { startServer, type RunningServer } from "../rooms/server/server.ts";
import { ConfigMapMount } from "./support/configMapMount.ts";
import { waitFor } from "./support/wait.ts";

/** Longer than the guard's poll, so the test holds whether or not the directory watch fires. */
const ROUTE_CHANGE_MS = 10_000;

describe("route guard: the rule", () => {
  const file = "/etc/roomservice/routing/routedReplicas";
  const reading = (text: string) => () => text;

  it("routes ordinals below the count and names the fix for the others", () => {
    assert.equal(routeProblem(file, 9, reading("10\n")), undefined);
    assert.equal(routeProblem(file, 12, reading("10")), "no route for pod 12 (pods 0-9 have one); raise autoscaling.maxReplicas (or replicaCount) and upgrade the release, or scale down");
    assert.match(routeProblem(file, 0, reading("0"))!, /^no route for pod 0 \(no pod has one\)/);
  });

  it("treats an unreadable or garbled count as no route, and says which", () => {
    const missing = () => { throw Object.assign(new Error("nope"), { code: "ENOENT" }); };
    assert.match(routeProblem(file, 0, missing)!, /^route count unknown: cannot read \/etc\/roomservice\/routing\/routedReplicas \(ENOENT\)/);
    for (const text of ["", "ten", "-1", "3.5", "4 5", "1".repeat(40)]) {
      assert.match(routeProblem(file, 0, reading(text))!, /^route count unknown: .* holds ".*", not a whole number/, text);
    }
  });

  it("refuses ROUTED_REPLICAS_FILE for a replica name without an ordinal", () => {
    assert.deepEqual(loadConfig({ ROUTED_REPLICAS_FILE: file, REPLICA_NAME: "game-12" }).routeGuard, { file, ordinal: 12 });
    assert.throws(() => loadConfig({ ROUTED_REPLICAS_FILE: file, REPLICA_NAME: "game" }), /ROUTED_REPLICAS_FILE is set but REPLICA_NAME \("game"\) does not end in -<ordinal>/);
    assert.throws(() => loadConfig({ ROUTED_REPLICAS_FILE: file }), /REPLICA_NAME \(""\) does not end/);
  });
});

describe("route guard: a replica above the routed count", function () {
  this.timeout(30_000);
  let mount: ConfigMapMount;
  let server: RunningServer;
  let url: string;
  const logLines: { level: number; msg: string; reason?: string }[] = [];

  before(async () => {
    mount = new ConfigMapMount({ routedReplicas: "2\n" });
    const config = loadConfig({
      PORT: "0", HOST: "127.0.0.1", DRAIN_SECONDS: "0", WEB_DIST: "does/not/exist",
      REPLICA_NAME: "game-3", ROUTED_REPLICAS_FILE: mount.file("routedReplicas"),
    });
    const log = pino({ level: "info" }, { write: (line: string) => { logLines.push(JSON.parse(line)); } });
    server = await startServer(config, log);
    url = `http://127.0.0.1:${server.port}`;
  });
  after(async () => {
    await server?.close();
    mount?.remove();
  });

  const readyz = async () => {
    const res = await fetch(`${url}/readyz`);
    return { status: res.status, text: await res.text() };
  };

  it("stays unready, refuses matchmaking and logs the reason with the fix", async () => {
    assert.deepEqual(await readyz(), { status: 503, text: "not ready: no route for pod 3 (pods 0-1 have one); raise autoscaling.maxReplicas (or replicaCount) and upgrade the release, or scale down\n" });
    assert.equal((await fetch(`${url}/healthz`)).status, 200, "alive, only unready");
    await assert.rejects(new Client(url).joinOrCreate("snek", { name: "lost" }), /matchmaking unavailable: no route for pod 3/);
    const warning = logLines.find((line) => line.reason?.startsWith("no route for pod 3"));
    assert.ok(warning, "a log line gives the reason");
    assert.match(warning.msg, /raise autoscaling\.maxReplicas/);
  });

  it("says so when the count is garbled or the file is gone", async () => {
    mount.update({ routedReplicas: "lots\n" });
    await waitFor("/readyz names the garbled count", async () => (await readyz()).text.includes('holds "lots", not a whole number'), ROUTE_CHANGE_MS);
    mount.update({});
    await waitFor("/readyz names the missing file", async () => /cannot read .*routedReplicas \(ENOENT\)/.test((await readyz()).text), ROUTE_CHANGE_MS);
    assert.equal((await readyz()).status, 503);
  });

  it("turns ready without a restart once the mounted count covers it, and players can join", async () => {
    mount.update({ routedReplicas: "4\n" });
    await waitFor("/readyz 200 after the count was raised", async () => (await readyz()).status === 200, ROUTE_CHANGE_MS);
    assert.ok(logLines.some((line) => line.msg === "route found for pod 3; ready for players"));
    const room = await new Client(url).joinOrCreate("snek", { name: "found" });
    const players = await waitFor("the joined player in the decoded state", () => (room.state as { players?: Map<string, { name: string }> }).players?.get(room.sessionId));
    assert.equal(players.name, "found");
    await room.leave();
  });
});
