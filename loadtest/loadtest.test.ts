import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { waitFor } from "../test/support/wait.ts";
import { scrapeServer } from "./serverMetrics.ts";
import { startServerProcess, type ServerProcess } from "./serverProcess.ts";
import { REPORT_KEYS, runCli } from "./cliRun.ts";


describe("npm run loadtest against a real server", function () {
  this.timeout(60_000);
  let server: ServerProcess;
  let dir: string;

  before(async () => {
    server = await startServerProcess();
    dir = await mkdtemp(path.join(tmpdir(), "loadtest-"));
  });
  after(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("runs 40 playing bots for 10 s and reports every figure, with zero errors", async () => {
    const reportPath = path.join(dir, "report.json");
    const run = await runCli(["--url", server.url, "--bots", "40", "--duration", "10", "--ramp", "20", "--report", reportPath,
      "--max-error-rate", "0", "--max-p99-rtt-ms", "10000"], 45_000);
    assert.equal(run.code, 0, `exit ${run.code}\n${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /loadtest summary/);

    const report = JSON.parse(await readFile(reportPath, "utf8")) as Record<string, any>; // any: a parsed file, checked key by key below
    for (const key of REPORT_KEYS) assert.ok(key in report, `report has ${key}`);
    assert.equal(report.bots_target, 40);
    assert.equal(report.bots_connected, 40, "all bots connected at the end");
    assert.ok(report.duration_s >= 10 && report.duration_s < 30, `duration_s ${report.duration_s}`);
    for (const key of ["join_ms", "rtt_ms"]) {
      const p = report[key];
      assert.deepEqual(Object.keys(p), ["p50", "p95", "p99", "max"], key);
      assert.ok(p.p50 > 0 && p.p50 <= p.p95 && p.p95 <= p.p99 && p.p99 <= p.max, `${key} ${JSON.stringify(p)}`);
    }
    const interval = report.patch_interval_ms;
    assert.deepEqual(Object.keys(interval), ["p50", "p99", "max"]);
    // One patch per tick at the default 10 Hz: a median far from 100 ms would mean a broken measurement.
    assert.ok(interval.p50 > 25 && interval.p50 < 1000 && interval.p50 <= interval.p99 && interval.p99 <= interval.max, JSON.stringify(interval));
    assert.deepEqual(report.errors, { join: 0, disconnect: 0, other: 0 });
    assert.ok(report.bytes_per_client_per_s > 0, "bytes were received");
    assert.ok(report.bytes_per_client_per_s < report.json_full_state_bytes_per_client_per_s, "patches cost less than full-state JSON");
    assert.ok(report.loadgen_cpu_percent > 0, "the load generator measured its own CPU");

    // The bots really played: they turned, and nobody was told off for flooding.
    assert.ok(report.gameplay.turns_per_bot_per_s > 0, "bots turned");
    assert.deepEqual(report.gameplay.rejected, {});
    // The server saw the same players and (within a tick in flight) the same patch bytes as the bots.
    assert.equal(report.server.clients_connected_at_end, 40);
    const ratio = report.server.patch_bytes_delta / report.patch_bytes_total;
    assert.ok(ratio > 0.95 && ratio <= 1.01, `server patch bytes ${report.server.patch_bytes_delta} vs bots ${report.patch_bytes_total}`);
  });

  it("runs Four in a row bots (--room four) that pair up in rooms and play only legal moves", async () => {
    const reportPath = path.join(dir, "four.json");
    const run = await runCli(["--url", server.url, "--room", "four", "--bots", "6", "--duration", "8", "--ramp", "6", "--report", reportPath,
      "--max-error-rate", "0"], 45_000);
    assert.equal(run.code, 0, `exit ${run.code}\n${run.stdout}\n${run.stderr}`);
    const report = JSON.parse(await readFile(reportPath, "utf8")) as Record<string, any>; // any: a parsed file, checked key by key below
    assert.equal(report.bots_connected, 6);
    assert.equal(report.rooms, 3, "two players per room");
    assert.ok(report.gameplay.turns_per_bot_per_s > 0, "bots dropped discs");
    // Every drop was legal: the server refused none (not your turn, full column, game over…).
    assert.deepEqual(report.gameplay.rejected, {});
    assert.deepEqual(report.errors, { join: 0, disconnect: 0, other: 0 });
  });

  it("puts each group of bots in private rooms of its own", async () => {
    const reportPath = path.join(dir, "private.json");
    const running = runCli(["--url", server.url, "--bots", "12", "--group-size", "6", "--private", "--rooms-per-bot-group", "2",
      "--duration", "6", "--ramp", "12", "--name-prefix", "p-", "--report", reportPath], 30_000);
    // While they play, the server has 12 players and lists none of their rooms for matchmaking.
    await waitFor("12 bots on the server", async () => (await scrapeServer(server.url))?.roomservice_clients_connected === 12, 15_000, 100);
    // Only Snek rooms are theirs: the Four in a row test before may still hold its empty rooms for reconnection.
    const listed = await (await fetch(`${server.url}/api/rooms`)).json() as { name: string }[];
    assert.deepEqual(listed.filter((room) => room.name === "snek"), []);
    const run = await running;
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    const report = JSON.parse(await readFile(reportPath, "utf8")) as { bots_connected: number; rooms: number; errors: Record<string, number> };
    assert.equal(report.bots_connected, 12);
    assert.equal(report.rooms, 4, "2 groups x 2 rooms of 3 bots");
    assert.deepEqual(report.errors, { join: 0, disconnect: 0, other: 0 });
  });

  it("exits 1 when the round-trip threshold is broken", async () => {
    const reportPath = path.join(dir, "rtt.json");
    const run = await runCli(["--url", server.url, "--bots", "5", "--duration", "3", "--ramp", "10", "--max-p99-rtt-ms", "0.001", "--report", reportPath], 30_000);
    assert.equal(run.code, 1, `${run.stdout}\n${run.stderr}`);
    const report = JSON.parse(await readFile(reportPath, "utf8")) as { thresholds: { broken: string[] } };
    assert.match(report.thresholds.broken.join("\n"), /rtt p99/);
  });

  it("exits 1 when the error-rate threshold is broken", async () => {
    // No such room: every join fails, deterministically.
    const run = await runCli(["--url", server.url, "--room", "no-such-room", "--bots", "3", "--duration", "2", "--ramp", "10", "--max-error-rate", "0"], 30_000);
    assert.equal(run.code, 1, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /error rate 1 > --max-error-rate 0/);
  });

  it("exits 2 on a usage error, naming the flag", async () => {
    const run = await runCli(["--bots", "0"], 15_000);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--bots/);
  });
});
