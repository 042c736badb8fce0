import assert from "node:assert/strict";
import { RoomList } from "./roomList.ts";

describe("live room list", () => {
  it("takes the whole list, then applies additions, changes and removals", () => {
    const rooms = new RoomList();
    rooms.replaceAll([{ roomId: "a", name: "snek", clients: 1, maxClients: 32 }]);
    rooms.upsert("b", { roomId: "b", name: "snek", clients: 5, maxClients: 32 });
    rooms.upsert("a", { roomId: "a", name: "snek", clients: 2, maxClients: 32 });
    assert.deepEqual(rooms.list(), [{ roomId: "b", clients: 5, maxClients: 32 }, { roomId: "a", clients: 2, maxClients: 32 }]);
    rooms.remove("b");
    assert.deepEqual(rooms.list().map((r) => r.roomId), ["a"]);
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
