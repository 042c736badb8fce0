// The cluster-equivalent run: render the chart as an operator would install it
// (3 replicas, an external Redis, an Ingress), then start that topology on
// loopback from what was rendered: redis-server at the rendered REDIS_URL, one
// server process per pod with the StatefulSet's env for that pod (pod name from
// the downward API), and an nginx edge with one location per rendered Ingress
// path. Real SDK clients then join through the edge. If the chart's routes,
// pod names and announced addresses disagreed, joins would fail here
// ("seat reservation expired"), as they would in a cluster.
//
// Only what cannot be the same on one machine is changed: PORT (a free port per
// process instead of the container port every pod shares), HOST (loopback) and
// PUBLIC_HOST (the local edge instead of the public hostname). The edge ignores
// the Ingress host: everything arrives on 127.0.0.1.

import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, type Room } from "@colyseus/sdk";
import { Redis } from "ioredis";
import { startCluster, type Cluster, type ReplicaSpec } from "../../deploy/local/cluster.ts";
import { freePorts } from "../../deploy/local/ports.ts";
import { skipWithoutBinaries } from "../support/binaries.ts";
import { playersOf, roomsSeeEachOther, terminateSocket, tickOf, withTimeout } from "../support/cluster.ts";
import { metricValue, scrape } from "../support/metrics.ts";
import { nextEvent, waitFor } from "../support/wait.ts";
import { ciValuesFile, materializeFiles, renderedTopology, type RenderedTopology } from "./render.ts";

/** Two seats a room, so a dozen players need six rooms, which matchmaking spreads over the pods. */
const MAX_PLAYERS = 2;
const PLAYERS = 12;

/** First path segment of the URL a client's socket was opened at: the route it took through the edge. */
function routeOf(room: Room): string {
  const url = room.connection.url;
  assert.ok(url, `room ${room.roomId} has no socket URL`);
  return `/${new URL(url).pathname.split("/")[1] ?? ""}`;
}

/** Rooms per replica as Colyseus' matchmaking sees them: its "roomcount" hash in Redis (processId -> "rooms,ccu"). */
async function roomsInTable(redis: Redis): Promise<number> {
  const table = await redis.hgetall("roomcount");
  return Object.values(table).reduce((sum, entry) => sum + Number(entry.split(",")[0]), 0);
}

function nameOf(room: Room, sessionId: string): string | undefined {
  const players = (room.state as { players?: Map<string, { name: string }> } | undefined)?.players;
  return players?.get(sessionId)?.name;
}

interface AccessLine { request: string; upstream: string }

function accessLog(cluster: Cluster): AccessLine[] {
  if (!existsSync(cluster.accessLogPath)) return [];
  return readFileSync(cluster.accessLogPath, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as AccessLine);
}

