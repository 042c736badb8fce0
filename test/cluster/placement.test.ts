// Where rooms and players land, with real processes on loopback: redis-server,
// several replicas, the nginx edge and real SDK clients. A burst bigger than
// a room; a crashed replica followed by a drain; a rolling update with versions.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { Client, type Room } from "@colyseus/sdk";
import { startCluster, type Cluster } from "../../deploy/local/cluster.ts";
import { followMigrations } from "../../rooms/kit/client/follow.ts";
import { skipWithoutBinaries } from "../support/binaries.ts";
import { exitOf, playersOf, replicaOf, roomsSeeEachOther, stillTicking, withTimeout } from "../support/cluster.ts";
import { waitFor } from "../support/wait.ts";

/** A player that follows room moves, counts them, and remembers its own snake at the last patch before the first move and the first after. */
class Mover {
  room: Room;
  readonly sessionId: string;
  readonly client: Client;
  /** Replica names, in order: where the player started, then after each move. */
  readonly replicas: string[];
  lost: string | undefined;
  lastBefore: ReturnType<typeof snakeOf>;
  firstAfter: ReturnType<typeof snakeOf>;

  constructor(client: Client, room: Room) {
    this.client = client;
    this.room = room;
    this.sessionId = room.sessionId;
    this.replicas = [replicaOf(room)!];
    this.follow(room);
  }

  get moves(): number {
    return this.replicas.length - 1;
  }

  private see(state: any): void {
    const own = snakeOf(state, this.sessionId);
    if (!own) return;
    if (this.moves === 0) this.lastBefore = own;
    else this.firstAfter ??= own;
  }

  private follow(room: Room): void {
    room.onStateChange((state: any) => this.see(state));
    followMigrations(this.client, room, {
      // The successor's first state (the game at the switch) is already decoded here.
      moved: (next) => {
        this.room = next;
        this.replicas.push(replicaOf(next)!);
        this.see(next.state);
        this.follow(next);
      },
      lost: (message) => { this.lost = message; },
    });
  }
}

/** A player's snake, score and identity in a decoded state. */
function snakeOf(state: any, sessionId: string) {
  const p = state?.players?.get(sessionId);
  return p && {
    name: p.name as string, color: p.color as number, score: p.score as number, best: p.best as number,
    length: p.length as number, x: p.x as number, y: p.y as number, alive: p.alive as boolean,
  };
}

/** Rooms in Colyseus' room-count table in Redis, which placement reads (written at most once a second). */
function roomsCounted(cluster: Cluster): number {
  const out = execFileSync("redis-cli", ["-p", String(cluster.redisPort), "hvals", "roomcount"], { encoding: "utf8" });
  return out.split("\n").filter(Boolean).reduce((sum, line) => sum + Number(line.split(",")[0]), 0);
}

async function joinRoom(cluster: Cluster, name: string, roomId?: string): Promise<Mover> {
  const client = new Client(cluster.url);
  const room = await withTimeout(`join ${name}`, roomId ? client.joinById(roomId, { name }) : client.create("snek", { name }), 15_000);
  await waitFor(`${name} has its state`, () => playersOf(room).includes(room.sessionId));
  return new Mover(client, room);
}

