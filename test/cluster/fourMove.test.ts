// Both games move on SIGTERM and keep everything: redis-server, two replicas,
// the nginx edge. A Four in a row room mid-game (two players and a spectator)
// and a Snek room with a spectator live on the same replica; it gets SIGTERM;
// every client follows to the other replica and decodes the same game there.

import assert from "node:assert/strict";
import { Client, type Room } from "@colyseus/sdk";
import { startCluster, type Cluster } from "../../deploy/local/cluster.ts";
import { FourState } from "../../rooms/four/state.ts";
import { followMigrations } from "../../rooms/kit/client/follow.ts";
import { SERVER_MESSAGES, type RejectedNotice } from "../../rooms/kit/protocol.ts";
import { skipWithoutBinaries } from "../support/binaries.ts";
import { exitOf, replicaOf, stillTicking, tickOf } from "../support/cluster.ts";
import { waitFor } from "../support/wait.ts";

/** A Four in a row game as a client decoded it. */
function fourGame(room: Room<unknown, FourState>) {
  const s = room.state;
  const players = [...s.players].map(([id, p]) => ({ id, name: p.name, seat: p.seat, color: p.color, wins: p.wins })).sort((a, b) => a.seat - b.seat);
  return { board: Array.from(s.board).join(""), turn: s.turn, winner: s.winner, moves: s.moves, players };
}

/** A Snek game as a client decoded it (what a player keeps: snake and score). */
function snekGame(room: Room) {
  const s = room.state as { tick: number; players: Map<string, { name: string; color: number; score: number; best: number; length: number; x: number; y: number; dir: number; alive: boolean }> };
  const players = [...s.players].map(([id, p]) => ({ id, name: p.name, color: p.color, score: p.score, best: p.best, length: p.length, x: p.x, y: p.y, dir: p.dir, alive: p.alive }));
  return { tick: s.tick, players };
}

/** A client that follows its room, and records the game at its last patch before the move and its first after. */
class Follower<R extends Room> {
  room: R;
  moves = 0;
  lost: string | undefined;
  before: unknown;
  after: unknown;
  readonly sessionId: string;
  private readonly client: Client;
  private readonly picture: (room: R) => unknown;

  constructor(client: Client, room: R, picture: (room: R) => unknown) {
    this.client = client;
    this.room = room;
    this.sessionId = room.sessionId;
    this.picture = picture;
    this.watch(room);
  }

  private see(room: R): void {
    if (this.room !== room) return;
    if (this.moves === 0) this.before = this.picture(room);
    else this.after ??= this.picture(room);
  }

  private watch(room: R): void {
    room.onMessage(SERVER_MESSAGES.draining, () => undefined);
    room.onStateChange(() => this.see(room));
    followMigrations(this.client, room, {
      // The successor's first state (the game at the switch) is already decoded here.
      moved: (next) => { this.moves++; this.room = next as R; this.see(this.room); this.watch(next as R); },
      lost: (message) => { this.lost = message; },
    });
  }
}

async function follower<R extends Room>(url: string, join: (client: Client) => Promise<R>, picture: (room: R) => unknown): Promise<Follower<R>> {
  const client = new Client(url);
  const f = new Follower(client, await join(client), picture);
  await waitFor(`${f.sessionId} has state`, () => f.before);
  return f;
}

