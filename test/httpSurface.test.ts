// The HTTP surface as a hostile client sees it: matchmaking bodies are small,
// checked and bounded in time; errors are plain JSON; no origin is allowed
// credentials.

import assert from "node:assert/strict";
import { MAX_MATCHMAKE_BODY_BYTES, REQUEST_TIMEOUT_MS } from "../rooms/server/httpLimits.ts";
import { postWithoutFinishing, untilServerCloses } from "./support/http.ts";
import { metricValue, scrape } from "./support/metrics.ts";
import { bootServer, type TestServer } from "./support/server.ts";

const JSON_HEADERS = { "content-type": "application/json" };

describe("HTTP surface under hostile input", function () {
  this.timeout(REQUEST_TIMEOUT_MS + 20_000);
  let server: TestServer;
  before(async () => { server = await bootServer(); });
  after(async () => { await server.close(); });

  const matchmake = (method: string, target: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/matchmake/${method}/${target}`, { method: "POST", headers: { ...JSON_HEADERS, ...headers }, body });

  describe("matchmaking bodies", () => {
    it("answers 413 to a declared 64 MB body before any of it is sent", async () => {
      const answer = await postWithoutFinishing(server.url, "/matchmake/joinOrCreate/snek", { ...JSON_HEADERS, "content-length": String(64 * 1024 * 1024) });
      assert.equal(answer.status, 413);
      assert.match(JSON.parse(answer.body).error, new RegExp(`over ${MAX_MATCHMAKE_BODY_BYTES} bytes`));
    });

    it("answers 413 to a chunked body once it passes the limit", async () => {
      const answer = await postWithoutFinishing(server.url, "/matchmake/create/snek", { ...JSON_HEADERS, "transfer-encoding": "chunked" },
        `{"name": "${"x".repeat(MAX_MATCHMAKE_BODY_BYTES)}`);
      assert.equal(answer.status, 413);
    });

    it("ends an unfinished request within the request timeout", async () => {
      const head = `POST /matchmake/joinOrCreate/snek HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"na`;
      const received = await untilServerCloses(server.port, head, REQUEST_TIMEOUT_MS + 10_000);
      assert.match(received, /^HTTP\/1\.1 408/);
    });

    it("refuses prototype keys, null and non-object bodies with 400, and creates nothing", async () => {
      const roomsBefore = metricValue(await scrape(server.url), "roomservice_rooms_active");
      for (const body of ['{"__proto__": {"migration": "roomservice:migration:x"}}', '{"__proto__": {"private": "yes"}}',
        '{"constructor": {"prototype": {"private": true}}}', "null", '"a string"', "[1]"]) {
        for (const method of ["create", "joinOrCreate"]) {
          const res = await matchmake(method, "snek", body);
          assert.equal(res.status, 400, `${method} ${body}`);
          assert.match(((await res.json()) as { error: string }).error, /invalid join options/, body);
        }
      }
      const rooms = metricValue(await scrape(server.url), "roomservice_rooms_active");
      assert.equal(rooms, roomsBefore);
      assert.ok(rooms >= 0);
    });

    it("answers a reconnect without a token with 400 (a client mistake), not 503 (retry)", async () => {
      const res = await matchmake("reconnect", "someRoom", "{}");
      assert.equal(res.status, 400);
      assert.match(((await res.json()) as { error: string }).error, /reconnectionToken is required/);
    });
  });

  describe("errors", () => {
    it("answers unknown paths and malformed ones with JSON, without stack traces or paths", async () => {
      for (const path of ["/no/such/page", "/%E0%A4%A", "/api/rooms/%ZZ"]) {
        const res = await fetch(`${server.url}${path}`);
        assert.ok(res.status >= 400 && res.status < 500, `${path}: ${res.status}`);
        assert.match(res.headers.get("content-type") ?? "", /application\/json/, path);
        const text = await res.text();
        const json = JSON.parse(text) as { code: number; error: string };
        assert.equal(json.code, res.status);
        assert.doesNotMatch(text, /\bat \S+ \(|\/node_modules\/|\/rooms\//, path);
      }
    });
  });

  describe("origins", () => {
    it("allows any origin by default, never with credentials", async () => {
      const origin = "https://evil.example";
      const preflight = await fetch(`${server.url}/matchmake/joinOrCreate/snek`, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST" } });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
      assert.equal(preflight.headers.get("access-control-allow-credentials"), null);
      for (const res of [await matchmake("joinOrCreate", "snek", "{}", { origin }), await fetch(`${server.url}/metrics`, { headers: { origin } })]) {
        assert.equal(res.headers.get("access-control-allow-origin"), "*");
        assert.equal(res.headers.get("access-control-allow-credentials"), null);
        await res.body?.cancel();
      }
    });
  });
});
