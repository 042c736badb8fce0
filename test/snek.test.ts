// Real server, real @colyseus/sdk clients over WebSockets: every assertion is
// on the state a client decoded. The live room is only used to arrange a scene.

import assert from "node:assert/strict";
import type { Room } from "@colyseus/sdk";
import { Bodies } from "../rooms/snek/bodies.ts";
import { spawnBody, cellIndex, type Cell, type Dir } from "../rooms/snek/rules.ts";
import type { SnekRoom } from "../rooms/snek/SnekRoom.ts";
import { bootServer, nextPatch, type TestServer } from "./support/server.ts";
import { waitFor } from "./support/wait.ts";

/** Decoded player as the SDK gives it. */
interface Player { name: string; color: number; x: number; y: number; dir: number; length: number; score: number; alive: boolean; connected: boolean }
const me = (room: Room): Player | undefined => (room.state as any)?.players?.get(room.sessionId);

/** Lays a snake out on the live world so a scene starts from a known position, already moving. */
function arrange(live: SnekRoom, sessionId: string, head: Cell, dir: Dir, length = 3): void {
  const snake = live.world.snakes.get(sessionId)!;
  snake.body = spawnBody(head, dir, length);
  snake.dir = dir;
  snake.turns = [];
  snake.alive = true;
  snake.waitTicks = 0;
  live.world.food.clear();
  live.state.food.clear();
}

