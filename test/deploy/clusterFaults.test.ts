// `npm run cluster` as a fault-drill bench: a replica killed under it is
// reported and the rest keep serving players; --stop-on-exit brings back the
// old stop-everything behaviour. Real redis-server, replicas and nginx.

import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { Client } from "@colyseus/sdk";
import { freePorts } from "../../deploy/local/ports.ts";
import { skipWithoutBinaries } from "../support/binaries.ts";
import { withTimeout } from "../support/cluster.ts";
import { nextEvent, waitFor } from "../support/wait.ts";

interface RunningCli {
  cli: ChildProcess;
  url: string;
  output: string[];
  exited: Promise<[number | null, NodeJS.Signals | null]>;
  /** The pid the CLI printed for a replica. */
  pidOf(name: string): number;
}

async function startCli(extraArgs: string[]): Promise<RunningCli> {
  const [port] = await freePorts(1);
  // Its own process group, like a terminal job, so the test can stop it with a group SIGINT (Ctrl-C).
  const cli = spawn(process.execPath, ["scripts/cluster.ts", "--replicas", "2", "--port", String(port), "--no-web-build", ...extraArgs],
    { detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LOG_LEVEL: "warn" } });
  const output: string[] = [];
  const onLine = (line: string): void => { output.push(line); };
  createInterface({ input: cli.stdout! }).on("line", onLine);
  createInterface({ input: cli.stderr! }).on("line", onLine);
  const exited = nextEvent<[number | null, NodeJS.Signals | null]>("the CLI to exit", (done) => cli.once("exit", done), 85_000);
  await waitFor("the CLI's 'Ctrl-C stops everything' line", () => output.some((l) => l.includes("Ctrl-C stops everything")), 60_000, 50);
  return {
    cli, url: `http://127.0.0.1:${port}`, output, exited,
    pidOf: (name) => {
      const line = output.find((l) => l.trim().startsWith(`${name} `));
      const pid = Number(/pid (\d+)/.exec(line ?? "")?.[1]);
      if (!Number.isInteger(pid)) throw new Error(`no pid printed for ${name}:\n${output.join("\n")}`);
      return pid;
    },
  };
}

describe("npm run cluster when a replica dies", function () {
  this.timeout(90_000);
  let running: RunningCli | undefined;

  before(function () {
    skipWithoutBinaries(this, ["redis-server", "nginx"]);
  });
  afterEach(async () => {
    const cli = running?.cli;
    if (cli?.exitCode === null && cli.signalCode === null) {
      process.kill(-cli.pid!, "SIGINT");
      await running!.exited;
    }
    running = undefined;
  });

  it("says so and keeps the edge, Redis and the other replica serving players", async () => {
    running = await startCli([]);
    process.kill(running.pidOf("game-0"), "SIGKILL");
    const said = await waitFor("the CLI to report the death", () => running!.output.find((l) => l.includes("game-0") && l.includes("was killed by SIGKILL")), 20_000, 50);
    assert.match(said, /the other processes keep running/);
    assert.equal(running.cli.exitCode, null, "the CLI is still running");

    const room = await waitFor("quick play through the edge, on the surviving replica", async () => {
      try {
        return await withTimeout("join", new Client(running!.url).joinOrCreate("snek", { name: "survivor" }), 10_000);
      } catch {
        return undefined;
      }
    }, 30_000, 500);
    assert.match(room.connection.url ?? "", /\/game-1\//);
    await room.leave();
    process.kill(-running.cli.pid!, "SIGINT");
    const [code] = await running.exited;
    assert.equal(code, 130);
  });

  it("stops everything instead with --stop-on-exit", async () => {
    running = await startCli(["--stop-on-exit"]);
    process.kill(running.pidOf("game-1"), "SIGKILL");
    const [code] = await running.exited;
    assert.equal(code, 1);
    assert.ok(running.output.some((l) => l.includes("game-1") && l.includes("stopping everything")), running.output.join("\n"));
  });
});
