import assert from "node:assert/strict";
import type { Room } from "@colyseus/sdk";
import { bootServer, type TestServer } from "./support/server.ts";
import { waitFor } from "./support/wait.ts";

interface Listing { roomId: string; name: string; metadata?: { players?: number } }

/** A lobby client's view of the live room list (rooms/server/lobbyNotices.ts sends it coalesced). */
async function watchLobby(server: TestServer): Promise<{ lobby: Room; rooms: Map<string, Listing> }> {
  const rooms = new Map<string, Listing>();
  const lobby = await server.client().joinOrCreate("lobby");
  lobby.onMessage("rooms", (listings: Listing[]) => { for (const l of listings) rooms.set(l.roomId, l); });
  lobby.onMessage("+", ([roomId, listing]: [string, Listing]) => { rooms.set(roomId, listing); });
  lobby.onMessage("-", (roomId: string) => { rooms.delete(roomId); });
  return { lobby, rooms };
}

describe("the lobby's live room list", () => {
  let server: TestServer;
  before(async () => { server = await bootServer(); });
  after(async () => { await server.close(); });

  it("shows a room as players join it at once and leave, and drops it when it closes", async () => {
    const { lobby, rooms } = await watchLobby(server);
    const players = await Promise.all(Array.from({ length: 5 }, (_, i) => server.client().joinOrCreate("snek", { name: `p${i}` })));
    const roomId = players[0]!.roomId;
    assert.ok(players.every((p) => p.roomId === roomId), "quick play seats them in one room");
    await waitFor("the lobby showing 5 players", () => rooms.get(roomId)?.metadata?.players === 5);

    await Promise.all(players.slice(0, 3).map((p) => p.leave()));
    await waitFor("the lobby showing 2 players", () => rooms.get(roomId)?.metadata?.players === 2);

    await Promise.all(players.slice(3).map((p) => p.leave()));
    await waitFor("the room gone from the lobby", () => !rooms.has(roomId));
    await lobby.leave();
  });
});
