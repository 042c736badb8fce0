// npm run bench:edge — join latency and failures through the nginx edge with
// two replicas: 1,000 sequential joins and 1,000 concurrent ones (in batches).
// Then the same against an edge that routes everything round-robin, ignoring
// which replica owns a room: the contrast that shows why per-replica routing
// is needed. Loopback only; real redis-server, replicas, nginx and SDK clients.

import { Client } from "@colyseus/sdk";
import { startCluster, type Cluster } from "../deploy/local/cluster.ts";
import type { EdgeMode } from "../deploy/edge/nginxConfig.ts";
import { countConsoleLines } from "../loadtest/sdkConsole.ts";

const JOINS = Number(process.env.BENCH_JOINS ?? 1000);
const BATCH = Number(process.env.BENCH_BATCH ?? 50);
const JOIN_TIMEOUT_MS = 10_000;

interface Run { latenciesMs: number[]; failures: number; errors: Map<string, number> }

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function joinOnce(url: string, run: Run): Promise<void> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const join = new Client(url).joinOrCreate("snek", { name: "bench" });
    const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error("join timed out")), JOIN_TIMEOUT_MS); });
    const room = await Promise.race([join, timeout]);
    run.latenciesMs.push(performance.now() - started);
    await room.leave(true).catch(() => undefined);
  } catch (error) {
    run.failures++;
    const key = String((error as Error).message ?? error).replace(/"[^"]*"/g, '"…"').slice(0, 80);
    run.errors.set(key, (run.errors.get(key) ?? 0) + 1);
  } finally {
    clearTimeout(timer);
  }
}

async function measure(cluster: Cluster, concurrent: boolean): Promise<Run> {
  const run: Run = { latenciesMs: [], failures: 0, errors: new Map() };
  if (!concurrent) {
    for (let i = 0; i < JOINS; i++) await joinOnce(cluster.url, run);
  } else {
    for (let i = 0; i < JOINS; i += BATCH) {
      await Promise.all(Array.from({ length: Math.min(BATCH, JOINS - i) }, () => joinOnce(cluster.url, run)));
    }
  }
  return run;
}

/** The SDK prints a line per failed join (about 500 on the round-robin edge): counted here, not printed. */
const sdkLines = countConsoleLines();
const say = sdkLines.print;
const results: string[] = [];

function report(label: string, run: Run): void {
  const sorted = [...run.latenciesMs].sort((a, b) => a - b);
  const rate = ((run.failures / JOINS) * 100).toFixed(1);
  results.push(`  ${label.padEnd(40)} p50 ${percentile(sorted, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(sorted, 95).toFixed(1).padStart(6)} ms   p99 ${percentile(sorted, 99).toFixed(1).padStart(6)} ms   failures ${run.failures}/${JOINS} (${rate}%)`);
  for (const [error, count] of run.errors) results.push(`      ${count} x ${error}`);
}

async function bench(mode: EdgeMode): Promise<void> {
  const cluster = await startCluster({ replicas: 2, mode, env: { LOG_LEVEL: "warn", DRAIN_SECONDS: "0" } });
  try {
    say(`edge mode ${mode}: ${cluster.url}, replicas ${cluster.replicas.map((r) => r.name).join(", ")}; joining…`);
    results.push(`edge mode: ${mode}`);
    report(`${JOINS} sequential joins`, await measure(cluster, false));
    report(`${JOINS} concurrent joins (batches of ${BATCH})`, await measure(cluster, true));
  } finally {
    await cluster.stop();
  }
}

say(`bench:edge — ${JOINS} joins each way through nginx to 2 replicas with Redis, loopback (a few minutes)`);
await bench("per-replica");
await bench("round-robin");
const sdkTotal = [...sdkLines.counts.values()].reduce((a, b) => a + b, 0);
say("");
if (sdkTotal > 0) {
  say(`SDK console lines (counted, not printed): ${sdkTotal}`);
  for (const [line, count] of sdkLines.counts) say(`  ${count} x ${line}`);
}
say("results:");
for (const line of results) say(line);
