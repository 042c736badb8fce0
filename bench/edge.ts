// npm run bench:edge — join latency and failures through the nginx edge with
// two replicas: 1,000 sequential joins and 1,000 concurrent ones (in batches).
// Then the same against an edge that routes everything round-robin, ignoring
// which replica owns a room: the contrast that shows why per-replica routing
// is needed. Loopback only; real redis-server, replicas, nginx and SDK clients.
//
//   npm run bench:edge -- --burst-rate 1000 [--joins 1000] [--workers 1] [--client wire|sdk]
//
// instead starts joins at a steady N per second (open loop: a slow join does
// not slow the next one down), and every player keeps its seat until the
// burst is over, as when a game starts for a full lobby: rooms fill up while
// others are still joining. Each player drops its socket right after joining,
// without leaving, so the server holds its seat (RECONNECT_SECONDS) while this
// process does not decode a thousand players' patches as it measures. It
// prints latency, failures, rooms, the fullest room and its own CPU use;
// --workers spreads the load generator over several threads (cores).
//
// --client says who joins. `wire` (the default for bursts) speaks the
// protocol itself (edge/wireJoin.ts): the same HTTP matchmaking and WebSocket
// as the SDK, counted joined at the same JOIN_ROOM frame, but without the
// SDK's client work (about 3 ms of CPU a join here), which at 1,000 joins a
// second would take one of the two cores the replicas need; in production
// those joins are a thousand browsers. It also times the first full state.
// `sdk` uses real @colyseus/sdk clients, as the sequential and concurrent runs do.

import { availableParallelism, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { Client, CloseCode, type Room } from "@colyseus/sdk";
import { startCluster, type Cluster } from "../deploy/local/cluster.ts";
import type { EdgeMode } from "../deploy/edge/nginxConfig.ts";
import { countConsoleLines } from "../loadtest/sdkConsole.ts";
import { describeCpu, readCpu, totalCpu } from "./edge/cpuUse.ts";
import { WireClient, type WireSeat } from "./edge/wireJoin.ts";

const JOINS = Number(process.env.BENCH_JOINS ?? 1000);
const BATCH = Number(process.env.BENCH_BATCH ?? 50);
const JOIN_TIMEOUT_MS = 10_000;

interface Run { latenciesMs: number[]; failures: number; errors: Map<string, number> }

/** Who joins in a burst (see the top of this file). */
type JoinClient = "wire" | "sdk";
const JOIN_CLIENTS: readonly JoinClient[] = ["wire", "sdk"];
/** Warm-up joins before a burst (see warmUp). */
const DEFAULT_WARMUP = 300;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** One join, timed and bounded; `joined` decides what becomes of the seat. Failures are counted by message. */
async function timedJoin<Seat>(join: () => Promise<Seat>, run: Run, joined: (seat: Seat, startedMs: number) => Promise<void> | void): Promise<void> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error("join timed out")), JOIN_TIMEOUT_MS); });
    const seat = await Promise.race([join(), timeout]);
    run.latenciesMs.push(performance.now() - started);
    await joined(seat, started);
  } catch (error) {
    run.failures++;
    const key = String((error as Error).message ?? error).replace(/"[^"]*"/g, '"…"').slice(0, 80);
    run.errors.set(key, (run.errors.get(key) ?? 0) + 1);
  } finally {
    clearTimeout(timer);
  }
}