describe("snek over real websockets", () => {
  let server: TestServer;
  // Four players per room: a 17x17 board, small enough to fill in a test.
  before(async () => { server = await bootServer({ MAX_PLAYERS: "4" }); });
  after(async () => { await server.close(); });

  it("moves the head the way the player turned", async () => {
    const room = await server.client().create("snek", { name: "turner" });
    const live = server.room(room.roomId);
    arrange(live, room.sessionId, { x: 4, y: 4 }, "right");
    await waitFor("the arranged snake heading right", () => me(room)?.dir === 1 && me(room)!.y === 4 && me(room)!.x > 4);
    const before = { ...me(room)! };
    room.send("turn", { dir: "down" });
    const turned = await waitFor("head moving down", () => {
      const p = me(room)!;
      return p.y > before.y && p.dir === 2 ? p : undefined;
    });
    // The turn applies on the tick after it arrives: at most a step or two further right.
    assert.ok(turned.x >= before.x && turned.x <= before.x + 2, `x went from ${before.x} to ${turned.x}`);
    await room.leave();
  });

  it("grows the snake and scores when it eats", async () => {
    const room = await server.client().create("snek", { name: "eater" });
    const live = server.room(room.roomId);
    arrange(live, room.sessionId, { x: 3, y: 8 }, "right");
    for (let x = 5; x <= 7; x++) live.world.food.add(cellIndex(live.world, { x, y: 8 }));
    const grown = await waitFor("three meals", () => ((me(room)?.score ?? 0) >= 3 ? me(room) : undefined));
    assert.equal(grown.length, 6);
    assert.equal(grown.alive, true);
    await room.leave();
  });

  it("kills a snake that hits the wall, and respawns it on request", async () => {
    const room = await server.client().create("snek", { name: "crasher" });
    const live = server.room(room.roomId);
    await nextPatch(room);
    const width = (room.state as any).width as number;
    arrange(live, room.sessionId, { x: width - 2, y: 10 }, "right");
    await waitFor("death at the wall", () => me(room)?.alive === false);
    assert.equal(me(room)!.length, 0);
    assert.equal(me(room)!.x, width - 1, "shown at its last cell on the board");
    room.send("respawn", {});
    await waitFor("respawn", () => me(room)?.alive === true);
    assert.equal(me(room)!.length, 3);
    await room.leave();
  });

  it("kills both snakes in a head-on collision", async () => {
    const a = await server.client().create("snek", { name: "a" });
    const b = await server.client().joinById(a.roomId, { name: "b" });
    const live = server.room(a.roomId);
    live.world.snakes.get(b.sessionId)!.alive = true;
    arrange(live, a.sessionId, { x: 3, y: 12 }, "right");
    arrange(live, b.sessionId, { x: 9, y: 12 }, "left");
    await waitFor("both dead", () => me(a)?.alive === false && (a.state as any)?.players?.get(b.sessionId)?.alive === false);
    await a.leave(); await b.leave();
  });

  it("lets a late joiner see the same bodies as the server", async () => {
    const a = await server.client().create("snek", { name: "early" });
    const live = server.room(a.roomId);
    arrange(live, a.sessionId, { x: 8, y: 4 }, "right", 6);
    // The arranged snake, as the state shows it, before it turns: a body with a bend.
    await waitFor("the arranged snake moving right", () => me(a)?.y === 4 && me(a)!.x >= 9 && me(a)!.dir === 1);
    a.send("turn", { dir: "down" });
    await waitFor("a bend in the body", () => me(a)?.dir === 2 && me(a)!.y >= 5);
    const b = await server.client().joinById(a.roomId, { name: "late" });
    const bodies = new Bodies();
    // Compared inside the patch callback, when the decoded tick is the world's tick: no server tick can run in between.
    let compared = 0;
    b.onStateChange((state: any) => {
      bodies.update(state.players);
      if (state.tick !== live.world.tick) return;
      assert.deepEqual(bodies.get(a.sessionId), live.world.snakes.get(a.sessionId)!.body);
      assert.deepEqual(bodies.get(b.sessionId), live.world.snakes.get(b.sessionId)!.body);
      compared++;
    });
    await waitFor("bodies compared on three patches", () => compared >= 3);
    await a.leave(); await b.leave();
  });

  it("gives a dropped player back the same snake, score and colour", async () => {
    const a = await server.client().create("snek", { name: "dropper" });
    const watcher = await server.client().joinById(a.roomId, { name: "watcher" });
    // The SDK only auto-reconnects rooms it has been in for 5 s by default.
    a.reconnection.minUptime = 0;
    const live = server.room(a.roomId);
    const snake = live.world.snakes.get(a.sessionId)!;
    snake.score = 7;
    snake.waitTicks = 0; // set off, so the next tick mirrors the score
    await waitFor("score visible", () => me(a)?.score === 7);
    const before = { ...me(a)!, sessionId: a.sessionId };

    const dropped = new Promise<void>((resolve) => a.onDrop.once(() => resolve()));
    const reconnected = new Promise<void>((resolve) => a.onReconnect.once(() => resolve()));
    // Cut the socket without a close handshake, as a network failure would.
    (live.clients.getById(a.sessionId)!.ref as unknown as { terminate(): void }).terminate();
    await dropped;
    await waitFor("watcher sees the player disconnected", () => (watcher.state as any)?.players?.get(a.sessionId)?.connected === false);
    await reconnected;

    assert.equal(a.sessionId, before.sessionId);
    await waitFor("player connected again", () => me(a)?.connected === true);
    const after = me(a)!;
    assert.equal(after.name, "dropper");
    assert.equal(after.color, before.color);
    assert.equal(after.score, 7);
    await a.leave(); await watcher.leave();
  });

  it("keeps private rooms out of listings and matchmaking, but joinable by id", async () => {
    const owner = await server.client().create("snek", { name: "host", private: true });
    const listed = (await (await fetch(`${server.url}/api/rooms`)).json()) as { roomId: string }[];
    assert.ok(!listed.some((r) => r.roomId === owner.roomId), "private room is not listed");
    const stranger = await server.client().joinOrCreate("snek", { name: "stranger" });
    assert.notEqual(stranger.roomId, owner.roomId, "quick play does not land in a private room");
    const friend = await server.client().joinById(owner.roomId, { name: "friend" });
    assert.equal(friend.roomId, owner.roomId);
    await waitFor("friend sees host", () => (friend.state as any)?.players?.get(owner.sessionId)?.name === "host");
    await owner.leave(); await stranger.leave(); await friend.leave();
  });

  it("sends new players to another room when one is full, and says so on a direct join", async () => {
    const first = await server.client().create("snek", { name: "p0" });
    const mates = await Promise.all([1, 2, 3].map((i) => server.client().joinById(first.roomId, { name: `p${i}` })));
    const overflow = await server.client().joinOrCreate("snek", { name: "p4" });
    assert.notEqual(overflow.roomId, first.roomId);
    await assert.rejects(server.client().joinById(first.roomId, { name: "p5" }), (e: any) => {
      assert.equal(e.code, 409);
      assert.match(e.message, /full/);
      return true;
    });
    await Promise.all([first, overflow, ...mates].map((r) => r.leave()));
  });

  it("gives every player a clean name, or a default one", async () => {
    const weird = await server.client().create("snek", { name: "  \u0000  " });
    const long = await server.client().joinById(weird.roomId, { name: "x".repeat(100) });
    const numeric = await server.client().joinById(weird.roomId, { name: 12345 });
    await waitFor("three players", () => (long.state as any)?.players?.size === 3);
    assert.match(me(weird)!.name, /^snek-/);
    assert.equal(me(long)!.name, "x".repeat(16));
    assert.match(me(numeric)!.name, /^snek-/);
    await Promise.all([weird, long, numeric].map((r) => r.leave()));
  });
});
