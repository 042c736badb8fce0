// The first minutes at a terminal, with the real server process: the URL to
// open, a busy port, and Ctrl-C during a drain.

import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { Client } from "@colyseus/sdk";
import { REPO_ROOT, startServerProcess, type ServerProcess } from "../loadtest/serverProcess.ts";
import { nextEvent, waitFor } from "./support/wait.ts";

interface Started {
  child: ChildProcess;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `node rooms/server/main.ts` as a person runs it, outside npm (npm's own signal forwarding is not under test here). */
function startMain(env: Record<string, string>): Started {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("npm_")));
  const child = spawn(process.execPath, ["rooms/server/main.ts"], {
    cwd: REPO_ROOT,
    env: { ...clean, HOST: "127.0.0.1", LOG_LEVEL: "warn", WEB_DIST: "does/not/exist", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stdout!.resume();
  child.stderr!.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
  const exited = nextEvent<[number | null, NodeJS.Signals | null]>("the server to exit", (done) => child.once("exit", done), 20_000)
    .then(([code, signal]) => ({ code, signal }));
  return { child, stderr: () => stderr, exited };
}

describe("starting and stopping the server process", function () {
  this.timeout(40_000);
  let first: ServerProcess;
  const leftovers: ChildProcess[] = [];
  before(async () => { first = await startServerProcess(); });
  after(async () => {
    for (const child of leftovers) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await first?.stop();
  });

  it("prints the URL to open", async () => {
    const port = new URL(first.url).port;
    assert.match(first.output(), new RegExp(`open http://127\\.0\\.0\\.1:${port} to play`));
  });

  it("started by an older Node, says in one line which Node it needs", function () {
    // The system Node, if it is older than the server needs (Debian's is 20): what a newcomer runs by hand.
    const older = ["/usr/bin/node", "/usr/local/bin/node"].map((bin) => ({ bin, version: spawnSync(bin, ["--version"], { encoding: "utf8" }).stdout?.trim() }))
      .find(({ version }) => version && /^v(\d+)\.(\d+)/.test(version) && Number(/^v(\d+)/.exec(version)![1]) < 22);
    if (!older) this.skip();
    const run = spawnSync(older.bin, ["rooms/server/start.js"], { cwd: REPO_ROOT, encoding: "utf8", timeout: 10_000 });
    assert.equal(run.status, 1);
    assert.equal(run.stderr.trim(), `roomservice needs Node >= 22.18 (found ${older.version!.slice(1)}); run it with npm start, which uses the Node 24 that npm install put in node_modules`);
  });

  it("a second server on a busy port exits non-zero with one line naming the port", async () => {
    const port = new URL(first.url).port;
    const second = startMain({ PORT: port });
    leftovers.push(second.child);
    const { code } = await second.exited;
    assert.notEqual(code, 0);
    assert.equal(second.stderr().trim(), `roomservice: port ${port} is in use: is another roomservice running? Stop it, or set PORT (e.g. PORT=2568 npm start)`);
  });

  it("Ctrl-C drains with a line saying how to stop now; a second Ctrl-C stops at once", async () => {
    const server = startMain({ PORT: "0", DRAIN_SECONDS: "600" });
    leftovers.push(server.child);
    const url = (await waitFor("the URL line", () => /open (http:\/\/\S+) to play/.exec(server.stderr())?.[1], 15_000));
    const room = await new Client(url).joinOrCreate("snek", { name: "stays" });
    room.onMessage("draining", () => {});
    // The server goes away for good: no reconnection attempts.
    room.reconnection.enabled = false;
    try {
      server.child.kill("SIGINT");
      await waitFor("the drain line", () => server.stderr().includes("draining: 1 player has 600 s; press Ctrl-C again to stop now"), 5000);
      server.child.kill("SIGINT");
      // Bounded far below the 600 s drain: only the second Ctrl-C can end it this soon.
      const { code } = await server.exited;
      assert.equal(code, 130);
      assert.match(server.stderr(), /second Ctrl-C: stopping now/);
    } finally {
      room.connection.close();
    }
  });
});