function joinOnce(url: string, run: Run): Promise<void> {
  return timedJoin(() => new Client(url).joinOrCreate("snek", { name: "bench" }), run, (room) => room.leave(true).then(() => undefined, () => undefined));
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

function report(label: string, run: Run, total = JOINS): void {
  const sorted = [...run.latenciesMs].sort((a, b) => a - b);
  const rate = ((run.failures / total) * 100).toFixed(1);
  results.push(`  ${label.padEnd(40)} p50 ${percentile(sorted, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(sorted, 95).toFixed(1).padStart(6)} ms   p99 ${percentile(sorted, 99).toFixed(1).padStart(6)} ms   max ${(sorted.at(-1) ?? NaN).toFixed(0)} ms   failures ${run.failures}/${total} (${rate}%)`);
  for (const [error, count] of run.errors) results.push(`      ${count} x ${error}`);
}

async function bench(mode: EdgeMode): Promise<void> {
  const cluster = await startCluster({ replicas: 2, mode, env: { ROOM_BOTS: "0", LOG_LEVEL: "warn", DRAIN_SECONDS: "0" } });
  try {
    say(`edge mode ${mode}: ${cluster.url}, replicas ${cluster.replicas.map((r) => r.name).join(", ")}; joining…`);
    results.push(`edge mode: ${mode}`);
    report(`${JOINS} sequential joins`, await measure(cluster, false));
    report(`${JOINS} concurrent joins (batches of ${BATCH})`, await measure(cluster, true));
  } finally {
    await cluster.stop();
  }
}

/** One load-generator thread's part of a burst: joins i, i + workers, i + 2 workers… of one schedule. */
interface Share { url: string; rate: number; joins: number; worker: number; workers: number; startAtMs: number; client: JoinClient }
interface ShareResult { latenciesMs: number[]; firstStateMs: number[]; failures: number; errors: [string, number][]; roomIds: string[] }

async function joinShare({ url, rate, joins, worker, workers, startAtMs, client }: Share): Promise<ShareResult> {
  const run: Run = { latenciesMs: [], failures: 0, errors: new Map() };
  const roomIds: string[] = [];
  const firstStateMs: number[] = [];
  const wire = client === "wire" ? new WireClient(url) : undefined;
  const pending: Promise<void>[] = [];
  for (let i = worker; i < joins; i += workers) {
    const wait = startAtMs + (i * 1000) / rate - Date.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(wire ? wireJoinAndStay(wire, run, roomIds, firstStateMs) : sdkJoinAndStay(url, run, roomIds));
  }
  await Promise.all(pending);
  wire?.close();
  return { latenciesMs: run.latenciesMs, firstStateMs, failures: run.failures, errors: [...run.errors], roomIds };
}

/** Drops, not leaves: the seat stays taken (see the top of this file). */
const KEEP_SEAT_CLOSE = 4010;

function sdkJoinAndStay(url: string, run: Run, roomIds: string[]): Promise<void> {
  return timedJoin(() => new Client(url).joinOrCreate("snek", { name: "burst" }), run, (room: Room) => {
    roomIds.push(room.roomId);
    room.reconnection.enabled = false;
    (room.connection.transport as unknown as { ws: WebSocket }).ws.close(KEEP_SEAT_CLOSE, "bench: keep the seat, skip the patches");
  });
}

/** As the SDK join, and the socket stays until the first full state (timed too), or JOIN_TIMEOUT_MS. */
function wireJoinAndStay(wire: WireClient, run: Run, roomIds: string[], firstStateMs: number[]): Promise<void> {
  return timedJoin(() => wire.joinOrCreate("snek", { name: "burst" }), run, async (seat: WireSeat, startedMs) => {
    roomIds.push(seat.roomId);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), JOIN_TIMEOUT_MS); });
    const stateAtMs = await Promise.race([seat.firstState.catch(() => undefined), timeout]);
    clearTimeout(timer);
    if (stateAtMs !== undefined) firstStateMs.push(stateAtMs - startedMs);
    seat.close(KEEP_SEAT_CLOSE);
  });
}

/**
 * Joins started every 1000/rate ms whatever happens to earlier ones; everyone
 * stays until the end. `workers` threads share the schedule, so the load
 * generator can use more than one core.
 */
/** Joins at a time while warming up: gentle enough that none of them waits long. */
const WARMUP_BATCH = 10;
/** An empty room closes once its last seat reservation would have expired (15 s). */
const WARMUP_ROOMS_GONE_MS = 30_000;