describe("the rendered chart, started locally (cluster-equivalent run)", function () {
  this.timeout(60_000);
  let topology: RenderedTopology;
  let cluster: Cluster | undefined;
  let edgePort: number;
  let redisUrl: string;
  const rooms: Room[] = [];
  let redis: Redis | undefined;
  let mountsRoot: string | undefined;
  const roomCountTable = (): Promise<number> => roomsInTable(redis!);

  before(async function () {
    skipWithoutBinaries(this, ["redis-server", "nginx"]);
    const [freeEdgePort, redisPort] = await freePorts(2);
    edgePort = freeEdgePort!;
    redisUrl = `redis://127.0.0.1:${redisPort}/0`;
    // The chart's defaults plus what an operator sets for several replicas; the Redis URL is the local one.
    topology = renderedTopology([ciValuesFile("default")], {
      replicaCount: "3",
      "public.host": "games.example.com",
      "externalRedis.url": redisUrl,
      "ingress.enabled": "true",
      "server.maxPlayers": String(MAX_PLAYERS),
      // Each room then holds exactly the players this test joined, which is what it counts.
      "server.roomBots": "0",
    });

    const root = mkdtempSync(join(tmpdir(), "roomservice-mounts-"));
    mountsRoot = root;
    const replicaSpecs: ReplicaSpec[] = topology.replicas.map((replica) => {
      // The edge location is the rendered route; REPLICA_NAME stays the downward-API pod name, and the cluster refuses a mismatch.
      const name = replica.routePrefix.replace(/^\//, "");
      // The only local changes: PORT and HOST are the cluster's (a free loopback port each), PUBLIC_HOST is the local edge,
      // and the pod's mounted ConfigMap files (the routed pod count) live under a temp dir instead of /etc.
      // (No room bots comes from the rendered values above, server.roomBots=0, not from a local override.)
      const { PORT: _containerPort, HOST: _anyInterface, ...env } = materializeFiles(replica.env, replica.files, join(root, replica.podName));
      return { name, env: { ...env, PUBLIC_HOST: `127.0.0.1:${edgePort}` } };
    });
    cluster = await startCluster({ replicaSpecs, edgePort, redisPort: redisPort! });
    redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
  });

  after(async () => {
    // Leaving empties the rooms, so the replicas' SIGTERM drains end at once.
    await Promise.all(rooms.map((room) => withTimeout("leave", room.leave(), 2000).catch(() => undefined)));
    redis?.disconnect();
    await cluster?.stop();
    if (mountsRoot) rmSync(mountsRoot, { recursive: true, force: true });
  });

  it("renders what the local run relies on: one route per pod, a catch-all main route, pods on the container port, the local Redis", () => {
    assert.equal(topology.routeSource, "Ingress");
    assert.deepEqual(topology.main.paths, ["/"], "the edge sends everything but /<pod-name>/ to any replica, as the main route does");
    assert.deepEqual(topology.replicas.map((r) => r.podName), ["roomservice-0", "roomservice-1", "roomservice-2"]);
    for (const replica of topology.replicas) {
      assert.equal(replica.routePrefix, `/${replica.podName}`);
      assert.equal(replica.env["REPLICA_NAME"], replica.podName);
      // Locally each process gets its own port; in the cluster the pod's Service forwards to the port it listens on.
      assert.equal(replica.env["PORT"], String(replica.service.targetPort));
      assert.equal(replica.env["REDIS_URL"], redisUrl);
      assert.equal(replica.env["PUBLIC_HOST"], "games.example.com");
      assert.equal(replica.env["MAX_PLAYERS"], String(MAX_PLAYERS));
      assert.equal(replica.env["ROOM_BOTS"], "0");
      // Every pod is routed, so the route guard lets each one turn ready.
      const routedFile = replica.env["ROUTED_REPLICAS_FILE"];
      assert.ok(routedFile, "no ROUTED_REPLICAS_FILE");
      assert.equal(replica.files[routedFile], "3");
    }
  });

  it("starts each pod's process announcing <edge>/<pod-name>, the path its rendered route matches", () => {
    assert.ok(cluster);
    assert.deepEqual(cluster.replicas.map((r) => [r.name, r.publicAddress]),
      topology.replicas.map((r) => [r.podName, `127.0.0.1:${edgePort}${r.routePrefix}`]));
  });

  it(`joins ${PLAYERS} players through the edge, every one, with rooms on every pod and each player in its room's state`, async () => {
    assert.ok(cluster);
    // One after another, each new room counted before the next join: Colyseus persists its room-count
    // table (what picks the pod for a new room) at most once a second, so joins racing it would place
    // rooms by timing rather than by load. Quick play also opens the next room before one is full, so
    // the table may hold one spare, empty room more than the players have reached.
    const joined: Room[] = [];
    const roomIds = new Set<string>();
    for (let i = 0; i < PLAYERS; i++) {
      const room = await withTimeout(`join ${i}`, new Client(cluster.url).joinOrCreate("snek", { name: `p${i}` }), 15_000);
      joined.push(room);
      rooms.push(room);
      if (roomIds.has(room.roomId)) continue;
      roomIds.add(room.roomId);
      await waitFor(`${roomIds.size} rooms in the room-count table`, async () => (await roomCountTable()) >= roomIds.size, 5000, 50);
    }

    // Each client decodes its own player, under the name it asked for.
    for (const [i, room] of joined.entries()) {
      await waitFor(`p${i} decodes itself`, () => nameOf(room, room.sessionId) === `p${i}`);
    }

    // Each socket went through the route of a rendered pod; the pods' own counts (read directly, not through the edge) agree.
    const byRoute = new Map<string, Set<string>>();
    for (const room of joined) byRoute.set(routeOf(room), (byRoute.get(routeOf(room)) ?? new Set()).add(room.roomId));
    const prefixes = topology.replicas.map((r) => r.routePrefix);
    for (const route of byRoute.keys()) assert.ok(prefixes.includes(route), `socket route ${route} is not a rendered route`);
    // Every room a socket was routed to is one its pod counts; what a pod counts beyond those are the spare
    // rooms quick play opened ahead, which no player has reached yet.
    const live = cluster;
    const podCounts = (): Promise<number[]> => Promise.all(live.replicas.map(async (r) => metricValue(await scrape(r.url), "roomservice_rooms_active")));
    let counts: number[] = [];
    // The pods' own counts and the cluster's room-count table agree once the table is persisted (at most a second behind).
    await waitFor("the pods' room counts and the room-count table agree", async () => {
      counts = await podCounts();
      return counts.reduce((a, b) => a + b, 0) === (await roomCountTable());
    }, 5000, 100);
    const routed = topology.replicas.map((r) => byRoute.get(r.routePrefix)?.size ?? 0);
    for (const [i, replica] of topology.replicas.entries()) {
      assert.ok((counts[i] ?? 0) >= (routed[i] ?? 0), `${replica.podName} counts ${counts[i]} rooms, but sockets were routed to ${routed[i]} rooms on it`);
    }
    assert.ok(routed.every((n) => n > 0), `rooms with players per pod: ${routed.join(", ")}`);

    // Everyone in a room sees everyone else in it.
    // No room holds more than its seats. Quick play fills the fullest room first but may seat a player in
    // the spare room opened ahead while a seat elsewhere is still promised, so there can be a room more.
    const byRoom = await roomsSeeEachOther(joined);
    assert.ok(byRoom.size >= PLAYERS / MAX_PLAYERS, `${byRoom.size} rooms for ${PLAYERS} players`);
    for (const [roomId, members] of byRoom) assert.ok(members.length <= MAX_PLAYERS, `room ${roomId} holds ${members.length} players`);
  });

  it("reconnects a dropped socket on each pod through that pod's route, and the edge sends it to that pod's process", async () => {
    assert.ok(cluster);
    const live = cluster;
    for (const replica of topology.replicas) {
      const room = rooms.find((r) => routeOf(r) === replica.routePrefix);
      assert.ok(room, `no player on ${replica.podName}`);
      room.reconnection.minUptime = 0;
      const reconnected = nextEvent("reconnect", (done) => room.onReconnect.once(done), 15_000);
      terminateSocket(room);
      await reconnected;
      assert.equal(routeOf(room), replica.routePrefix);
      const tick = tickOf(room);
      await waitFor(`patches again on ${replica.podName} after the reconnect`, () => tickOf(room) > tick + 2);
      assert.ok(playersOf(room).includes(room.sessionId));

      // nginx logs a socket when it closes: the dropped one went through /<pod-name>/ to this pod's process.
      const port = live.replica(replica.podName).port;
      const dropped = await waitFor(`the edge's log line for the dropped socket on ${replica.podName}`, () =>
        accessLog(live).find((line) => (line.request.split(" ")[1] ?? "").startsWith(`${replica.routePrefix}/`) && line.request.includes(room.roomId)));
      assert.equal(dropped.upstream, `127.0.0.1:${port}`);
    }
  });
});
