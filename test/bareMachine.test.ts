// `npm test` on a machine without redis-server, nginx or a working Chromium:
// the topology suites skip with the install line and the run passes. The
// binaries are hidden in a private mount namespace, under an empty file that
// cannot be executed: redis-server and nginx look missing, and Chromium exists
// but fails to start (spawn EACCES), as on a laptop with a broken install.

import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { REPO_ROOT } from "../loadtest/serverProcess.ts";
import { findBinary } from "../deploy/local/binaries.ts";
import { CHROMIUM_PATH, skipBecause } from "./support/binaries.ts";
import { nextEvent } from "./support/wait.ts";

/** A few suites that need each binary; not the whole tree, to keep the run short. */
const TOPOLOGY_SUITES = ["test/cluster/scaleout.test.ts", "test/deploy/cluster.test.ts", "test/web/play.test.ts"];

describe("a bare machine (no redis-server, nginx or runnable Chromium)", function () {
  this.timeout(180_000);
  let dir: string;

  before(function () {
    const unshare = findBinary("unshare");
    const canUnshare = unshare !== undefined && process.getuid?.() === 0 && spawnSync(unshare, ["--mount", "true"]).status === 0;
    if (!canUnshare) skipBecause(this, "hiding binaries needs root and unshare(1) (util-linux) to make a private mount namespace");
    dir = mkdtempSync(path.join(tmpdir(), "roomservice-bare-"));
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it("skips the topology suites with the install line, and the run passes (CI unset)", async () => {
    const stub = path.join(dir, "not-executable");
    writeFileSync(stub, "");
    chmodSync(stub, 0o644);
    const hidden = [findBinary("redis-server"), findBinary("nginx"), CHROMIUM_PATH].filter((p): p is string => p !== undefined && existsSync(p));
    const mounts = hidden.map((target) => `mount --bind '${stub}' '${target}'`).join(" && ");
    const mocha = path.join(REPO_ROOT, "node_modules/mocha/bin/mocha.js");
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== "CI"));
    const child = spawn("unshare", ["--mount", "--propagation", "private", "sh", "-c", `${mounts || "true"} && exec "$0" "$@"`,
      process.execPath, mocha, "--no-config", "--extension", "ts", "--timeout", "60000", "--exit", ...TOPOLOGY_SUITES], {
      cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr!.on("data", (chunk: Buffer) => { output += chunk.toString(); });
    const [code] = await nextEvent<[number | null]>("the bare-machine run to finish", (done) => child.once("exit", done), 170_000)
      .catch((error: Error) => { child.kill("SIGKILL"); throw error; });

    assert.equal(code, 0, output);
    assert.match(output, /skipped: redis-server and nginx not found .*apt-get install -y redis-server nginx/);
    assert.match(output, /chromium at \S+ cannot run here \(spawn EACCES\)\. Install with: apt-get install -y chromium/);
    assert.match(output, /\d+ passing/);
    assert.match(output, /\d+ pending/);
    assert.doesNotMatch(output, /failing/);
  });
});
