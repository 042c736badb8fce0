// The web client through the local multi-replica cluster: redis-server, two
// replicas serving web/dist, and the nginx edge in front. First the whole
// browser suite (play.test.ts) runs unchanged with WEB_E2E_URL at the edge, so
// nothing is copied; then what only a cluster shows: each page's socket takes
// its replica's route, and the edge hands it to that replica's port.

import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { startCluster, type Cluster } from "../../deploy/local/cluster.ts";
import { ensureWebBuild } from "../../scripts/ensure-web-build.ts";
import { skipWithoutBinaries } from "../support/binaries.ts";
import { exitOf } from "../support/cluster.ts";
import { waitFor } from "../support/wait.ts";
import { skipWithoutBrowser, hookOf, launchBrowser } from "./browser.ts";
import { openWatchedGame, routeOf, type GameSocket } from "./sockets.ts";

describe("web client through the cluster edge (2 replicas)", function () {
  // The whole play suite runs inside the first test: about a minute alone, two on a busy CI box.
  this.timeout(240_000);
  let cluster: Cluster;
  let browser: Browser | undefined;
  let suite: ChildProcess | undefined;

  before(async function () {
    skipWithoutBinaries(this, ["redis-server", "nginx"]);
    skipWithoutBrowser(this);
    // The replicas serve web/dist as it is on disk.
    ensureWebBuild({ log: () => undefined });
    cluster = await startCluster({ replicas: 2, env: { ROOM_BOTS: "0" } });
  });

  after(async () => {
    if (suite && suite.exitCode === null && suite.pid !== undefined) suite.kill("SIGTERM");
    await browser?.close();
    await cluster?.stop();
  });

  it("passes the browser suite (test/web/play.test.ts) with WEB_E2E_URL at the edge", async () => {
    // The same tests, not copies: the suite reads WEB_E2E_URL and checks turns against what an SDK client decodes.
    suite = spawn("npx", ["mocha", "--no-config", "--extension", "ts", "--timeout", "60000", "--exit", "test/web/play.test.ts"], {
      env: { ...process.env, WEB_E2E_URL: cluster.url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    suite.stdout!.on("data", (chunk: Buffer) => { output += chunk.toString(); });
    suite.stderr!.on("data", (chunk: Buffer) => { output += chunk.toString(); });
    const code = await exitOf(suite);
    const report = output.trimEnd().split("\n").map((line) => `      | ${line}`).join("\n");
    console.log(report);
    assert.equal(code, 0, "the browser suite failed through the edge (its report is above)");
    assert.match(output, /\d+ passing/);
    assert.doesNotMatch(output, /\d+ failing/);
  });

  it("routes each page's socket through its room's replica: /game-<i>/ in the URL, that replica's port in the edge log", async () => {
    browser = await launchBrowser();
    const pages: Page[] = [];
    const sockets: GameSocket[][] = [];
    for (const name of ["ivy", "jon"]) {
      const game = await openWatchedGame(browser, cluster.url, `/?name=${name}&play=1`);
      pages.push(game.page);
      sockets.push(game.sockets);
    }
    const hooks = await Promise.all(pages.map(hookOf));
    assert.ok(hooks[0]!.roomId);
    assert.equal(hooks[0]!.roomId, hooks[1]!.roomId, "quick play puts both pages in one room");

    const routes = sockets.map((list) => {
      assert.equal(list.length, 1, "one game socket per page");
      const url = list[0]!.url;
      assert.equal(new URL(url).host, new URL(cluster.url).host, "the socket goes to the origin that served the page");
      assert.ok(url.includes(`/${hooks[0]!.roomId}`), `the socket ${url} names the room`);
      return { url, replica: routeOf(url) };
    });
    const owner = routes[0]!.replica;
    assert.ok(owner && cluster.replicas.some((r) => r.name === owner), `the socket ${routes[0]!.url} names a replica's route`);
    assert.equal(routes[1]!.replica, owner, "both pages reach the replica that holds their room");

    // nginx logs a WebSocket when it closes: close the pages, then find their upgrades in the edge's access log.
    await Promise.all(pages.map((page) => page.context().close()));
    const ownerPort = cluster.replica(owner).port;
    for (const { url } of routes) {
      const { pathname, search } = new URL(url);
      // The edge logs paths without their query: a socket's query can carry a reconnection token.
      const entry = await waitFor(`the edge log entry for ${pathname}`, () => accessLog(cluster).find((e) => e.request.includes(`${pathname} `)), 10_000, 50);
      assert.equal(entry.status, "101", "upgraded to a WebSocket");
      assert.equal(entry.upstream, `127.0.0.1:${ownerPort}`, `the edge sent ${pathname} to ${owner}`);
      assert.ok(!entry.request.includes(search), `the edge log holds the socket's query: ${entry.request}`);
    }
  });
});

interface EdgeLogEntry { request: string; status: string; upstream: string }

function accessLog(cluster: Cluster): EdgeLogEntry[] {
  return readFileSync(cluster.accessLogPath, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as EdgeLogEntry);
}
