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
      { roomId: "b", game: "snek", clients: 5, maxClients: 32 },
      { roomId: "a", game: "snek", clients: 2, maxClients: 32 },
      { roomId: "f", game: "four", clients: 1, maxClients: 2 },
    ]);
    rooms.remove("f");
    rooms.remove("b");
    assert.deepEqual(rooms.list().map((r) => r.roomId), ["a"]);
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