describe("placement of rooms and players", function () {
  this.timeout(120_000);
  before(function () { skipWithoutBinaries(this, ["redis-server", "nginx"]); });

  describe("a join burst bigger than a room", () => {
    let cluster: Cluster;
    const rooms: Room[] = [];
    before(async () => {
      cluster = await startCluster({ replicas: 2, env: { MAX_PLAYERS: "4", DRAIN_SECONDS: "0", ROOM_BOTS: "0" } });
    });
    after(async () => {
      await Promise.all(rooms.map((r) => withTimeout("leave", r.leave(), 2000).catch(() => undefined)));
      await cluster?.stop();
    });

    it("seats every one of 30 simultaneous quick-play joins, never more than MAX_PLAYERS in a room", async () => {
      const joined = await Promise.all(Array.from({ length: 30 }, (_, i) =>
        withTimeout(`join ${i}`, new Client(cluster.url).joinOrCreate("snek", { name: `b${i}` }), 20_000)));
      rooms.push(...joined);
      assert.equal(new Set(joined.map((r) => r.sessionId)).size, 30);
      const byRoom = await roomsSeeEachOther(joined);
      for (const [roomId, members] of byRoom) assert.ok(members.length <= 4, `room ${roomId} holds ${members.length} players`);
      assert.ok(byRoom.size >= 8, `30 players in rooms of 4 need at least 8 rooms, got ${byRoom.size}`);
    });
  });

  describe("a crashed replica, then a drain", () => {
    let cluster: Cluster;
    const players: Mover[] = [];
    const late: Room[] = [];
    before(async () => {
      cluster = await startCluster({ replicas: 3, env: { DRAIN_SECONDS: "20", RECONNECT_SECONDS: "5", ROOM_BOTS: "0" } });
    });
    after(async () => {
      await Promise.all([...players.map((p) => p.room), ...late].map((r) => withTimeout("leave", r.leave(), 2000).catch(() => undefined)));
      await cluster?.stop();
    });

    it("moves every game of the draining replica to the one ready replica left, and seats new joins there too", async () => {
      const [a, b, c] = cluster.replicas;
      // Every game starts on b: a and c are parked while the rooms are created.
      await cluster.stopReplica(a!.name);
      await cluster.stopReplica(c!.name);
      for (let r = 0; r < 2; r++) {
        const host = await joinRoom(cluster, `r${r}-0`);
        players.push(host);
        for (let i = 1; i < 4; i++) players.push(await joinRoom(cluster, `r${r}-${i}`, host.room.roomId));
      }
      assert.ok(players.every((p) => p.replicas[0] === b!.name));
      await cluster.startReplica(a!.name);
      await cluster.startReplica(c!.name);
      await stillTicking(players[0]!.room, 3);

      // c crashes: its process entry stays in Colyseus' table. Within seconds, b is drained.
      await cluster.stopReplica(c!.name, "SIGKILL");
      const drained = exitOf(b!.process);
      b!.process.kill("SIGTERM");
      // Joins made during the drain (once b says so).
      await waitFor(`${b!.name} draining`, async () => (await fetch(`${b!.url}/readyz`)).status === 503);
      late.push(...await Promise.all(Array.from({ length: 4 }, (_, i) =>
        withTimeout(`late join ${i}`, new Client(cluster.url).joinOrCreate("snek", { name: `late${i}` }), 20_000))));

      await waitFor("every player moved", () => players.every((p) => p.moves === 1 || p.lost), 30_000);
      for (const p of players) {
        assert.equal(p.lost, undefined, `${p.sessionId} lost its game: ${p.lost}`);
        assert.equal(p.replicas[1], a!.name, `${p.sessionId} moved to ${p.replicas[1]}, not to the one ready replica`);
        assert.equal(p.room.sessionId, p.sessionId, "same sessionId");
        await waitFor(`${p.sessionId} has its snake after the move`, () => p.firstAfter);
        // The room froze right after its last patch, and the successor starts from that tick.
        assert.deepEqual(p.firstAfter, p.lastBefore, `${p.sessionId}: same snake, score and name after the move`);
      }
      for (const p of players) await stillTicking(p.room, 3);
      for (const room of late) assert.equal(replicaOf(room), a!.name, "a join during the drain lands on the ready replica");
      assert.equal(await drained, 0);
    });
  });

  describe("a rolling update with versions", () => {
    let cluster: Cluster;
    const players: Mover[] = [];
    before(async () => {
      cluster = await startCluster({ replicas: 3, env: { DRAIN_SECONDS: "15", RECONNECT_SECONDS: "5", REPLICA_VERSION: "v1", ROOM_BOTS: "0" } });
    });
    after(async () => {
      await Promise.all(players.map((p) => withTimeout("leave", p.room.leave(), 2000).catch(() => undefined)));
      await cluster?.stop();
    });

    it("replaces every replica, highest ordinal first: no game moves more than twice, and a game moves to the new version once it runs", async () => {
      // One game on each replica: new rooms go to the replica with the fewest (as Redis' room-count table says).
      const names = cluster.replicas.map((r) => r.name);
      for (const [i, name] of names.entries()) {
        players.push(await joinRoom(cluster, `game-for-${name}`));
        await waitFor(`${i + 1} rooms in the room-count table`, () => roomsCounted(cluster) === i + 1, 5000, 50);
      }
      players.sort((x, y) => names.indexOf(x.replicas[0]!) - names.indexOf(y.replicas[0]!));
      assert.deepEqual(players.map((p) => p.replicas[0]), names, "one game on each replica");

      // StatefulSet order: highest ordinal first, each one ready before the next.
      const extras: Mover[] = [];
      for (const name of [...names].reverse()) {
        await cluster.stopReplica(name);
        await waitFor(`games off ${name}`, () => players.every((p) => p.replicas.at(-1) !== name || p.lost), 20_000);
        await cluster.startReplica(name, { env: { REPLICA_VERSION: "v2" } });
        if (extras.length > 0) continue;
        // New games go to the new version first, however many rooms it has: three of them make it the
        // busiest replica, so only the version (not the room count) can send the next moves there.
        for (let i = 0; i < 3; i++) extras.push(await joinRoom(cluster, `extra-${i}`));
        assert.deepEqual(extras.map((e) => e.replicas[0]), [name, name, name], "new games start on the new version");
        await waitFor("the room-count table has every game", () => roomsCounted(cluster) === players.length + extras.length, 5000, 50);
      }
      players.push(...extras);
      for (const p of players) {
        assert.equal(p.lost, undefined, `${p.sessionId} lost its game: ${p.lost}`);
        assert.ok(p.moves <= 2, `${p.sessionId} moved ${p.moves} times: ${p.replicas.join(" -> ")}`);
      }
      // After the first replica is replaced, every move goes to a v2 replica: the game from
      // game-1 moves once, straight to game-2; the one from game-0 once, to game-1 or game-2.
      const [from0, from1, from2, ...rest] = players;
      assert.ok(rest.every((e) => e.moves === 0), "games started on the new version never move");
      assert.deepEqual(from1!.replicas, [names[1], names[2]]);
      assert.equal(from0!.moves, 1);
      assert.equal(from2!.moves, 2, "the first game moves twice: no v2 replica existed at its first move");
      assert.ok([names[1], names[2]].includes(from2!.replicas[2]!));
    });
  });
});
