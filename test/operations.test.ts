// The endpoints operators and probes read, checked while clients come and go.

import assert from "node:assert/strict";
import { bootServer, type TestServer } from "./support/server.ts";
import { metricValue, scrape } from "./support/metrics.ts";
import { waitFor } from "./support/wait.ts";

describe("operations endpoints", () => {
  let server: TestServer;
  before(async () => { server = await bootServer({ WEB_DIST: "does/not/exist" }); });
  after(async () => { await server.close(); });

  const gauge = async (name: string) => metricValue(await scrape(server.url), name);

  it("/healthz and /readyz answer 200 while serving", async () => {
    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200);
    const ready = await fetch(`${server.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.equal(await ready.text(), "ready\n");
  });

  it("/metrics counts rooms and clients as they come and go, and patch bytes and tick times as rooms run", async () => {
    const text = await scrape(server.url);
    for (const series of ["roomservice_rooms_active", "roomservice_clients_connected", "roomservice_tick_duration_seconds_count",
      "roomservice_patch_bytes_total", 'roomservice_messages_rejected_total{reason="invalid"}', "process_cpu_user_seconds_total", "nodejs_heap_size_used_bytes"]) {
      assert.doesNotThrow(() => metricValue(text, series), series);
    }
    const rooms0 = await gauge("roomservice_rooms_active");
    const clients0 = await gauge("roomservice_clients_connected");
    const bytes0 = await gauge("roomservice_patch_bytes_total");
    const ticks0 = await gauge("roomservice_tick_duration_seconds_count");

    const a = await server.client().create("snek", { name: "a" });
    const b = await server.client().joinById(a.roomId, { name: "b" });
    await waitFor("two clients counted", async () => (await gauge("roomservice_clients_connected")) === clients0 + 2);
    assert.equal(await gauge("roomservice_rooms_active"), rooms0 + 1);
    await waitFor("patch bytes counted", async () => (await gauge("roomservice_patch_bytes_total")) > bytes0);
    assert.ok((await gauge("roomservice_tick_duration_seconds_count")) > ticks0);

    await b.leave();
    await waitFor("one client left", async () => (await gauge("roomservice_clients_connected")) === clients0 + 1);
    await a.leave();
    await waitFor("room disposed", async () => (await gauge("roomservice_rooms_active")) === rooms0);
    assert.equal(await gauge("roomservice_clients_connected"), clients0);
  });

  it("serves a status page listing open rooms when the web client is not built", async () => {
    const res = await fetch(`${server.url}/`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /roomservice <span class="ok">is up<\/span>/);
    assert.match(html, /fetch\("\/api\/rooms"\)/);
    const room = await server.client().create("snek", { name: "listed" });
    const rooms = (await (await fetch(`${server.url}/api/rooms`)).json()) as { roomId: string; name: string; clients: number; maxClients: number; spectators: number }[];
    assert.deepEqual(rooms.find((r) => r.roomId === room.roomId), { roomId: room.roomId, name: "snek", clients: 1, maxClients: 32, spectators: 0 });
    await room.leave();
  });
});
