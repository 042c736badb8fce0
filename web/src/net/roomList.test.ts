import assert from "node:assert/strict";
import { RoomList } from "./roomList.ts";

describe("live room list", () => {
  it("takes the whole list, then applies additions, changes and removals", () => {
    const rooms = new RoomList();
    rooms.replaceAll([{ roomId: "a", name: "snek", clients: 1, maxClients: 32 }]);
    rooms.upsert("b", { roomId: "b", name: "snek", clients: 5, maxClients: 32 });
    rooms.upsert("a", { roomId: "a", name: "snek", clients: 2, maxClients: 32 });
    rooms.upsert("f", { roomId: "f", name: "four", clients: 1, maxClients: 2 });
    assert.deepEqual(rooms.list(), [
      { roomId: "b", game: "snek", clients: 5, maxClients: 32, spectators: 0 },
      { roomId: "a", game: "snek", clients: 2, maxClients: 32, spectators: 0 },
      { roomId: "f", game: "four", clients: 1, maxClients: 2, spectators: 0 },
    ]);
    rooms.remove("f");
    rooms.remove("b");
    assert.deepEqual(rooms.list().map((r) => r.roomId), ["a"]);
  });

  it("counts players and spectators apart, from the room's own counts or from /api/rooms", () => {
    const rooms = new RoomList();
    // A live listing: Colyseus counts the spectator among its clients; the room's metadata does not.
    rooms.upsert("f", { roomId: "f", name: "four", clients: 2, maxClients: 2, metadata: { players: 1, spectators: 1, playerSeatFree: true } });
    rooms.upsert("s", { roomId: "s", name: "snek", clients: 3, maxClients: 32, spectators: 2 });
    assert.deepEqual(rooms.list(), [
      { roomId: "s", game: "snek", clients: 3, maxClients: 32, spectators: 2 },
      { roomId: "f", game: "four", clients: 1, maxClients: 2, spectators: 1 },
    ]);
  });

  it("takes a listing without a name as Snek (an older server)", () => {
    const rooms = new RoomList();
    rooms.replaceAll([{ roomId: "a", clients: 1, maxClients: 32 }]);
    assert.equal(rooms.list()[0]?.game, "snek");
  });

  it("leaves out private rooms, other room types and rooms that turn private", () => {
    const rooms = new RoomList();
    rooms.replaceAll([
      { roomId: "p", name: "snek", clients: 1, maxClients: 32, private: true },
      { roomId: "l", name: "lobby", clients: 3, maxClients: 100 },
      { roomId: "s", name: "snek", clients: 1, maxClients: 32 },
    ]);
    rooms.upsert("s", { roomId: "s", name: "snek", clients: 1, maxClients: 32, private: true });
    assert.deepEqual(rooms.list(), []);
  });
});
