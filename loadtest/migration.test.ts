// The bots follow a room move like players do, and the report says so:
// `migrations` (bots moved) and `migration_pause_ms` (per bot, last patch
// before to first state after). Real redis-server, two replicas, nginx edge.

import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startCluster, type Cluster } from "../deploy/local/cluster.ts";
import { skipWithoutBinaries } from "../test/support/binaries.ts";
import { metricValue, scrape } from "../test/support/metrics.ts";
import { waitFor } from "../test/support/wait.ts";
import { runCli } from "./cliRun.ts";

describe("npm run loadtest through a room move", function () {
  this.timeout(120_000);
  let cluster: Cluster;
  let dir: string;

  before(async function () {
    skipWithoutBinaries(this, ["redis-server", "nginx"]);
    cluster = await startCluster({ replicas: 2, env: { ROOM_BOTS: "0", LOG_LEVEL: "warn", DRAIN_SECONDS: "10" } });
    dir = await mkdtemp(path.join(tmpdir(), "loadtest-move-"));
  });
  after(async () => {
    await cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("follows the bots' room to the other replica and reports the moves and their pauses", async () => {
    const reportPath = path.join(dir, "report.json");
    const run = runCli(["--url", cluster.url, "--bots", "16", "--duration", "14", "--ramp", "16", "--report", reportPath], 90_000);
    // Once the bots play in a room, drain the replica that holds it.
    const owner = await waitFor("the bots' room on a replica", async () => {
      for (const replica of cluster.replicas) {
        const clients = await scrape(replica.url).then((text) => metricValue(text, "roomservice_clients_connected")).catch(() => 0);
        if (clients >= 16) return replica;
      }
      return undefined;
    }, 30_000, 100);
    const stopped = await cluster.stopReplica(owner.name, "SIGTERM");
    assert.equal(stopped.code, 0);

    const result = await run;
    assert.equal(result.code, 0, `exit ${result.code}\n${result.stdout}\n${result.stderr}`);
    const report = JSON.parse(await readFile(reportPath, "utf8"));
    assert.equal(report.migrations, 16, "every bot followed its room");
    assert.equal(report.bots_connected, 16);
    assert.deepEqual(report.errors, { join: 0, disconnect: 0, other: 0 });
    for (const key of ["p50", "p99", "max"]) {
      assert.ok(report.migration_pause_ms[key] > 0, `migration_pause_ms.${key} = ${report.migration_pause_ms[key]}`);
    }
    assert.ok(report.migration_pause_ms.p50 <= report.migration_pause_ms.max);
    assert.match(result.stdout, /room moves\s+16 bots followed their room/);
  });
});