/**
 * Warms the replicas up as a server that has been running is: `count` joins,
 * WARMUP_BATCH at a time, each leaving on purpose once it has the state, so
 * the burst meets code V8 has optimized rather than its first run through
 * it (the first few hundred joins of a fresh replica take several times
 * longer). Then waits until the emptied rooms are gone from the listing.
 * Returns what to say about it: failed warm-up joins, rooms left over.
 */
async function warmUp(url: string, count: number): Promise<string> {
  if (count === 0) return "no warm-up";
  const wire = new WireClient(url);
  const run: Run = { latenciesMs: [], failures: 0, errors: new Map() };
  for (let i = 0; i < count; i += WARMUP_BATCH) {
    await Promise.all(Array.from({ length: Math.min(WARMUP_BATCH, count - i) }, () => timedJoin(async () => {
      const seat = await wire.joinOrCreate("snek", { name: "warm-up" });
      try {
        await seat.firstState;
      } finally {
        seat.close(CloseCode.CONSENTED);
      }
    }, run, () => undefined)));
  }
  wire.close();
  const failed = run.failures === 0 ? "" : `, ${run.failures} failed (${[...run.errors.keys()].join("; ")})`;
  const deadline = Date.now() + WARMUP_ROOMS_GONE_MS;
  for (;;) {
    const rooms = (await (await fetch(`${url}/api/rooms`, { signal: AbortSignal.timeout(5000) })).json()) as unknown[];
    if (rooms.length === 0) return `${count} warm-up joins${failed}, their rooms closed`;
    if (Date.now() > deadline) return `${count} warm-up joins${failed}; ${rooms.length} of their rooms still open after ${WARMUP_ROOMS_GONE_MS / 1000} s`;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function burst(rate: number, joins: number, workers: number, client: JoinClient, warmup: number): Promise<void> {
  const cluster = await startCluster({ replicas: 2, env: { LOG_LEVEL: "warn", DRAIN_SECONDS: "0", RECONNECT_SECONDS: "60" } });
  const parts = new Map<string, number | undefined>([
    ...cluster.replicas.map((r) => [r.name, r.process.pid] as const),
    ["edge (nginx)", cluster.edgeProcess.pid],
    ["Redis", cluster.redisProcess.pid],
  ]);
  try {
    say(`bench:edge burst — ${joins} joins at ${rate}/s through nginx to 2 replicas with Redis, ${client} client, ${workers} load-generator thread(s), after ${warmup} warm-up joins (${cluster.url}); load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
    const warmed = await warmUp(cluster.url, warmup);
    // Time for the threads to start before the first join is due.
    const startAtMs = Date.now() + 1000;
    const running = Promise.all(Array.from({ length: workers }, (_, worker) => new Promise<ShareResult>((resolve, reject) => {
      const thread = new Worker(new URL(import.meta.url), { workerData: { url: cluster.url, rate, joins, worker, workers, startAtMs, client } satisfies Share });
      thread.once("message", resolve);
      thread.once("error", reject);
    })));
    // CPU is counted from the first join on, without the threads' start.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAtMs - Date.now())));
    const serversBefore = readCpu(parts);
    const cpuBefore = process.cpuUsage();
    const shares = await running;
    const elapsedMs = Date.now() - startAtMs;
    const serversAfter = readCpu(parts);
    const cpu = process.cpuUsage(cpuBefore);
    const run: Run = { latenciesMs: shares.flatMap((s) => s.latenciesMs), failures: 0, errors: new Map() };
    for (const share of shares) {
      run.failures += share.failures;
      for (const [error, count] of share.errors) run.errors.set(error, (run.errors.get(error) ?? 0) + count);
    }
    const who = client === "wire" ? "wire client: HTTP matchmaking + WebSocket to JOIN_ROOM, no SDK decoding" : "@colyseus/sdk clients";
    results.push(`who joins: ${who}; before the burst: ${warmed}`);
    report(`${joins} joins, ${(joins / rate).toFixed(2)} s of arrivals`, run, joins);
    if (client === "wire") {
      const states = shares.flatMap((s) => s.firstStateMs).sort((a, b) => a - b);
      results.push(`  first full state after the join started     p50 ${percentile(states, 50).toFixed(1)} ms   p99 ${percentile(states, 99).toFixed(1)} ms   (${states.length} of ${run.latenciesMs.length} joined)`);
    }
    const occupancy = new Map<string, number>();
    for (const roomId of shares.flatMap((s) => s.roomIds)) occupancy.set(roomId, (occupancy.get(roomId) ?? 0) + 1);
    const fullest = Math.max(0, ...occupancy.values());
    results.push(`  rooms ${occupancy.size}, fullest room ${fullest} players; load average after ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
    const loadgenSeconds = (cpu.user + cpu.system) / 1e6;
    results.push(`  CPU used from the first join to the last: ${describeCpu(serversBefore, serversAfter)}, load generator ${loadgenSeconds.toFixed(2)} s, over ${(elapsedMs / 1000).toFixed(2)} s on ${availableParallelism()} cores`);
    const serversSeconds = totalCpu(serversBefore, serversAfter);
    if (serversSeconds !== undefined) {
      // What the machine could seat if the joins cost what they cost here and nothing else ran (room ticks included).
      const perJoinMs = ((serversSeconds + loadgenSeconds) * 1000) / joins;
      results.push(`  per join: replicas, nginx and Redis ${((serversSeconds * 1000) / joins).toFixed(2)} ms of CPU (room ticks included), load generator ${((loadgenSeconds * 1000) / joins).toFixed(2)} ms; ${availableParallelism()} cores at that cost seat at most ~${Math.round((availableParallelism() * 1000) / perJoinMs)} joins/s`);
    }
  } finally {
    await cluster.stop();
  }
}

const USAGE = `usage: npm run bench:edge -- [--burst-rate <joins per second> [--joins <count>] [--workers <threads, 1-16>] [--client ${JOIN_CLIENTS.join("|")}] [--warmup <joins, default ${DEFAULT_WARMUP}>]]`;

if (!isMainThread) {
  parentPort!.postMessage(await joinShare(workerData as Share));
} else {
  const { values: args } = parseArgs({ options: { "burst-rate": { type: "string" }, joins: { type: "string" }, workers: { type: "string" }, client: { type: "string" }, warmup: { type: "string" } } });
  if (args["burst-rate"] !== undefined) {
    const rate = Number(args["burst-rate"]);
    const joins = Number(args.joins ?? JOINS);
    const workers = Number(args.workers ?? 1);
    const client = (args.client ?? "wire") as JoinClient;
    const warmup = Number(args.warmup ?? DEFAULT_WARMUP);
    if (!(rate > 0) || !Number.isInteger(joins) || joins < 1 || !Number.isInteger(workers) || workers < 1 || workers > 16 || !JOIN_CLIENTS.includes(client) || !Number.isInteger(warmup) || warmup < 0) {
      console.error(USAGE);
      process.exit(2);
    }
    await burst(rate, joins, workers, client, warmup);
  } else if (args.joins !== undefined || args.workers !== undefined || args.client !== undefined || args.warmup !== undefined) {
    console.error(`${USAGE}\n(--joins, --workers, --client and --warmup belong to a burst)`);
    process.exit(2);
  } else {
    say(`bench:edge — ${JOINS} joins each way through nginx to 2 replicas with Redis, loopback (a few minutes)`);
    await bench("per-replica");
    await bench("round-robin");
  }
  const sdkTotal = [...sdkLines.counts.values()].reduce((a, b) => a + b, 0);
  say("");
  if (sdkTotal > 0) {
    say(`SDK console lines (counted, not printed): ${sdkTotal}`);
    for (const [line, count] of sdkLines.counts) say(`  ${count} x ${line}`);
  }
  say("results:");
  for (const line of results) say(line);
}
