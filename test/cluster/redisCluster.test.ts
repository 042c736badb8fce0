// REDIS_CLUSTER=true on a real Redis Cluster: three masters on loopback,
// two replicas behind the nginx edge, real SDK clients. What a player sees:
// joins across replicas, a room that moves on SIGTERM, and a game that goes
// on through the crash and restart of a master.

import assert from "node:assert/strict";
import { Client, type Room } from "@colyseus/sdk";
import { Cluster, Redis } from "ioredis";
import { startCluster, type ClusterWithoutRedis } from "../../deploy/local/cluster.ts";
import { startRedisCluster, type LocalRedisCluster } from "../../deploy/local/redisCluster.ts";
import { followMigrations } from "../../rooms/kit/client/follow.ts";
import { ClusterPresence } from "../../rooms/server/redisCluster.ts";
import { skipWithoutBinaries } from "../support/binaries.ts";
import { exitOf, replicaOf, roomsSeeEachOther, stillTicking, withTimeout } from "../support/cluster.ts";
import { nextEvent, waitFor } from "../support/wait.ts";

/** A client that follows room moves, as the web client and the bots do. */
class Player {
  room: Room;
  readonly sessionId: string;
  moves = 0;

  constructor(client: Client, room: Room) {
    this.room = room;
    this.sessionId = room.sessionId;
    followMigrations(client, room, {
      moving: () => undefined,
      moved: (next) => { this.moves++; this.room = next; },
      lost: (message) => { throw new Error(`${this.sessionId} lost its game in a move: ${message}`); },
    });
  }
}

describe("Redis Cluster (REDIS_CLUSTER=true)", function () {
  this.timeout(120_000);
  let redis: LocalRedisCluster;
  let cluster: ClusterWithoutRedis;
  const players: Player[] = [];

  /** Matchmakes through the edge, or straight at one replica (`via`); the socket always goes through the edge. */
  async function join(roomId?: string, via = cluster.url): Promise<Player> {
    const client = new Client(via);
    const room = roomId ? await client.joinById(roomId, { name: `p${players.length}` }) : await client.create("snek", { name: `p${players.length}` });
    const player = new Player(client, room);
    players.push(player);
    return player;
  }

  before(async function () {
    skipWithoutBinaries(this, ["redis-server", "redis-cli", "nginx"]);
    redis = await startRedisCluster({ masters: 3 });
    cluster = await startCluster({
      replicas: 2,
      redis: false,
      // No room bots: each room holds exactly the players the test joined.
      env: { REDIS_URL: redis.seedUrl, REDIS_CLUSTER: "true", DRAIN_SECONDS: "10", ROOM_BOTS: "0" },
    });
  });

  after(async () => {
    await Promise.all(players.map((p) => withTimeout("leaving", p.room.leave(), 5000).catch(() => undefined)));
    await cluster?.stop();
    await redis?.stop();
  });

  it("lists the pub/sub channels subscribed on every node, not one node's (Colyseus' health check of other processes reads them)", async () => {
    // One subscriber on each node, as replicas' subscriber connections spread over the cluster.
    const subscribers = redis.ports.map((port) => new Redis({ host: "127.0.0.1", port }));
    const cluster = new Cluster([{ host: "127.0.0.1", port: redis.ports[0]! }]);
    const presence = new ClusterPresence(cluster);
    try {
      // Ready: it has learned every node from the seed, as a server's clients have before it serves.
      await nextEvent("the cluster client to be ready", (done) => cluster.once("ready", done));
      await Promise.all(subscribers.map((sub, i) => sub.subscribe(`p:channel-test-${i}`)));
      const channels = await presence.channels("p:channel-test-*");
      assert.deepEqual(channels.sort(), redis.ports.map((_, i) => `p:channel-test-${i}`));
    } finally {
      presence.shutdown();
      subscribers.forEach((sub) => sub.disconnect());
    }
  });

  it("matchmakes across replicas: rooms on both, and a player matchmaking on the other replica joins the room's owner", async () => {
    const firsts: Player[] = [];
    for (let i = 0; i < 4; i++) firsts.push(await join());
    assert.deepEqual(new Set(firsts.map((p) => replicaOf(p.room))), new Set(["game-0", "game-1"]), "new rooms are spread over both replicas");
    // The seat is reserved by the owner at the other replica's request, through the cluster's pub/sub.
    const other = (p: Player) => cluster.replicas.find((r) => r.name !== replicaOf(p.room))!.url;
    const seconds = await Promise.all(firsts.map((first) => join(first.room.roomId, other(first))));
    seconds.forEach((p, i) => {
      assert.equal(p.room.roomId, firsts[i]!.room.roomId);
      assert.equal(replicaOf(p.room), replicaOf(firsts[i]!.room), "its socket reaches the owner through the edge");
    });
    const rooms = await roomsSeeEachOther([...firsts, ...seconds].map((p) => p.room));
    assert.equal(rooms.size, 4);
  });

  it("survives the crash and restart of the master holding the room listings: play goes on, and joins work after", async () => {
    const [host] = players;
    const mates = players.filter((p) => p.room.roomId === host!.room.roomId);
    const master = await redis.masterFor("roomcaches");
    const witness = redis.ports.find((port) => port !== master)!;

    await redis.stopNode(master, "SIGKILL");
    await waitFor("the other masters to declare the cluster down", async () => (await redis.state(witness)) === "fail", 20_000, 100);
    // Both replicas say so instead of failing requests one by one...
    for (const replica of cluster.replicas) {
      await waitFor(`${replica.name} unready while the cluster is down`, async () => {
        const res = await fetch(`${replica.url}/readyz`);
        return res.status === 503 && (await res.text()).includes("Redis is unreachable");
      }, 10_000, 100);
    }
    // ...and nothing on a tick needs Redis: the room keeps playing through the outage.
    for (const p of mates) await stillTicking(p.room, 10);

    await redis.startNode(master);
    for (const replica of cluster.replicas) {
      await waitFor(`${replica.name} ready again`, async () => (await fetch(`${replica.url}/readyz`)).status === 200, 10_000, 100);
    }
    // The node came back empty; each replica writes its room listings back once it sees the node again.
    const listed = async () => {
      const res = await fetch(`${cluster.url}/api/rooms`).catch(() => undefined);
      if (res?.status !== 200) return false;
      const ids = new Set(((await res.json()) as { roomId: string }[]).map((r) => r.roomId));
      return players.every((p) => ids.has(p.room.roomId));
    };
    await waitFor("every room listed again after the restart", listed, 20_000, 200);

    const late = await join(host!.room.roomId);
    const fresh = await join();
    await roomsSeeEachOther([...mates, late].map((p) => p.room));
    await stillTicking(fresh.room, 3);
    for (const p of players) await stillTicking(p.room, 3);
  });

  it("moves a replica's rooms to the other on SIGTERM: players follow under the same sessionId, and the replica exits 0", async () => {
    const leaving = cluster.replica("game-1");
    const moving = players.filter((p) => replicaOf(p.room) === leaving.name);
    assert.ok(moving.length > 0, "game-1 holds players");
    const exited = exitOf(leaving.process);
    leaving.process.kill("SIGTERM");
    await waitFor("every player of game-1 in a room on game-0", () => moving.every((p) => p.moves === 1 && replicaOf(p.room) === "game-0"), 20_000, 20);
    for (const p of moving) assert.equal(p.room.sessionId, p.sessionId, "the player keeps its sessionId");
    assert.equal(await exited, 0);
    await roomsSeeEachOther(players.map((p) => p.room));
    for (const p of moving) await stillTicking(p.room, 3);
  });
});
