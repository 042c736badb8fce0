// Spectators with a real server and real SDK clients: they decode the state,
// take no player seat, cannot play, and have their own cap (MAX_SPECTATORS).

import assert from "node:assert/strict";
import type { Room } from "@colyseus/sdk";
import { SERVER_MESSAGES, SPECTATORS_FULL, type RejectedNotice } from "../rooms/kit/protocol.ts";
import { rejectedCount } from "./support/metrics.ts";
import { bootServer, nextPatch, type TestServer } from "./support/server.ts";
import { nextEvent, waitFor } from "./support/wait.ts";

const MAX_PLAYERS = 2;
const MAX_SPECTATORS = 2;

const playerIds = (room: Room): string[] => [...(room.state as any).players.keys()].sort();

interface ListedRoom { roomId: string; name: string; clients: number; maxClients: number; spectators: number }
async function listed(server: TestServer, roomId: string): Promise<ListedRoom | undefined> {
  const rooms = (await (await fetch(`${server.url}/api/rooms`)).json()) as ListedRoom[];
  return rooms.find((r) => r.roomId === roomId);
}

describe("spectators", () => {
  let server: TestServer;
  const open: Room[] = [];
  before(async () => { server = await bootServer({ MAX_PLAYERS: String(MAX_PLAYERS), MAX_SPECTATORS: String(MAX_SPECTATORS) }); });
  afterEach(async () => { await Promise.all(open.splice(0).map((r) => r.leave().catch(() => undefined))); });
  after(async () => { await server.close(); });

  const join = async (joining: Promise<Room>): Promise<Room> => {
    const room = await joining;
    open.push(room);
    return room;
  };

  it("decodes the game's state without being in it", async () => {
    const player = await join(server.client().create("snek", { name: "player" }));
    const watcher = await join(server.client().joinById(player.roomId, { spectate: true }));
    await nextPatch(watcher);
    assert.deepEqual(playerIds(watcher), [player.sessionId], "the spectator sees the player and is not one");
    // Live: it decodes tick after tick, with the player's own fields as the player decodes them.
    const tick = (watcher.state as any).tick as number;
    await waitFor("the spectator to decode later ticks", () => (watcher.state as any).tick > tick + 3);
    assert.equal((watcher.state as any).players.get(player.sessionId).name, "player");
  });

  it("cannot play: each game message is refused with a notice and counted", async () => {
    const player = await join(server.client().create("snek", { name: "player" }));
    const watcher = await join(server.client().joinById(player.roomId, { spectate: true }));
    await nextPatch(watcher);
    const before = await rejectedCount(server.url, "spectator");
    const notice = nextEvent<[RejectedNotice]>("a rejected notice", (done) => watcher.onMessage(SERVER_MESSAGES.rejected, done));
    watcher.send("turn", { dir: "up" });
    const [rejected] = await notice;
    assert.equal(rejected.reason, "spectator");
    assert.equal(rejected.type, "turn");
    assert.match(rejected.message, /spectators cannot send "turn"/);
    watcher.send("respawn", {});
    await waitFor("both refusals counted", async () => (await rejectedCount(server.url, "spectator")) === before + 2);
    assert.deepEqual(playerIds(player), [player.sessionId], "the spectator's messages made no snake");
  });

  it("takes no player seat: a full room still takes spectators, and matchmaking still sends players elsewhere", async () => {
    const first = await join(server.client().create("snek", { name: "p0" }));
    await join(server.client().joinById(first.roomId, { name: "p1" }));
    const watcher = await join(server.client().joinById(first.roomId, { spectate: true }));
    await nextPatch(watcher);
    assert.equal(playerIds(watcher).length, MAX_PLAYERS);
    const overflow = await join(server.client().joinOrCreate("snek", { name: "p2" }));
    assert.notEqual(overflow.roomId, first.roomId, "a full room sends new players to another room");
    await assert.rejects(server.client().joinById(first.roomId, { name: "p3" }), (e: any) => e.code === 409 && /full/.test(e.message));
    await waitFor("the listing to count 2 players and 1 spectator", async () => {
      const room = await listed(server, first.roomId);
      return room?.clients === MAX_PLAYERS && room.spectators === 1 && room.maxClients === MAX_PLAYERS;
    });
  });

  it("leaves every player seat to players: a room with spectators fills up to MAX_PLAYERS", async () => {
    const first = await join(server.client().create("snek", { name: "p0" }));
    await join(server.client().joinById(first.roomId, { spectate: true }));
    await join(server.client().joinById(first.roomId, { spectate: true }));
    const second = await join(server.client().joinOrCreate("snek", { name: "p1" }));
    assert.equal(second.roomId, first.roomId, "the room had a free player seat");
    await waitFor("both players in the state", () => playerIds(first).length === MAX_PLAYERS);
  });

  it("refuses a spectator past MAX_SPECTATORS with a clear error, and takes one again when a seat frees", async () => {
    const player = await join(server.client().create("snek", { name: "p0" }));
    const watchers = [];
    for (let i = 0; i < MAX_SPECTATORS; i++) watchers.push(await join(server.client().joinById(player.roomId, { spectate: true })));
    await assert.rejects(server.client().joinById(player.roomId, { spectate: true }), (e: any) => {
      assert.equal(e.code, SPECTATORS_FULL);
      assert.match(e.message, new RegExp(`already has ${MAX_SPECTATORS} spectators \\(MAX_SPECTATORS\\)`));
      return true;
    });
    const leaving = watchers[0]!;
    open.splice(open.indexOf(leaving), 1);
    await leaving.leave();
    await waitFor("the listing to count one spectator fewer", async () => (await listed(server, player.roomId))?.spectators === MAX_SPECTATORS - 1);
    await join(server.client().joinById(player.roomId, { spectate: true }));
  });

  it("refuses a spectate option that is not a boolean, before any seat is taken", async () => {
    await assert.rejects(server.client().joinOrCreate("snek", { spectate: "yes" }), (e: any) => e.code === 400 && /spectate must be true or false/.test(e.message));
  });
});
