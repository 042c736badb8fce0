// A client that stops reading (but keeps its connection alive with pongs) is
// cut once the server's send buffer for it stays full, and the server's memory
// stays bounded meanwhile.

import assert from "node:assert/strict";
import { Protocol } from "@colyseus/core";
import { SEND_BUFFER_LIMIT_BYTES } from "../rooms/server/slowConsumers.ts";
import { metricValue, scrape } from "./support/metrics.ts";
import { openRawSocket } from "./support/rawSocket.ts";
import { bootServer, type TestServer } from "./support/server.ts";
import { waitFor } from "./support/wait.ts";

/** Generous: what the test itself queues is a few MB; the campaign saw 600 MB from 20 such clients. */
const RSS_GROWTH_BOUND_BYTES = 200 * 1024 * 1024;

describe("slow consumers", function () {
  this.timeout(60_000);
  let server: TestServer;
  before(async () => { server = await bootServer(); });
  after(async () => { await server.close(); });

  it("cuts a socket that stops reading but keeps sending pongs, and memory stays bounded", async () => {
    const res = await fetch(`${server.url}/matchmake/create/snek`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"name":"sponge"}' });
    const { roomId, sessionId, processId } = (await res.json()) as { roomId: string; sessionId: string; processId: string };
    const raw = await openRawSocket(server.port, `/${processId}/${roomId}?sessionId=${sessionId}`);
    raw.sendBinary(new Uint8Array([Protocol.JOIN_ROOM]));
    const room = server.room(roomId);
    await waitFor("the raw client in its room", () => room.clients.length === 1);
    const cutBefore = metricValue(await scrape(server.url), "roomservice_slow_consumers_cut_total");

    raw.stopReading();
    const pongs = setInterval(() => raw.sendPong(), 200);
    // A busy room: far more to send than the client takes (it takes nothing).
    const filler = "x".repeat(64 * 1024);
    const busy = setInterval(() => room.broadcast("filler", filler), 20);
    const rssBefore = process.memoryUsage().rss;
    let rssMax = rssBefore;
    const sampler = setInterval(() => { rssMax = Math.max(rssMax, process.memoryUsage().rss); }, 100);
    try {
      await waitFor("the server to cut the client that does not read", () => room.clients.length === 0, 45_000, 100);
    } finally {
      clearInterval(busy);
      clearInterval(pongs);
      clearInterval(sampler);
      raw.socket.destroy();
    }
    assert.equal(metricValue(await scrape(server.url), "roomservice_slow_consumers_cut_total"), cutBefore + 1);
    assert.ok(rssMax - rssBefore < RSS_GROWTH_BOUND_BYTES, `RSS grew by ${Math.round((rssMax - rssBefore) / 1e6)} MB (bound ${RSS_GROWTH_BOUND_BYTES / 1e6} MB; send buffer limit ${SEND_BUFFER_LIMIT_BYTES} B)`);
  });
});