describe("both games move on SIGTERM", function () {
  this.timeout(90_000);
  let cluster: Cluster | undefined;
  before(function () { skipWithoutBinaries(this, ["redis-server", "nginx"]); });
  after(async () => { await cluster?.stop(); });

  it("keeps a mid-game Four in a row room (board, turn, seats, spectator) and a Snek room with a spectator (snake and score)", async () => {
    // No room bots: each room holds exactly the clients the test joined.
    cluster = await startCluster({ replicas: 2, env: { DRAIN_SECONDS: "20", ROOM_BOTS: "0" } });
    const [a, b] = cluster.replicas;
    // Park b so both rooms are created on a, then bring it back to take them.
    await cluster.stopReplica(b!.name, "SIGTERM");
    type Four = Room<unknown, FourState>;
    const url = cluster.url;
    const ada = await follower<Four>(url, (c) => c.create("four", { name: "ada" }, FourState), fourGame);
    const bob = await follower<Four>(url, (c) => c.joinById(ada.room.roomId, { name: "bob" }, FourState), fourGame);
    const eve = await follower<Four>(url, (c) => c.joinById(ada.room.roomId, { name: "eve", spectate: true }, FourState), fourGame);
    for (const [mover, column] of [[ada, 3], [bob, 3], [ada, 4], [bob, 2]] as const) {
      const moves = eve.room.state.moves;
      mover.room.send("drop", { column });
      await waitFor(`move ${moves + 1} seen by the spectator`, () => eve.room.state.moves === moves + 1);
    }
    const snek = await follower<Room>(url, (c) => c.create("snek", { name: "sam" }), snekGame);
    const watcher = await follower<Room>(url, (c) => c.joinById(snek.room.roomId, { spectate: true }), snekGame);
    const clients = [ada, bob, eve, snek, watcher];
    assert.ok(clients.every((f) => replicaOf(f.room) === a!.name), "every room on the first replica");
    await cluster.startReplica(b!.name);
    await waitFor("the four game to show ada to move", () => ada.room.state.turn === ada.sessionId);
    await stillTicking(watcher.room, 3);

    const exited = exitOf(a!.process);
    a!.process.kill("SIGTERM");
    await waitFor("every client in a room on the other replica", () => clients.every((f) => f.moves === 1 && f.after !== undefined && replicaOf(f.room) === b!.name), 20_000, 20);
    for (const f of clients) {
      assert.equal(f.lost, undefined);
      assert.equal(f.room.sessionId, f.sessionId, "same sessionId in the new room");
    }

    // Four in a row: the same board, turn, seats and wins, the spectator still watching and no player.
    for (const f of [ada, bob, eve]) assert.deepEqual(f.after, ada.before, `${f.sessionId}: the game after the move is the game before`);
    assert.equal(eve.room.state.players.get(eve.sessionId), undefined, "the spectator took no seat");
    assert.equal(new Set([ada, bob, eve].map((f) => f.room.roomId)).size, 1);
    // Snek: the successor holds the game still until everyone is back, so the first patch there is the last one before.
    const first = [snek, watcher].reduce((x, y) => ((y.after as { tick: number }).tick < (x.after as { tick: number }).tick ? y : x));
    assert.deepEqual(first.after, snek.before, "the snake and its score after the move are as before");
    assert.equal(snek.room.roomId, watcher.room.roomId);
    assert.deepEqual([...(watcher.room.state as { players: Map<string, unknown> }).players.keys()], [snek.sessionId], "the Snek spectator took no seat");

    // Both games go on there: ada moves, the spectators see it; the snake keeps moving.
    // The new room holds the game still until all its clients are back, and answers "paused" meanwhile: ada drops
    // again then, a second later (the gate says each reason at most once a second, so every try is heard of).
    let pausedAt: number | undefined;
    ada.room.onMessage(SERVER_MESSAGES.rejected, (notice: RejectedNotice) => { if (notice.reason === "paused") pausedAt = Date.now(); });
    ada.room.send("drop", { column: 5 });
    await waitFor("ada's move after the move, seen by the spectator", () => {
      if (pausedAt !== undefined && Date.now() - pausedAt > 1100) [pausedAt] = [undefined, ada.room.send("drop", { column: 5 })];
      return eve.room.state.moves === 5 && eve.room.state.turn === bob.sessionId;
    }, 15_000);
    const spectatorNotice = new Promise<RejectedNotice>((resolve) => eve.room.onMessage(SERVER_MESSAGES.rejected, resolve));
    eve.room.send("drop", { column: 0 });
    assert.equal((await spectatorNotice).reason, "spectator", "still a spectator after the move");
    const tick = tickOf(watcher.room);
    await stillTicking(watcher.room, 3);
    assert.ok(tickOf(snek.room) > tick);
    assert.equal(await exited, 0);
    await Promise.all(clients.map((f) => f.room.leave().catch(() => undefined)));
  });
});
