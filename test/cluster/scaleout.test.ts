// Scale-out with real processes on loopback: redis-server, two replicas, the
// nginx edge, and real SDK clients joining through the edge.

import assert from "node:assert/strict";
import { Client, type Room } from "@colyseus/sdk";
import { startCluster, type Cluster } from "../../deploy/local/cluster.ts";
import { skipWithoutBinaries } from "../support/binaries.ts";
import { metricValue, scrape } from "../support/metrics.ts";
import { exitOf, playersOf, replicaOf, roomsSeeEachOther, stillTicking, terminateSocket, withTimeout } from "../support/cluster.ts";
import { nextEvent, waitFor } from "../support/wait.ts";

describe("scale-out through the edge", function () {
  this.timeout(60_000);
  let cluster: Cluster;
  const rooms: Room[] = [];

  before(async function () {
    skipWithoutBinaries(this, ["redis-server", "nginx"]);
    // Eight seats a room, so 40 players need several rooms, spread over both replicas.
    cluster = await startCluster({ replicas: 2, env: { ROOM_BOTS: "0", MAX_PLAYERS: "8", DRAIN_SECONDS: "3", MIGRATE_ON_DRAIN: "false", RECONNECT_SECONDS: "10" } });
  });
  after(async () => {
    // A room whose replica was killed never answers a leave: do not wait for it.
    await Promise.all(rooms.map((r) => withTimeout("leave", r.leave(), 1000).catch(() => undefined)));
    await cluster?.stop();
  });

  it("joins 40 clients through the edge, every one, with rooms on both replicas", async () => {
    const joined = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      withTimeout(`join ${i}`, new Client(cluster.url).joinOrCreate("snek", { name: `p${i}` }), 15_000)));
    rooms.push(...joined);
    assert.equal(joined.length, 40);
    const perReplica = await Promise.all(cluster.replicas.map(async (r) => metricValue(await scrape(r.url), "roomservice_rooms_active")));
    assert.ok(perReplica.every((n) => n > 0), `rooms per replica: ${perReplica}`);

    // Everyone in a room sees everyone else in it, whichever replica matched them.
    await roomsSeeEachOther(joined);
  });

  it("lets a private room made through one replica be joined by id through the other", async () => {
    const [a, b] = cluster.replicas;
    const host = await new Client(a!.url).create("snek", { name: "host", private: true });
    const guest = await new Client(b!.url).joinById(host.roomId, { name: "guest" });
    rooms.push(host, guest);
    await waitFor("guest sees host", () => playersOf(guest).includes(host.sessionId));
    await waitFor("host sees guest", () => playersOf(host).includes(guest.sessionId));
  });

  it("reconnects a dropped socket through the edge to the replica that owns the room", async () => {
    const room = await new Client(cluster.url).joinOrCreate("snek", { name: "dropper" });
    rooms.push(room);
    room.reconnection.minUptime = 0;
    await waitFor("first state", () => playersOf(room).includes(room.sessionId));
    const reconnected = nextEvent("reconnect", (done) => room.onReconnect.once(done), 15_000);
    terminateSocket(room);
    await reconnected;
    const tick = (room.state as any).tick as number;
    await waitFor("patches again after the reconnect", () => (room.state as any).tick > tick + 2);
    assert.ok(playersOf(room).includes(room.sessionId));
  });

  it("restarts Redis mid-game: rooms keep ticking, matchmaking answers 503 then recovers with no replica restart", async () => {
    const player = await new Client(cluster.url).joinOrCreate("snek", { name: "steady" });
    rooms.push(player);
    await waitFor("first state", () => playersOf(player).length > 0);
    await cluster.stopRedis();
    await stillTicking(player, 10);
    const refused = await fetch(`${cluster.url}/matchmake/joinOrCreate/snek`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    assert.equal(refused.status, 503);
    assert.match(((await refused.json()) as { error: string }).error, /Redis is unreachable/);
    await cluster.startRedis();
    const back = await waitFor("matchmaking back", async () => {
      const res = await fetch(`${cluster.url}/readyz`);
      return res.status === 200 ? res : undefined;
    }, 20_000, 200);
    assert.equal(back.status, 200);
    const late = await withTimeout("join after Redis returned", new Client(cluster.url).joinOrCreate("snek", { name: "late" }), 15_000);
    rooms.push(late);
    await stillTicking(player, 5);
  });

  it("starts with Redis down: alive, not ready, retrying, then ready on its own once Redis is up", async () => {
    const [, b] = cluster.replicas;
    await cluster.stopReplica(b!.name, "SIGTERM");
    await cluster.stopRedis();
    await cluster.startReplica(b!.name, { waitFor: "healthz" });
    assert.equal((await fetch(`${b!.url}/healthz`)).status, 200);
    const notReady = await fetch(`${b!.url}/readyz`);
    assert.equal(notReady.status, 503);
    assert.match(await notReady.text(), /waiting for Redis/);
    const refused = await fetch(`${b!.url}/matchmake/joinOrCreate/snek`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    assert.equal(refused.status, 503);
    await cluster.startRedis();
    // The standby hands the port to the real server: a probe may meet the moment between.
    await waitFor("the replica ready once Redis is up", async () => (await fetch(`${b!.url}/readyz`).catch(() => undefined))?.status === 200, 20_000, 200);
    const room = await withTimeout("join on the late replica", new Client(b!.url).create("snek", { name: "late-start" }), 15_000);
    rooms.push(room);
  });

  it("survives kill -9 of a replica: the other's players play on, and new joins succeed in bounded time", async () => {
    const survivor = await new Client(cluster.url).create("snek", { name: "survivor" });
    rooms.push(survivor);
    const victim = cluster.replicas.find((r) => r.name !== replicaOf(survivor))!;
    const exited = exitOf(victim.process);
    victim.process.kill("SIGKILL");
    await exited;
    await stillTicking(survivor, 10);
    // Joins may first meet the dead replica's stale rooms; each must still end, and succeed.
    for (let i = 0; i < 10; i++) {
      const room = await withTimeout(`join ${i} after the kill`, new Client(cluster.url).joinOrCreate("snek", { name: `after${i}` }), 15_000);
      rooms.push(room);
      assert.notEqual(replicaOf(room), victim.name);
    }
    await cluster.startReplica(victim.name);
  });

  it("drains on SIGTERM: readiness 503, new joins on the survivor, players keep playing, exit 0", async () => {
    const draining = await new Client(cluster.url).create("snek", { name: "draining" });
    rooms.push(draining);
    const victim = cluster.replica(replicaOf(draining)!);
    const notice = nextEvent<[{ seconds: number; message: string }]>("drain notice", (done) => draining.onMessage("draining", done));
    const left = nextEvent<[number]>("closed at the end of the drain", (done) => draining.onLeave.once(done), 15_000);
    const exited = exitOf(victim.process);
    victim.process.kill("SIGTERM");
    const [{ seconds, message }] = await notice;
    assert.equal(seconds, 3);
    assert.match(message, /restarting/);
    assert.equal((await fetch(`${victim.url}/readyz`)).status, 503);
    for (let i = 0; i < 4; i++) {
      const fresh = await withTimeout("join during the drain", new Client(cluster.url).joinOrCreate("snek", { name: `fresh${i}` }), 15_000);
      rooms.push(fresh);
      assert.notEqual(replicaOf(fresh), victim.name);
    }
    await stillTicking(draining, 10);
    const [code] = await left;
    assert.equal(code, 4011);
    assert.equal(await exited, 0);
    await cluster.startReplica(victim.name);
  });
});
