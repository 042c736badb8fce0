// What a room move must not allow, with real processes on loopback (redis-server,
// replicas, the nginx edge, real SDK clients): a room mate taking another
// player's seat in the successor, players left without a word when their
// room cannot move, and a game lost when its replica dies halfway through a move.

import assert from "node:assert/strict";
import { Client, type Room } from "@colyseus/sdk";
import { startCluster, type Cluster } from "../../deploy/local/cluster.ts";
import { followMigrations } from "../../rooms/kit/client/follow.ts";
import type { DrainNotice, MigrateNotice, SeatReservation } from "../../rooms/kit/protocol.ts";
import { skipWithoutBinaries } from "../support/binaries.ts";
import { exitOf, playersOf, replicaOf, stillTicking, terminateSocket, withTimeout } from "../support/cluster.ts";
import { nextEvent, waitFor } from "../support/wait.ts";

interface Joined { client: Client; room: Room }

async function joined(cluster: Cluster, name: string, roomId?: string): Promise<Joined> {
  const client = new Client(cluster.url);
  const room = await withTimeout(`join ${name}`, roomId ? client.joinById(roomId, { name }) : client.create("snek", { name }), 15_000);
  await waitFor(`${name} has its state`, () => playersOf(room).includes(room.sessionId));
  return { client, room };
}

function player(room: Room, sessionId: string) {
  const p = (room.state as any)?.players?.get(sessionId);
  return p && { name: p.name as string, color: p.color as number, best: p.best as number };
}

/**
 * Follows room moves as the web client does: `successor` resolves once the
 * socket to the successor is open (the game still runs in the old room; it
 * never rejects, so bound it where it is awaited), `moved` once the successor
 * shows the game.
 */
function following({ client, room }: Joined, name: string, timeoutMs = 20_000): { successor: Promise<Room>; moved: Promise<Room> } {
  let inSuccessor: (next: Room) => void = () => undefined;
  const successor = new Promise<Room>((resolve) => { inSuccessor = resolve; });
  const moved = nextEvent<[Room]>(`${name} to play on in the successor`, (done) => followMigrations(client, room, {
    joined: (next) => inSuccessor(next), moved: done, lost: (message) => assert.fail(`${name} lost: ${message}`),
  }), timeoutMs).then(([next]) => next);
  return { successor, moved };
}

/** A cluster of its own for one test (no room bots); the rooms the test puts in `rooms` are left at the end. */
async function inCluster(replicas: number, env: Record<string, string>, test: (cluster: Cluster, rooms: Room[]) => Promise<void>): Promise<void> {
  const cluster = await startCluster({ replicas, env: { ...env, ROOM_BOTS: "0" } });
  const rooms: Room[] = [];
  try {
    await test(cluster, rooms);
  } finally {
    await Promise.all(rooms.map((r) => withTimeout("leave", r.leave(), 1000).catch(() => undefined)));
    await cluster.stop();
  }
}

