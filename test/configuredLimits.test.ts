// The limits an operator sets: new rooms per client address and minute
// (MAX_CREATES_PER_MINUTE), rooms per replica (MAX_ROOMS), and which web
// origins may call matchmaking (ALLOWED_ORIGINS). Real server, real clients.

import assert from "node:assert/strict";
import type { Room } from "@colyseus/sdk";
import { metricValue, scrape } from "./support/metrics.ts";
import { bootServer, type TestServer } from "./support/server.ts";

const ALLOWED = "https://games.example.com";

describe("configured limits (MAX_CREATES_PER_MINUTE, MAX_ROOMS, ALLOWED_ORIGINS)", () => {
  let server: TestServer;
  const rooms: Room[] = [];
  before(async () => {
    server = await bootServer({ MAX_CREATES_PER_MINUTE: "2", MAX_ROOMS: "3", ALLOWED_ORIGINS: `${ALLOWED},http://localhost:5173` });
  });
  after(async () => {
    await Promise.all(rooms.map((r) => r.leave()));
    await server.close();
  });

  /** A create as if from `address` (the edge appends the client's address to X-Forwarded-For). */
  const createFrom = (address: string) => fetch(`${server.url}/matchmake/create/snek`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": `10.9.9.9, ${address}` },
    body: JSON.stringify({ private: true }),
  });
  const roomsActive = async () => metricValue(await scrape(server.url), "roomservice_rooms_active");

  it("answers 429 with Retry-After to an address past its creates per minute, and not to others", async () => {
    for (let i = 0; i < 2; i++) {
      const res = await createFrom("198.51.100.1");
      assert.equal(res.status, 200);
      const reservation = (await res.json()) as Parameters<ReturnType<TestServer["client"]>["consumeSeatReservation"]>[0];
      rooms.push(await server.client().consumeSeatReservation(reservation));
    }
    const refused = await createFrom("198.51.100.1");
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get("retry-after")) >= 1);
    assert.match(((await refused.json()) as { error: string }).error, /MAX_CREATES_PER_MINUTE/);
    assert.equal(await roomsActive(), 2);
    const other = await createFrom("198.51.100.2");
    assert.equal(other.status, 200);
    rooms.push(await server.client().consumeSeatReservation((await other.json()) as Parameters<ReturnType<TestServer["client"]>["consumeSeatReservation"]>[0]));
  });

  it("refuses a room past MAX_ROOMS with 503 (the edge then tries another replica), and the gauge never goes below zero", async () => {
    assert.equal(await roomsActive(), 3);
    await assert.rejects(server.client().create("snek", { name: "fourth" }), (error: { code?: number; message?: string }) => {
      assert.equal(error.code, 503);
      assert.match(error.message ?? "", /MAX_ROOMS/);
      return true;
    });
    const res = await createFrom("198.51.100.3");
    assert.equal(res.status, 503);
    assert.equal(await roomsActive(), 3);
    await Promise.all(rooms.splice(0).map((r) => r.leave()));
    const after = await roomsActive();
    assert.ok(after >= 0, `rooms_active ${after}`);
  });

  it("echoes only an allowed origin, never with credentials", async () => {
    const preflight = (origin: string) => fetch(`${server.url}/matchmake/joinOrCreate/snek`, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST" } });
    const allowed = await preflight(ALLOWED);
    assert.equal(allowed.headers.get("access-control-allow-origin"), ALLOWED);
    assert.equal(allowed.headers.get("access-control-allow-credentials"), null);
    const other = await preflight("https://evil.example");
    assert.equal(other.headers.get("access-control-allow-origin"), null);
    const rooms = await fetch(`${server.url}/api/rooms`, { headers: { origin: "https://evil.example" } });
    assert.equal(rooms.headers.get("access-control-allow-origin"), null);
    assert.equal(rooms.headers.get("access-control-allow-credentials"), null);
    await rooms.body?.cancel();
  });
});
