// The local cluster (deploy/local/, and its command line scripts/cluster.ts) as real processes on loopback:
// redis-server, two replicas and the nginx edge. This proves the topology
// (routing, restarts, clean stop); gameplay across replicas is tested in
// test/cluster/ on top of startCluster.

import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { Client } from "@colyseus/sdk";
import { MissingBinariesError, requireBinaries } from "../../deploy/local/binaries.ts";
import { startCluster, type Cluster } from "../../deploy/local/cluster.ts";
import { freePorts } from "../../deploy/local/ports.ts";
import { skipWithoutBinaries } from "../support/binaries.ts";
import { nextEvent, waitFor } from "../support/wait.ts";

interface AccessLine { request: string; status: string; upstream: string }

function accessLog(cluster: Cluster): AccessLine[] {
  if (!existsSync(cluster.accessLogPath)) return [];
  return readFileSync(cluster.accessLogPath, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as AccessLine);
}

/** nginx writes a request's log line when it finishes (a socket's when it closes), so wait for it. */
function loggedRequest(cluster: Cluster, what: string, matches: (path: string) => boolean): Promise<AccessLine> {
  return waitFor(`the edge's access log line for ${what}`, () => accessLog(cluster).find((l) => matches(l.request.split(" ")[1] ?? "")));
}

/** Every process below these pids (children, grandchildren such as nginx workers), and the pids themselves. */
function processTree(roots: number[]): number[] {
  const table = execFileSync("ps", ["-eo", "pid=,ppid="], { encoding: "utf8" })
    .split("\n").map((l) => l.trim().split(/\s+/).map(Number)).filter((p) => p.length === 2 && p.every(Number.isFinite));
  const found = new Set(roots);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of table) {
      if (!found.has(pid!) && found.has(ppid!)) {
        found.add(pid!);
        grew = true;
      }
    }
  }
  return [...found];
}

/** A matchmaking request as the SDK sends it, through the edge. */
async function matchmake(url: string): Promise<{ status: number; error: string }> {
  const res = await fetch(`${url}/matchmake/joinOrCreate/snek`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "edge-probe" }) });
  const body = (await res.json()) as { error?: string };
  return { status: res.status, error: body.error ?? "" };
}

