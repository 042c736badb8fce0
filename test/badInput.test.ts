// A hostile client sends garbage; the honest player in the same room must not
// notice: its patches keep arriving and its snake keeps moving.

import assert from "node:assert/strict";
import type { Room } from "@colyseus/sdk";
import { Protocol } from "@colyseus/core";
import { CLOSE_CODES, MAX_MESSAGE_BYTES, MAX_MESSAGES_PER_SECOND, SERVER_MESSAGES, type RejectedNotice } from "../rooms/kit/protocol.ts";
import { bootServer, nextPatch, type TestServer } from "./support/server.ts";
import { nextEvent, waitFor } from "./support/wait.ts";
import { rejectedCount } from "./support/metrics.ts";

describe("bad input", () => {
  let server: TestServer;
  let honest: Room;
  before(async () => {
    server = await bootServer();
    honest = await server.client().create("snek", { name: "honest" });
  });
  after(async () => {
    await honest.leave();
    await server.close();
  });

  async function hostile(): Promise<{ room: Room; notices: RejectedNotice[] }> {
    const room = await server.client().joinById(honest.roomId, { name: "hostile" });
    const notices: RejectedNotice[] = [];
    room.onMessage(SERVER_MESSAGES.rejected, (notice: RejectedNotice) => notices.push(notice));
    await nextPatch(room);
    return { room, notices };
  }

  /** The honest client still decodes fresh ticks after the attack. */
  async function honestStillPlays(): Promise<void> {
    const tick = (honest.state as any).tick as number;
    await waitFor("honest client gets three more ticks", () => (honest.state as any).tick >= tick + 3, 3000);
  }

  it("drops unknown message types, counts them and tells the sender", async () => {
    const { room, notices } = await hostile();
    const before = await rejectedCount(server.url, "unknown_type");
    room.send("teleport", { x: 1 });
    await waitFor("a rejection notice", () => notices.find((n) => n.reason === "unknown_type"));
    assert.match(notices[0]!.message, /unknown message type "teleport"/);
    assert.equal(await rejectedCount(server.url, "unknown_type"), before + 1);
    await honestStillPlays();
    assert.equal(room.connection.isOpen, true, "an honest mistake does not cost the connection");
    await room.leave();
  });

  it("drops payloads of the wrong shape or type", async () => {
    const { room, notices } = await hostile();
    const before = await rejectedCount(server.url, "invalid");
    room.send("turn", { dir: "sideways" });
    room.send("turn", { dir: 3 });
    room.send("turn", "up");
    room.send("turn", { dir: "up", speed: 99 });
    room.send("respawn", { now: true });
    await waitFor("five rejections counted", async () => (await rejectedCount(server.url, "invalid")) === before + 5);
    const notice = notices.find((n) => n.reason === "invalid");
    assert.ok(notice, "the sender is told once");
    assert.equal(notice.type, "turn");
    assert.match(notice.message, /dir/);
    await honestStillPlays();
    await room.leave();
  });

  it("refuses protocol requests (code 21) without echoing them, counted and rate limited like messages", async () => {
    const { room, notices } = await hostile();
    const codesReceived: number[] = [];
    const socket = (room.connection.transport as unknown as { ws: WebSocket }).ws;
    socket.addEventListener("message", (event) => { if (event.data instanceof ArrayBuffer) codesReceived.push(new Uint8Array(event.data)[0]!); });
    const unknownBefore = await rejectedCount(server.url, "unknown_type");
    const rateBefore = await rejectedCount(server.url, "rate_limited");
    // ROOM_REQUEST, request id 1, a 200-character type (msgpack str8), no payload.
    const type = new TextEncoder().encode("t".repeat(200));
    const request = new Uint8Array([Protocol.ROOM_REQUEST, 1, 0xd9, type.length, ...type]);
    room.connection.send(request);
    const notice = await waitFor("a rejection notice", () => notices.find((n) => n.reason === "unknown_type"));
    assert.equal(notice.type, "request");
    assert.doesNotMatch(notice.message, /ttt/);
    assert.ok(!codesReceived.includes(Protocol.ROOM_RESPONSE), "the request got a reply");
    assert.equal(await rejectedCount(server.url, "unknown_type"), unknownBefore + 1);

    for (let i = 0; i < MAX_MESSAGES_PER_SECOND + 20; i++) room.connection.send(request);
    await waitFor("requests past the rate limit counted", async () => (await rejectedCount(server.url, "rate_limited")) > rateBefore);
    assert.ok(!codesReceived.includes(Protocol.ROOM_RESPONSE), "a request got a reply");
    await honestStillPlays();
    assert.equal(room.connection.isOpen, true);
    await room.leave();
  });

  it("drops frames with an unknown protocol code, and counts them", async () => {
    const { room } = await hostile();
    const before = await rejectedCount(server.url, "unknown_type");
    room.connection.send(new Uint8Array([0xee, 1, 2, 3]));
    room.send("turn", { dir: "sideways" });
    await waitFor("the frame counted", async () => (await rejectedCount(server.url, "unknown_type")) === before + 1);
    await honestStillPlays();
    assert.equal(room.connection.isOpen, true);
    await room.leave();
  });

  it("closes a connection whose message does not decode (close 4002), and counts it", async () => {
    const { room } = await hostile();
    const before = await rejectedCount(server.url, "malformed");
    const left = nextEvent<[number]>("hostile client to be closed", (done) => room.onLeave.once(done));
    // ROOM_DATA for type "turn" followed by bytes that are not msgpack.
    room.connection.send(new Uint8Array([Protocol.ROOM_DATA, 0xa4, 0x74, 0x75, 0x72, 0x6e, 0xc1, 0xff, 0xff]));
    const [code] = await left;
    assert.equal(code, CLOSE_CODES.flood);
    await waitFor("malformed counted", async () => (await rejectedCount(server.url, "malformed")) === before + 1);
    await waitFor("hostile player removed at once", () => (honest.state as any).players.get(room.sessionId) === undefined);
    await honestStillPlays();
  });

  it("closes a connection that sends a frame over 1 KB, and counts it", async () => {
    const { room } = await hostile();
    const before = await rejectedCount(server.url, "oversized");
    const left = nextEvent<[number]>("hostile client to be closed", (done) => room.onLeave.once(done));
    room.send("turn", { dir: "x".repeat(MAX_MESSAGE_BYTES + 100) });
    const [code] = await left;
    assert.equal(code, CLOSE_CODES.oversized);
    await waitFor("oversized counted", async () => (await rejectedCount(server.url, "oversized")) === before + 1);
    await waitFor("hostile player removed", () => (honest.state as any).players.get(room.sessionId) === undefined);
    await honestStillPlays();
  });

  it(`drops messages past ${MAX_MESSAGES_PER_SECOND} per second and keeps the sender playing`, async () => {
    const { room, notices } = await hostile();
    const before = await rejectedCount(server.url, "rate_limited");
    // Sent in one burst, so they all fall in the same one-second window.
    for (let i = 0; i < MAX_MESSAGES_PER_SECOND + 20; i++) room.send("turn", { dir: i % 2 ? "up" : "left" });
    await waitFor("a rate-limit notice", () => notices.find((n) => n.reason === "rate_limited"));
    const dropped = (await rejectedCount(server.url, "rate_limited")) - before;
    assert.ok(dropped >= 1 && dropped <= 20, `dropped ${dropped}`);
    await honestStillPlays();
    assert.equal(room.connection.isOpen, true);
    await room.leave();
  });

  it("disconnects a client that floods requests far past the limit (close 4002) and counts it as a flood", async () => {
    const { room } = await hostile();
    const before = await rejectedCount(server.url, "flood");
    const left = nextEvent<[number]>("flooder to be closed", (done) => room.onLeave.once(done));
    const request = new Uint8Array([Protocol.ROOM_REQUEST, 1, 0xa1, 0x74]);
    for (let i = 0; i < MAX_MESSAGES_PER_SECOND * 12; i++) room.connection.send(request);
    const [code] = await left;
    assert.equal(code, CLOSE_CODES.flood);
    await waitFor("flood counted", async () => (await rejectedCount(server.url, "flood")) === before + 1);
    await honestStillPlays();
  });

  it("disconnects a client that floods far past the limit (close 4002) and counts it", async () => {
    const { room } = await hostile();
    const before = await rejectedCount(server.url, "flood");
    const left = nextEvent<[number]>("flooder to be closed", (done) => room.onLeave.once(done));
    for (let i = 0; i < MAX_MESSAGES_PER_SECOND * 12; i++) room.send("respawn", {});
    const [code] = await left;
    assert.equal(code, CLOSE_CODES.flood);
    await waitFor("flood counted", async () => (await rejectedCount(server.url, "flood")) === before + 1);
    await waitFor("flooder removed at once", () => (honest.state as any).players.get(room.sessionId) === undefined);
    await honestStillPlays();
  });

  it("answers unusable join options with HTTP 400 and a message", async () => {
    for (const body of ['"just a string"', "[1,2]", '{"private":"yes"}']) {
      const res = await fetch(`${server.url}/matchmake/joinOrCreate/snek`, { method: "POST", headers: { "content-type": "application/json" }, body });
      assert.equal(res.status, 400, body);
      const json = (await res.json()) as { error: string };
      assert.match(json.error, /invalid join options/, body);
    }
    await assert.rejects(server.client().create("snek", { private: "yes" }), (e: any) => e.code === 400 && /private must be true or false/.test(e.message));
  });

  it("answers a room id that does not exist with 404 and a message", async () => {
    await assert.rejects(server.client().joinById("no-such-room", {}), (e: any) => {
      assert.equal(e.code, 404);
      assert.match(e.message, /room "no-such-room" not found/);
      return true;
    });
    const res = await fetch(`${server.url}/matchmake/joinOrCreate/chess`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    assert.equal(res.status, 404);
  });
});
