// Room bots on the real server, as real SDK clients see them: a public room
// filled up to ROOM_BOTS, bots leaving as players join, never counted as
// players (room list, metrics), and no bots in a private room unless asked.

import assert from "node:assert/strict";
import type { Room } from "@colyseus/sdk";
import { metricValue, scrape } from "./support/metrics.ts";
import { bootServer, type TestServer } from "./support/server.ts";
import { waitFor } from "./support/wait.ts";

interface Player { name: string; bot: boolean; alive: boolean; x: number; y: number }
const players = (room: Room): Player[] => [...((room.state as any)?.players?.values() ?? [])] as Player[];
const bots = (room: Room) => players(room).filter((p) => p.bot);
const people = (room: Room) => players(room).filter((p) => !p.bot);

describe("room bots (ROOM_BOTS=4) over real websockets", () => {
  let server: TestServer;
  before(async () => { server = await bootServer({ ROOM_BOTS: "4" }); });
  after(async () => { await server.close(); });

  it("fill a public room up to ROOM_BOTS, leave as players join, come back as they leave; they move and are marked as bots", async () => {
    const a = await server.client().joinOrCreate("snek", { name: "alice" });
    await waitFor("3 bots beside alice", () => bots(a).length === 3 && people(a).length === 1);
    const start = new Map(bots(a).map((b) => [b.name, `${b.x},${b.y}`]));
    await waitFor("the bots moving", () => bots(a).some((b) => start.has(b.name) && start.get(b.name) !== `${b.x},${b.y}`));

    const b = await server.client().joinById(a.roomId, { name: "bob" });
    await waitFor("a bot left for bob", () => bots(a).length === 2 && people(a).length === 2);
    const c = await server.client().joinById(a.roomId, { name: "carol" });
    const d = await server.client().joinById(a.roomId, { name: "dave" });
    const e = await server.client().joinById(a.roomId, { name: "erin" });
    await waitFor("no bots once the players are ROOM_BOTS or more", () => bots(a).length === 0 && people(a).length === 5);
    for (const room of [b, c, d, e]) await room.leave();
    await waitFor("bots back when the players left", () => bots(a).length === 3 && people(a).length === 1);
    await a.leave();
  });

  it("never count as players: the room list and the metrics count only people", async () => {
    const a = await server.client().joinOrCreate("snek", { name: "solo" });
    await waitFor("bots in the room", () => bots(a).length === 3);
    const listed = await (await fetch(`${server.url}/api/rooms`)).json() as { roomId: string; clients: number }[];
    assert.equal(listed.find((r) => r.roomId === a.roomId)?.clients, 1);
    assert.equal(metricValue(await scrape(server.url), "roomservice_clients_connected"), 1);
    await a.leave();
  });

  it("stay out of private rooms unless the creator asks for them", async () => {
    const quiet = await server.client().create("snek", { name: "private", private: true });
    const asked = await server.client().create("snek", { name: "private+bots", private: true, bots: true });
    await waitFor("bots in the room that asked", () => bots(asked).length === 3);
    assert.equal(bots(quiet).length, 0);
    assert.equal(people(quiet).length, 1);
    await quiet.leave();
    await asked.leave();
  });
});