/** Running, or stopped: a zombie (dead, not yet reaped by whoever adopted it) does not count. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) state …"
    return readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "")[0] !== "Z";
  } catch {
    return true;
  }
}

describe("local cluster (deploy/local)", function () {
  this.timeout(90_000);
  let cluster: Cluster | undefined;
  const lines: string[] = [];

  before(async function () {
    skipWithoutBinaries(this, ["redis-server", "nginx"]);
    cluster = await startCluster({ replicas: 2, env: { ROOM_BOTS: "0", DRAIN_SECONDS: "0", LOG_LEVEL: "warn" }, log: (line) => lines.push(line) });
  });
  after(async () => {
    await cluster?.stop();
  });

  it("answers /healthz through the edge, on loopback", async () => {
    assert.match(cluster!.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${cluster!.url}/healthz`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "ok\n");
  });

  it("routes /game-0/… to game-0 and /game-1/… to game-1", async () => {
    for (const replica of cluster!.replicas) {
      const probe = `/${replica.name}/edge-routing-probe`;
      const res = await fetch(`${cluster!.url}${probe}`);
      await res.body?.cancel();
      const line = await loggedRequest(cluster!, probe, (path) => path === probe);
      assert.equal(line.upstream, `127.0.0.1:${replica.port}`, `${probe} was served by ${replica.name}`);
    }
  });

  it("gives a player joining through the edge a socket on the replica that owns the room, through that replica's route", async () => {
    const room = await new Client(cluster!.url).joinOrCreate("snek", { name: "edge-smoke" });
    const replicaName = /\/(game-\d+)\//.exec(room.connection.url ?? "")?.[1];
    assert.ok(replicaName, `socket URL under a replica route: ${room.connection.url}`);
    const replica = cluster!.replica(replicaName);
    assert.equal(new URL(room.connection.url!).host, cluster!.url.replace("http://", ""), "the socket goes through the edge");
    await nextEvent("a state patch", (done) => room.onStateChange.once(done));
    await room.leave(true);
    const socketPath = new URL(room.connection.url!).pathname;
    const line = await loggedRequest(cluster!, `the socket ${socketPath}`, (path) => path.split("?")[0] === socketPath);
    assert.equal(line.status, "101", "WebSocket upgrade through the edge");
    assert.equal(line.upstream, `127.0.0.1:${replica.port}`);
  });

  it("restarts a replica with the same name, port and public address", async () => {
    const replica = cluster!.replica("game-1");
    const before = { pid: replica.process.pid, port: replica.port, publicAddress: replica.publicAddress };
    const status = await cluster!.stopReplica("game-1", "SIGTERM");
    assert.deepEqual(status, { code: 0, signal: null }, "a drained replica exits 0");
    await cluster!.startReplica("game-1");
    assert.notEqual(replica.process.pid, before.pid);
    assert.deepEqual({ port: replica.port, publicAddress: replica.publicAddress }, { port: before.port, publicAddress: before.publicAddress });
    assert.equal((await fetch(`${replica.url}/readyz`)).status, 200);
  });

  it("restarts Redis on the same port; meanwhile the edge passes on the replicas' own 503, and matchmaking recovers the moment they do", async () => {
    const c = cluster!;
    const status = await c.stopRedis();
    assert.equal(status.code, 0);
    for (const replica of c.replicas) {
      await waitFor(`${replica.name} not ready without Redis`, async () => (await fetch(`${replica.url}/readyz`)).status === 503, 10_000);
    }
    // Every replica answers 503, so the edge marks them all failed after the first request; the later ones still get the replicas' reason.
    for (let i = 0; i < 3; i++) {
      const refused = await matchmake(c.url);
      assert.equal(refused.status, 503);
      assert.match(refused.error, /Redis/, `request ${i}: the replica's own reason, not the edge's`);
    }
    await c.startRedis();
    for (const replica of c.replicas) {
      await waitFor(`${replica.name} ready again`, async () => (await fetch(`${replica.url}/readyz`)).status === 200, 20_000);
    }
    // Ready replicas are asked again at once, although the edge still has them marked failed.
    assert.equal((await matchmake(c.url)).status, 200);
  });

  it("answers for the replicas only when none is reachable, then routes to them again once they are back", async () => {
    const c = cluster!;
    await Promise.all(c.replicas.map((r) => c.stopReplica(r.name, "SIGKILL")));
    const refused = await fetch(`${c.url}/matchmake/joinOrCreate/snek`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get("retry-after"), "2");
    assert.match(((await refused.json()) as { error: string }).error, /no game server is reachable/);
    for (const replica of c.replicas) await c.startReplica(replica.name);
    assert.equal((await matchmake(c.url)).status, 200);
  });

  it("stops every process it started, nginx workers included, and removes its runtime dir", async () => {
    const c = cluster!;
    const roots = [c.edgeProcess.pid!, c.redisProcess.pid!, ...c.replicas.map((r) => r.process.pid!)];
    const tree = processTree(roots);
    assert.ok(tree.length > roots.length, "nginx has worker processes");
    await c.stop();
    assert.deepEqual(tree.filter(alive), [], "processes left after stop()");
    assert.equal(existsSync(c.runtimeDir), false);
    await c.stop(); // idempotent
  });
});

describe("npm run cluster (the CLI)", function () {
  this.timeout(90_000);
  let cli: ChildProcess | undefined;
  let tree: number[] = [];

  before(function () {
    skipWithoutBinaries(this, ["redis-server", "nginx"]);
  });
  after(() => {
    // Only if the test failed midway: nothing of the CLI may outlive the suite.
    for (const pid of tree.filter(alive)) process.kill(pid, "SIGKILL");
    if (cli?.exitCode === null) cli.kill("SIGKILL");
  });

  it("prints the edge URL and each replica, and Ctrl-C stops everything with no orphans", async () => {
    const [port] = await freePorts(1);
    // Its own process group, like a terminal job, so a group SIGINT is what Ctrl-C sends.
    cli = spawn(process.execPath, ["scripts/cluster.ts", "--replicas", "2", "--port", String(port), "--no-web-build"], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const output: string[] = [];
    const ready = nextEvent("the CLI's 'Ctrl-C stops everything' line", (done) => {
      const onLine = (line: string): void => {
        output.push(line);
        if (line.includes("Ctrl-C stops everything")) done();
      };
      createInterface({ input: cli!.stdout! }).on("line", onLine);
      createInterface({ input: cli!.stderr! }).on("line", onLine);
    }, 60_000);
    const exited = nextEvent<[number | null, NodeJS.Signals | null]>("the CLI to exit", (done) => cli!.once("exit", done), 80_000);
    await ready;

    const url = `http://127.0.0.1:${port}`;
    assert.ok(output.some((l) => l.includes(`behind ${url}`)), output.join("\n"));
    for (const name of ["game-0", "game-1"]) assert.ok(output.some((l) => l.trim().startsWith(name) && l.includes(`public address 127.0.0.1:${port}/${name}`)), `${name} listed`);
    assert.equal((await fetch(`${url}/healthz`)).status, 200);

    tree = processTree([cli.pid!]);
    assert.ok(tree.length >= 1 + 2 + 1 + 1 + 1, `cli, 2 replicas, redis, nginx master and workers: ${tree.length}`);
    process.kill(-cli.pid!, "SIGINT");
    const [code] = await exited;
    assert.equal(code, 130);
    assert.deepEqual(tree.filter(alive), [], "processes left after Ctrl-C");
  });
});

describe("a process that exits without stop()", function () {
  this.timeout(60_000);
  let tree: number[] = [];

  before(function () {
    skipWithoutBinaries(this, ["redis-server", "nginx"]);
  });
  after(() => {
    for (const pid of tree.filter(alive)) process.kill(pid, "SIGKILL");
  });

  it("takes its cluster's processes with it", async () => {
    const script = [
      `import { startCluster } from ${JSON.stringify(pathToFileURL(path.resolve("deploy/local/cluster.ts")).href)};`,
      `const cluster = await startCluster({ replicas: 1, env: { LOG_LEVEL: "warn" } });`,
      `console.log("started " + cluster.runtimeDir);`,
      // Exits when told to, with the cluster still running.
      `process.stdin.once("data", () => process.exit(0));`,
    ].join("\n");
    const parent = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["pipe", "pipe", "inherit"] });
    const exited = nextEvent<[number | null]>("the parent to exit", (done) => parent.once("exit", done), 50_000);
    const [runtimeDir] = await nextEvent<[string]>("the parent's 'started' line", (done) => createInterface({ input: parent.stdout! }).on("line", (line) => {
      if (line.startsWith("started ")) done(line.slice("started ".length));
    }), 45_000);
    assert.ok(existsSync(runtimeDir));
    tree = processTree([parent.pid!]);
    assert.ok(tree.length >= 1 + 1 + 1 + 2, `parent, replica, redis, nginx master and a worker: ${tree.length}`);
    parent.stdin!.end("exit\n");
    const [code] = await exited;
    assert.equal(code, 0);
    await waitFor("every process of the cluster gone", () => tree.every((pid) => !alive(pid)));
    assert.equal(existsSync(runtimeDir), false, "runtime dir removed");
  });
});

describe("missing binaries", () => {
  it("names a missing binary and how to install it", () => {
    // sh is on every machine this runs on; nginx may not be (this test runs on bare machines too).
    assert.throws(() => requireBinaries(["sh", "roomservice-no-such-binary"]), (error: unknown) => {
      assert.ok(error instanceof MissingBinariesError);
      assert.deepEqual(error.missing, ["roomservice-no-such-binary"]);
      assert.match(error.message, /roomservice-no-such-binary not found/);
      assert.match(error.message, /apt-get install -y roomservice-no-such-binary/);
      return true;
    });
    assert.match(new MissingBinariesError(["redis-server", "nginx"]).message, /apt-get install -y redis-server nginx/);
  });
});