/** A seat in `roomId` reserved over HTTP, not yet taken: a player who joins a moment later. */
async function reserveSeat(cluster: Cluster, roomId: string, name: string): Promise<SeatReservation> {
  const res = await fetch(`${cluster.url}/matchmake/joinById/${roomId}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name }) });
  assert.equal(res.status, 200, await res.clone().text());
  return await res.json() as SeatReservation;
}

describe("room moves: seats and notices", function () {
  this.timeout(90_000);
  before(function () { skipWithoutBinaries(this, ["redis-server", "nginx"]); });

  describe("seat theft", () => {
    let cluster: Cluster;
    const rooms: Room[] = [];
    before(async () => {
      cluster = await startCluster({ replicas: 2, env: { DRAIN_SECONDS: "20", RECONNECT_SECONDS: "10", ROOM_BOTS: "0" } });
    });
    after(async () => {
      await Promise.all(rooms.map((r) => withTimeout("leave", r.leave(), 2000).catch(() => undefined)));
      await cluster?.stop();
    });

    it("refuses a room mate who presents the victim's sessionId at the successor; the victim, reconnecting meanwhile, takes its seat and keeps its snake", async () => {
      const [a, b] = cluster.replicas;
      await cluster.stopReplica(b!.name);
      const victim = await joined(cluster, "victim");
      const thief = await joined(cluster, "thief", victim.room.roomId);
      rooms.push(victim.room, thief.room);
      await cluster.startReplica(b!.name);

      // Nobody follows on its own here: the test takes each seat itself.
      const victimNotice = nextEvent<[MigrateNotice]>("victim's migrate notice", (done) => victim.room.onMessage("migrate", done), 20_000);
      const thiefNotice = nextEvent<[MigrateNotice]>("thief's migrate notice", (done) => thief.room.onMessage("migrate", done), 20_000);
      // The victim is mid-reconnect when the room moves: it hears of the move from the old room once back.
      victim.room.reconnection.minUptime = 0;
      terminateSocket(victim.room);
      await waitFor("the drop seen by the room", () => (thief.room.state as any).players.get(victim.room.sessionId)?.connected === false);
      a!.process.kill("SIGTERM");

      const [{ reservation: thiefSeat }] = await thiefNotice;
      // Name, colour and best score do not change while the old room plays on.
      const victimWas = player(thief.room, victim.room.sessionId);
      assert.ok(thiefSeat?.reconnectionToken, "the thief's own seat carries its key");
      const successor = await thief.client.consumeSeatReservation(thiefSeat);
      rooms.push(successor);
      assert.equal(replicaOf(successor), b!.name);

      // The victim's sessionId is public (a key of state.players): with the thief's key, or none, it is refused.
      const stolen = { ...thiefSeat, sessionId: victim.room.sessionId };
      await assert.rejects(new Client(cluster.url).consumeSeatReservation(stolen), "the thief's key does not open the victim's seat");
      const { reconnectionToken: _, ...keyless } = stolen;
      await assert.rejects(new Client(cluster.url).consumeSeatReservation(keyless), "no key does not open it either");

      const [{ reservation: victimSeat }] = await victimNotice;
      assert.ok(victimSeat && victimSeat.sessionId === victim.room.sessionId && victimSeat.reconnectionToken !== thiefSeat.reconnectionToken);
      const arrived = await victim.client.consumeSeatReservation(victimSeat);
      rooms.push(arrived);
      assert.equal(arrived.sessionId, victim.room.sessionId);
      await waitFor("the victim sees itself in the successor", () => player(arrived, arrived.sessionId));
      assert.deepEqual(player(arrived, arrived.sessionId), victimWas, "same name, colour and best score");
      await waitFor("the thief sees the victim back", () => (successor.state as any).players.get(victim.room.sessionId)?.connected === true);
    });
  });

  // In each of these a third player never follows: the old room waits for it
  // (PREPARE_MS, 2 s) before it freezes and cuts over, so the test acts in between.
  // A short drain: at the end a replica stops with that player's seat still held.

  describe("a replica that dies halfway through a move", () => {
    it("plays on in the successor from the game as the move began, with the players who had followed", () =>
      inCluster(2, { DRAIN_SECONDS: "3", RECONNECT_SECONDS: "10" }, async (cluster, rooms) => {
        const [a, b] = cluster.replicas;
        await cluster.stopReplica(b!.name);
        const ann = await joined(cluster, "ann");
        const bob = await joined(cluster, "bob", ann.room.roomId);
        const laggard = await joined(cluster, "laggard", ann.room.roomId);
        rooms.push(ann.room, bob.room, laggard.room);
        await cluster.startReplica(b!.name);
        const before = [ann, bob].map(({ room }) => player(room, room.sessionId));
        const [annFollows, bobFollows] = [following(ann, "ann"), following(bob, "bob")];

        a!.process.kill("SIGTERM");
        await withTimeout("ann's socket in the successor", annFollows.successor, 15_000);
        // Before the cut-over: the game still runs on a, which now dies.
        a!.process.kill("SIGKILL");

        const next = await Promise.all([annFollows.moved, bobFollows.moved]);
        rooms.push(...next);
        for (const [i, room] of next.entries()) {
          assert.equal(replicaOf(room), b!.name);
          assert.equal(room.sessionId, [ann, bob][i]!.room.sessionId, "the same player");
          assert.deepEqual(player(room, room.sessionId), before[i], "same name, colour and best score");
        }
        await stillTicking(next[0]!, 3);
      }));
  });

  describe("a successor that dies before its cut-over", () => {
    it("moves the game again, the classic way, to the replica left; the player follows", () =>
      inCluster(3, { DRAIN_SECONDS: "3", RECONNECT_SECONDS: "10" }, async (cluster, rooms) => {
        const [a, b, c] = cluster.replicas;
        await cluster.stopReplica(b!.name);
        await cluster.stopReplica(c!.name);
        const ann = await joined(cluster, "ann");
        const laggard = await joined(cluster, "laggard", ann.room.roomId);
        rooms.push(ann.room, laggard.room);
        await cluster.startReplica(b!.name);
        await cluster.startReplica(c!.name);
        const annWas = player(ann.room, ann.room.sessionId);
        const annFollows = following(ann, "ann", 30_000);

        a!.process.kill("SIGTERM");
        const first = await withTimeout("ann's socket in the successor", annFollows.successor, 15_000);
        const doomed = cluster.replicas.find((r) => r.name === replicaOf(first))!;
        const left = [b!, c!].find((r) => r !== doomed)!;
        // Before the cut-over: the successor's replica dies.
        doomed.process.kill("SIGKILL");

        const next = await annFollows.moved;
        rooms.push(next);
        assert.equal(replicaOf(next), left.name, "the game is on the replica left");
        assert.equal(next.sessionId, ann.room.sessionId, "the same player");
        assert.deepEqual(player(next, next.sessionId), annWas, "same name, colour and best score");
        await stillTicking(next, 3);
      }));
  });

  describe("a successor before its cut-over", () => {
    it("seats only the moving room's members, then anyone once it shows the game", () =>
      inCluster(2, { DRAIN_SECONDS: "3", RECONNECT_SECONDS: "10" }, async (cluster, rooms) => {
        const [a, b] = cluster.replicas;
        await cluster.stopReplica(b!.name);
        const ann = await joined(cluster, "ann");
        const laggard = await joined(cluster, "laggard", ann.room.roomId);
        rooms.push(ann.room, laggard.room);
        await cluster.startReplica(b!.name);
        const annFollows = following(ann, "ann");

        a!.process.kill("SIGTERM");
        const unseen = await withTimeout("ann's socket in the successor", annFollows.successor, 15_000);
        rooms.push(unseen);
        await assert.rejects(new Client(cluster.url).joinById(unseen.roomId, { name: "early" }), "no seat for a newcomer before the cut-over");

        const shown = await annFollows.moved;
        assert.equal(shown.roomId, unseen.roomId);
        const late = await joined(cluster, "late", shown.roomId);
        rooms.push(late.room);
        assert.deepEqual(playersOf(late.room).sort(), [ann.room.sessionId, laggard.room.sessionId, late.room.sessionId].sort(), "ann, the laggard's held seat, and the newcomer");
      }));
  });

  describe("a room that cannot move", () => {
    it("tells its players, a late joiner included, when the only other replica has just died", () =>
      inCluster(2, { DRAIN_SECONDS: "3", RECONNECT_SECONDS: "2" }, async (cluster, rooms) => {
        const [a, b] = cluster.replicas;
        await cluster.stopReplica(b!.name);
        const early = await joined(cluster, "early");
        rooms.push(early.room);
        await cluster.startReplica(b!.name);
        // A seat reserved before the drain, taken after it began.
        const lateSeat = await reserveSeat(cluster, early.room.roomId, "late");
        const earlyNotice = nextEvent<[DrainNotice]>("drain notice", (done) => early.room.onMessage("draining", done), 15_000);

        // b dies; a drains before b's heartbeat has expired, so b still looks alive and is tried first.
        await cluster.stopReplica(b!.name, "SIGKILL");
        const exited = exitOf(a!.process);
        a!.process.kill("SIGTERM");
        const [notice] = await earlyNotice;
        assert.match(notice.message, /No other server can take this game/);

        const late = await new Client(cluster.url).consumeSeatReservation(lateSeat);
        rooms.push(late);
        const [lateNotice] = await nextEvent<[DrainNotice]>("late joiner's drain notice", (done) => late.onMessage("draining", done), 10_000);
        assert.match(lateNotice.message, /No other server can take this game/);
        assert.ok(lateNotice.seconds <= notice.seconds, "the same drain, counting down");
        assert.equal(await exited, 0);
      }));
  });
});
