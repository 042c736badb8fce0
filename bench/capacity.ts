// npm run bench:capacity: how many players one server process holds at 10 Hz.
//
// Starts the real server as a child process, then adds playing bots in steps.
// After each step has joined and settled, it measures a window: the bots' p99
// patch interval and errors, the server's CPU (from /proc/<pid>/stat) and RSS
// (/proc/<pid>/status), and the load generator's own CPU. It stops at the first
// step whose p99 patch interval exceeds 1.5x the tick interval or that has
// errors, or when the load generator itself is saturated (then the server's
// limit is beyond what this machine can measure, and the figures say so).
//
// The single process runs pinned to one core (--server-core) and this process,
// the load generator, to another (--loadgen-core), with taskset; --no-pin shares
// both cores. Each step also reports server CPU per player-tick (CPU seconds /
// (players x ticks)) and, from a CPU profile of the server over a window after
// the measured one (--profile-s, 0 to skip), how that splits by phase. Before
// the steps it measures the send floor (--floor-sockets, 0 to skip): what one
// 175-byte WebSocket send costs on the server's core, the ratio's denominator.
//
// It then runs the same against 2 replicas behind the nginx edge (deploy/local/) (skip with --no-cluster).
// The replicas are not pinned.
//
//   npm run bench:capacity -- [--step 250] [--max-players 6000] [--measure-s 8] [--settle-s 3] [--ramp 200]
//                             [--workers 0] [--replicas 2] [--no-single] [--no-cluster] [--keep-going] [--json FILE]
//                             [--no-pin] [--server-core 0] [--loadgen-core 1] [--profile-s 3] [--floor-sockets 1000]
//                             [--server-node-flags "--max-semi-space-size=1 ..."]

import { readFile, writeFile } from "node:fs/promises";
import { availableParallelism, cpus } from "node:os";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { startCluster } from "../deploy/local/cluster.ts";
import { processCpuSeconds, processRssBytes, startServerProcess, type ServerLaunch } from "../loadtest/serverProcess.ts";
import { checkPinning, onCore, pinThisProcess, type Pinning } from "./capacity/pinning.ts";
import { inspectorUrl, PHASES, profileWindow, summariseProfile, type PhaseSplit } from "./capacity/profile.ts";
import { measureSendFloor, type SendFloor } from "./capacity/sendFloor.ts";
import { quietSdkConsole } from "../loadtest/sdkConsole.ts";
import { LoadSession, type Span } from "../loadtest/session.ts";

// ---------------------------------------------------------------- targets

/** Something to load: one server process, or a cluster behind its edge. */
export interface CapacityTarget {
  label: string;
  url: string;
  tickHz: number;
  /** Game-server processes: their CPU and RSS are "the server". */
  serverPids(): number[];
  /** Processes on the path that are not game servers (edge, Redis), reported apart. */
  supportPids(): { name: string; pid: number }[];
  /** Each game server's own /metrics (not through the edge), for its event-loop lag. */
  metricsUrls(): string[];
  /** The server's inspector, when it was started with one (single process, for profiles). */
  inspectorUrl?(): string | undefined;
  stop(): Promise<void>;
}

const TICK_HZ = 10;
// No room bots: the load tool's bots are the players measured.
const SERVER_ENV = { TICK_HZ: String(TICK_HZ), LOG_LEVEL: "warn", DRAIN_SECONDS: "0", RECONNECT_SECONDS: "0", ROOM_BOTS: "0" };

export async function singleProcessTarget(pinning: Pinning | undefined, profile: boolean, nodeFlags: string[] = []): Promise<CapacityTarget> {
  const launch: ServerLaunch = {
    prefix: pinning ? onCore(pinning.serverCore) : [],
    // The inspector: loopback only, a kernel-chosen port; attached to only for the profile windows.
    nodeArgs: [...nodeFlags, ...(profile ? ["--inspect=127.0.0.1:0"] : [])],
  };
  const server = await startServerProcess(SERVER_ENV, 20_000, launch);
  return {
    label: pinning ? `1 process on core ${pinning.serverCore}` : "1 process",
    url: server.url,
    tickHz: TICK_HZ,
    serverPids: () => [server.pid],
    supportPids: () => [],
    metricsUrls: () => [server.url],
    inspectorUrl: () => inspectorUrl(server.output()),
    stop: () => server.stop(),
  };
}

/** The local cluster from deploy/local/ (Redis, N replicas, nginx edge). */
export async function clusterTarget(replicas: number): Promise<CapacityTarget> {
  const cluster = await startCluster({ replicas, env: SERVER_ENV });
  return {
    label: `${replicas} replicas via edge`,
    url: cluster.url,
    tickHz: TICK_HZ,
    serverPids: () => cluster.replicas.map((r) => r.process.pid).filter((pid): pid is number => pid !== undefined),
    supportPids: () => [
      ...(cluster.edgeProcess.pid ? [{ name: "nginx", pid: cluster.edgeProcess.pid }] : []),
      ...(cluster.redisProcess.pid ? [{ name: "redis", pid: cluster.redisProcess.pid }] : []),
    ],
    metricsUrls: () => cluster.replicas.map((r) => r.url),
    stop: () => cluster.stop(),
  };
}

// ---------------------------------------------------------------- measuring

interface ProcessSample {
  cpuS: number;
  rssBytes: number;
}

/** CPU seconds the whole machine spent busy (all cores), from /proc/stat. */
async function machineBusySeconds(): Promise<number> {
  const line = (await readFile("/proc/stat", "utf8")).split("\n")[0] ?? "";
  const [, user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(0, 9).map(Number);
  return (user + nice + system + irq + softirq + steal) / 100;
}

/** Worst p99 event-loop lag of the game servers since their previous scrape, in ms. */
async function serverLoopLagP99Ms(target: CapacityTarget): Promise<number | undefined> {
  let worst: number | undefined;
  for (const url of target.metricsUrls()) {
    try {
      const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(2000) })).text();
      const match = /^nodejs_eventloop_lag_p99_seconds\s+(\S+)$/m.exec(text);
      if (match) worst = Math.max(worst ?? 0, Number(match[1]) * 1000);
    } catch { /* a replica that does not answer in time leaves the figure out */ }
  }
  return worst;
}

async function sampleProcesses(pids: number[]): Promise<ProcessSample> {
  let cpuS = 0;
  let rssBytes = 0;
  for (const pid of pids) {
    cpuS += await processCpuSeconds(pid);
    rssBytes += await processRssBytes(pid);
  }
  return { cpuS, rssBytes };
}

export interface StepResult {
  players: number;
  rooms: number;
  /** Server CPU over the window, percent of one core (summed over server processes). */
  serverCpuPercent: number;
  supportCpuPercent: number;
  /** CPU used by everything else on the machine (other people's work), percent of one core. */
  otherCpuPercent: number;
  serverRssBytes: number;
  /** Server CPU per player per tick, in µs: CPU seconds / (players x patches each received). */
  usPerPlayerTick: number;
  /** Where the server's busy time went, from a profile over a window after the measured one. */
  phases?: PhaseSplit;
  patchIntervalMs: { p50: number; p99: number; max: number };
  rttP99Ms: number;
  errors: number;
  bytesPerClientPerS: number;
  jsonBytesPerClientPerS: number;
  patchesPerClientPerS: number;
  loadgenCpuPercent: number;
  loadgenLoopDelayP99Ms: number;
  /** The servers' own event-loop lag p99 over the window (prom-client resets it on every scrape); worst replica. */
  serverLoopLagP99Ms: number | undefined;
  verdict: "ok" | "slow patches" | "errors" | "load generator saturated" | "did not connect";
}

export interface CapacityOptions {
  step: number;
  maxPlayers: number;
  measureS: number;
  settleS: number;
  rampPerS: number;
  workers: number;
  /** Keep adding players after a latency failure (for CPU and memory points); stop only on errors. */
  keepGoing: boolean;
  /** Cores the load generator may use (1 when pinned, whatever its worker threads). */
  loadgenCores?: number;
  /** Seconds of CPU profile per step after the measured window; 0 skips it. */
  profileS: number;
  log(line: string): void;
  /** Where the run is now (stderr, so the table on stdout stays clean); optional. */
  progress?(line: string): void;
}

/** About how long one step takes: joining at the ramp, settling, measuring, plus sampling overhead. */
export function stepSeconds(opts: CapacityOptions): number {
  return opts.step / opts.rampPerS + opts.settleS + opts.measureS + opts.profileS + 2;
}

/**
 * The load generator is the bottleneck past this. A patch interval has two
 * ends, each late by up to the bots' own event-loop delay, and the criterion
 * allows 50 ms over the tick: half of that is the most the bots may add.
 */
const LOADGEN_LOOP_DELAY_LIMIT_MS = 25;
const LOADGEN_CPU_SHARE_LIMIT = 0.9;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function errorsIn(span: Span): number {
  const e = span.counters.errors;
  return e.join + e.disconnect + e.other;
}

export interface CapacityResult {
  baselineRssBytes: number;
  idleCpuPercent: number;
  steps: StepResult[];
}

export async function measureCapacity(target: CapacityTarget, opts: CapacityOptions): Promise<CapacityResult> {
  const tickMs = 1000 / target.tickHz;
  await sleep(2000);
  // Idle: what the server spends with nobody connected (metrics, timers, presence).
  const idleFrom = await sampleProcesses(target.serverPids());
  const idleStartedMs = performance.now();
  await sleep(opts.measureS * 1000);
  const baseline = await sampleProcesses(target.serverPids());
  const idleCpuPercent = (100 * (baseline.cpuS - idleFrom.cpuS)) / ((performance.now() - idleStartedMs) / 1000);
  opts.log(`idle: server cpu ${idleCpuPercent.toFixed(1)} %, rss ${(baseline.rssBytes / 2 ** 20).toFixed(0)} MB`);
  const session = new LoadSession({
    url: target.url, room: "snek", bots: opts.step, rampPerS: opts.rampPerS, roomsPerBotGroup: 0, groupSize: 32,
    private: false, namePrefix: "cap-", decodeAll: false, workers: opts.workers, maxBots: opts.maxPlayers,
  });
  const loadgenThreads = opts.loadgenCores ?? Math.max(1, opts.workers);
  const steps: StepResult[] = [];
  try {
    for (let players = opts.step; players <= opts.maxPlayers; players += opts.step) {
      opts.progress?.(`  … ${players} players: joining, settling ${opts.settleS} s, measuring ${opts.measureS} s (about ${Math.round(stepSeconds(opts))} s)`);
      session.setTarget(players);
      // Joining: bounded by the ramp plus slack.
      const joinDeadline = performance.now() + (opts.step / opts.rampPerS) * 1000 + 30_000;
      let window = await session.sample();
      let joinErrors = errorsIn(window);
      while (window.connected < players && performance.now() < joinDeadline) {
        await sleep(1000);
        window = await session.sample();
        joinErrors += errorsIn(window);
      }
      await sleep(opts.settleS * 1000);
      await session.sample(); // the settle window is not measured

      await serverLoopLagP99Ms(target); // resets the servers' lag histograms: the next read covers the window
      const before = await sampleProcesses(target.serverPids());
      const supportBefore = await sampleProcesses(target.supportPids().map((p) => p.pid));
      const machineBefore = await machineBusySeconds();
      const startedMs = performance.now();
      await sleep(opts.measureS * 1000);
      window = await session.sample();
      const after = await sampleProcesses(target.serverPids());
      const supportAfter = await sampleProcesses(target.supportPids().map((p) => p.pid));
      const machineAfter = await machineBusySeconds();
      const wallS = (performance.now() - startedMs) / 1000;
      const serverLagMs = await serverLoopLagP99Ms(target);
      const serverCpuPercent = (100 * (after.cpuS - before.cpuS)) / wallS;
      const supportCpuPercent = (100 * (supportAfter.cpuS - supportBefore.cpuS)) / wallS;

      // Profiled after the CPU window: the profiler's own cost stays out of the CPU figures.
      const inspector = opts.profileS > 0 ? target.inspectorUrl?.() : undefined;
      let phases: PhaseSplit | undefined;
      if (inspector) {
        try {
          phases = summariseProfile(await profileWindow(inspector, opts.profileS));
        } catch (error) {
          opts.progress?.(`  profile skipped: ${(error as Error).message}`);
        }
      }

      const interval = window.patchIntervalMs.summary();
      // Ticks as the bots saw them (patches per socket), so a server that ticks late is not flattered.
      const patchesPerClientPerS = window.perClientPerS(window.counters.patches);
      const playerTicks = window.connected * patchesPerClientPerS * wallS;
      const errors = errorsIn(window) + joinErrors;
      const step: StepResult = {
        players: window.connected,
        rooms: window.rooms,
        serverCpuPercent,
        supportCpuPercent,
        otherCpuPercent: Math.max(0, (100 * (machineAfter - machineBefore)) / wallS - serverCpuPercent - supportCpuPercent - window.cpuPercent),
        serverRssBytes: after.rssBytes,
        usPerPlayerTick: playerTicks > 0 ? (1e6 * (after.cpuS - before.cpuS)) / playerTicks : 0,
        phases,
        patchIntervalMs: { p50: interval.p50, p99: interval.p99, max: interval.max },
        rttP99Ms: window.rttMs.percentile(99),
        errors,
        bytesPerClientPerS: window.perClientPerS(window.counters.bytesIn),
        jsonBytesPerClientPerS: window.perClientPerS(window.counters.jsonFullStateBytes),
        patchesPerClientPerS,
        loadgenCpuPercent: window.cpuPercent,
        loadgenLoopDelayP99Ms: window.eventLoopDelayP99Ms,
        serverLoopLagP99Ms: serverLagMs,
        verdict: "ok",
      };
      if (window.connected < players) step.verdict = "did not connect";
      else if (errors > 0) step.verdict = "errors";
      else if (window.eventLoopDelayP99Ms > LOADGEN_LOOP_DELAY_LIMIT_MS || window.cpuPercent > 100 * LOADGEN_CPU_SHARE_LIMIT * loadgenThreads) {
        step.verdict = "load generator saturated";
      } else if (interval.p99 > 1.5 * tickMs) step.verdict = "slow patches";
      steps.push(step);
      opts.log(formatStep(step));
      if (step.verdict === "ok") continue;
      if (!opts.keepGoing || step.verdict === "errors" || step.verdict === "did not connect") break;
    }
  } finally {
    await session.stop();
  }
  return { baselineRssBytes: baseline.rssBytes, idleCpuPercent, steps };
}

// ---------------------------------------------------------------- reporting

const STEP_HEADER = "players  rooms  server cpu %  cpu/player ms/s  µs/player-tick  rss MB  patches/s  p50/p99 patch ms  srv lag p99  rtt p99  B/client/s  JSON B/client/s  loadgen cpu %  loop p99  others cpu %  verdict";

function formatStep(s: StepResult): string {
  return [
    String(s.players).padStart(7),
    String(s.rooms).padStart(5),
    s.serverCpuPercent.toFixed(1).padStart(12),
    (s.players > 0 ? (10 * s.serverCpuPercent) / s.players : 0).toFixed(3).padStart(15),
    s.usPerPlayerTick.toFixed(1).padStart(14),
    (s.serverRssBytes / 2 ** 20).toFixed(0).padStart(6),
    s.patchesPerClientPerS.toFixed(1).padStart(9),
    `${s.patchIntervalMs.p50.toFixed(0)}/${s.patchIntervalMs.p99.toFixed(0)}`.padStart(17),
    (s.serverLoopLagP99Ms === undefined ? "-" : s.serverLoopLagP99Ms.toFixed(0)).padStart(11),
    s.rttP99Ms.toFixed(1).padStart(7),
    s.bytesPerClientPerS.toFixed(0).padStart(10),
    s.jsonBytesPerClientPerS.toFixed(0).padStart(16),
    s.loadgenCpuPercent.toFixed(0).padStart(13),
    s.loadgenLoopDelayP99Ms.toFixed(0).padStart(8),
    s.otherCpuPercent.toFixed(0).padStart(12),
    ` ${s.verdict}${s.supportCpuPercent > 0 ? ` (edge+redis cpu ${s.supportCpuPercent.toFixed(0)} %)` : ""}`,
  ].join("  ") + (s.phases ? `\n${formatPhases(s)}` : "");
}

/** The step's µs per player-tick split by the profile's shares, then the functions it points at. */
function formatPhases(s: StepResult): string {
  const phases = s.phases!;
  const split = PHASES.map((p) => `${p} ${(s.usPerPlayerTick * phases.share[p]).toFixed(1)} µs (${(100 * phases.share[p]).toFixed(0)} %)`).join(", ");
  const top = phases.top.map((f) => `${f.name} [${f.phase}] ${(100 * f.share).toFixed(1)} %`).join("; ");
  return `         phases (profile, ${phases.busyMs.toFixed(0)} ms busy): ${split}\n         top self time: ${top}`;
}

/** Least-squares line y = a + b x. */
function fitLine(points: [number, number][]): { intercept: number; slope: number } | undefined {
  if (points.length < 2) return undefined;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  if (sxx === 0) return undefined;
  const slope = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / sxx;
  return { intercept: my - slope * mx, slope };
}

export function summarize(label: string, result: CapacityResult, floor?: SendFloor): string[] {
  // Max players: the last step before the first failure (later steps only add CPU and memory points).
  const firstFailure = result.steps.findIndex((s) => s.verdict !== "ok");
  const passed = firstFailure < 0 ? result.steps : result.steps.slice(0, firstFailure);
  const last = passed[passed.length - 1];
  const stoppedBy = firstFailure < 0 ? result.steps[result.steps.length - 1] : result.steps[firstFailure];
  // Server CPU and memory are valid wherever every bot was connected, even when latency was not (e.g. a saturated load generator).
  const loaded = result.steps.filter((s) => s.verdict !== "did not connect" && s.players > 0);
  const biggest = loaded[loaded.length - 1];
  const lines = [`${label}:`];
  lines.push(last
    ? `  max players at ${TICK_HZ} Hz measured: ${last.players} (${last.rooms} rooms)` +
      (stoppedBy && stoppedBy !== last ? `; the next step stopped on: ${stoppedBy.verdict} at ${stoppedBy.players} players` : "; the largest step tried passed")
    : `  no step passed the latency criterion (first step: ${stoppedBy?.verdict ?? "none ran"} at ${stoppedBy?.players ?? 0} players)`);
  if (!biggest) return lines;
  const perPlayer = (s: StepResult): number => (10 * s.serverCpuPercent) / s.players;
  // Under CPU contention the server may tick late; scale its CPU to a full 10 patches per second.
  const per10Hz = (s: StepResult): number => perPlayer(s) * (TICK_HZ / Math.max(1e-9, s.patchesPerClientPerS));
  lines.push(`  server CPU at ${biggest.players} players: ${biggest.serverCpuPercent.toFixed(1)} % of one core = ${perPlayer(biggest).toFixed(3)} ms CPU per player per second ` +
    `at ${biggest.patchesPerClientPerS.toFixed(1)} patches/s (${per10Hz(biggest).toFixed(3)} ms scaled to ${TICK_HZ} Hz); idle ${result.idleCpuPercent.toFixed(1)} %`);
  const cpuFit = fitLine(loaded.map((s) => [s.players, s.serverCpuPercent * (TICK_HZ / Math.max(1e-9, s.patchesPerClientPerS))]));
  if (cpuFit && cpuFit.slope > 0) {
    const atFullCore = (100 - cpuFit.intercept) / cpuFit.slope;
    lines.push(`  CPU fit over ${loaded.length} loaded steps (scaled to ${TICK_HZ} Hz): ${cpuFit.intercept.toFixed(1)} % + ${(cpuFit.slope * 10).toFixed(3)} ms/s per player; ` +
      `one full core at ~${atFullCore.toFixed(0)} players (extrapolated, not measured)`);
  }
  const ticked = loaded.filter((s) => s.usPerPlayerTick > 0);
  const leanest = ticked.reduce<StepResult | undefined>((best, s) => (best && best.usPerPlayerTick <= s.usPerPlayerTick ? best : s), undefined);
  if (biggest.usPerPlayerTick > 0) {
    const perCore = (s: StepResult): string => (1e6 / (TICK_HZ * s.usPerPlayerTick)).toFixed(0);
    lines.push(`  server CPU per player-tick at ${biggest.players}: ${biggest.usPerPlayerTick.toFixed(1)} µs = ~${perCore(biggest)} players per core at ${TICK_HZ} Hz ` +
      `(extrapolated from the core's CPU, idle cost included)` +
      (leanest && leanest !== biggest ? `; lowest ${leanest.usPerPlayerTick.toFixed(1)} µs at ${leanest.players} (~${perCore(leanest)} per core)` : ""));
    if (floor && Number.isFinite(floor.usPerSend)) {
      lines.push(`  against the send floor (${floor.usPerSend.toFixed(1)} µs per 175-byte send, ${floor.sockets} sockets at ${TICK_HZ} Hz, same core): ` +
        ticked.map((s) => `${(s.usPerPlayerTick / floor.usPerSend).toFixed(2)}x at ${s.players}`).join(", "));
    }
  }
  const rssFit = fitLine(loaded.map((s) => [s.players, s.serverRssBytes]));
  lines.push(`  server memory per connected player at ${biggest.players} (RSS delta from ${(result.baselineRssBytes / 2 ** 20).toFixed(0)} MB idle): ${((biggest.serverRssBytes - result.baselineRssBytes) / biggest.players / 1024).toFixed(1)} KB` +
    (rssFit ? `; slope over loaded steps ${(rssFit.slope / 1024).toFixed(1)} KB per player` : ""));
  lines.push(`  bytes per player at ${biggest.players}: ${biggest.bytesPerClientPerS.toFixed(0)} B/s vs ${biggest.jsonBytesPerClientPerS.toFixed(0)} B/s as full-state JSON: ${(biggest.jsonBytesPerClientPerS / biggest.bytesPerClientPerS).toFixed(1)}x less`);
  const others = Math.max(...result.steps.map((s) => s.otherCpuPercent));
  if (others > 20) lines.push(`  note: other work on this machine used up to ${others.toFixed(0)} % CPU (of ${cpus().length * 100} %) during the steps; latency and CPU figures are lower bounds on a quiet machine`);
  return lines;
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  quietSdkConsole();
  const { values } = parseArgs({
    options: {
      step: { type: "string", default: "250" },
      "max-players": { type: "string", default: "6000" },
      "measure-s": { type: "string", default: "8" },
      "settle-s": { type: "string", default: "3" },
      ramp: { type: "string", default: "200" },
      workers: { type: "string", default: "0" },
      "no-cluster": { type: "boolean", default: false },
      "no-single": { type: "boolean", default: false },
      "keep-going": { type: "boolean", default: false },
      replicas: { type: "string", default: "2" },
      json: { type: "string" },
      "no-pin": { type: "boolean", default: false },
      "server-core": { type: "string", default: "0" },
      "loadgen-core": { type: "string", default: "1" },
      "profile-s": { type: "string", default: "3" },
      "floor-sockets": { type: "string", default: "1000" },
      "server-node-flags": { type: "string", default: "" },
    },
  });
  const opts: CapacityOptions = {
    step: Number(values.step),
    maxPlayers: Number(values["max-players"]),
    measureS: Number(values["measure-s"]),
    settleS: Number(values["settle-s"]),
    rampPerS: Number(values.ramp),
    workers: Number(values.workers),
    keepGoing: values["keep-going"] === true,
    profileS: Number(values["profile-s"]),
    log: (line) => console.log(line),
    progress: (line) => process.stderr.write(`${line}\n`),
  };
  for (const [name, value] of Object.entries(opts)) {
    if (typeof value === "number" && !(Number.isFinite(value) && value >= 0)) throw new Error(`bench:capacity: --${name} must be a number >= 0`);
  }
  // Node flags for the single server process only (e.g. heap sizing), to compare runtime flags in one method.
  const nodeFlags = (values["server-node-flags"] ?? "").split(/\s+/).filter(Boolean);
  if (nodeFlags.some((flag) => !flag.startsWith("--"))) throw new Error("bench:capacity: --server-node-flags takes Node flags (each starting with --)");
  const floorSockets = Number(values["floor-sockets"]);
  if (!(Number.isInteger(floorSockets) && floorSockets >= 0)) throw new Error("bench:capacity: --floor-sockets must be a whole number >= 0");
  const pinning: Pinning | undefined = values["no-pin"] ? undefined : { serverCore: Number(values["server-core"]), loadgenCore: Number(values["loadgen-core"]) };
  // Counted before pinning: afterwards this process sees one core.
  const cores = availableParallelism();
  if (pinning) {
    checkPinning(pinning);
    pinThisProcess(pinning.loadgenCore);
    opts.loadgenCores = 1;
  }
  const cpuModel = cpus()[0]?.model ?? "unknown CPU";
  console.log(`bench:capacity on ${cores} cores (${cpuModel}), Node ${process.version}; load generator in this process with ${opts.workers} worker threads; server tick ${TICK_HZ} Hz`);
  if (nodeFlags.length > 0) console.log(`server Node flags: ${nodeFlags.join(" ")}`);
  console.log(pinning
    ? `pinned with taskset: server and send floor on core ${pinning.serverCore}, load generator on core ${pinning.loadgenCore} (the 2-replica target is not pinned)`
    : "not pinned: server and load generator share every core");
  console.log(`machine load at start: ${(await readFile("/proc/loadavg", "utf8")).trim()} (1, 5, 15 min; running/total; last pid)`);
  console.log(`steps of ${opts.step} players up to ${opts.maxPlayers}; each step: join at ${opts.rampPerS}/s, settle ${opts.settleS} s, measure ${opts.measureS} s; stop when p99 patch interval > ${1.5 * (1000 / TICK_HZ)} ms or errors`);

  const targets = (values["no-single"] ? 0 : 1) + (values["no-cluster"] ? 0 : 1);
  const maxSteps = Math.floor(opts.maxPlayers / Math.max(1, opts.step));
  const perTargetMaxMin = (10 + opts.measureS + maxSteps * stepSeconds(opts)) / 60;
  const floorS = floorSockets > 0 ? Math.ceil(floorSockets / 500) + 2 + opts.measureS : 0;
  console.log(`expected duration: send floor about ${floorS} s, then each step about ${Math.round(stepSeconds(opts))} s; a target stops at its first failing step, ` +
    `so ${targets} target(s) take several minutes (5 or more on 2 cores), at most about ${Math.ceil(floorS / 60 + targets * perTargetMaxMin)} min. Progress goes to stderr.`);

  let floor: SendFloor | undefined;
  if (floorSockets > 0) {
    opts.progress?.(`  … send floor: ${floorSockets} sockets, 175 B at ${TICK_HZ} Hz, measuring ${opts.measureS} s (about ${floorS} s)`);
    floor = await measureSendFloor(floorSockets, opts.measureS, pinning ? onCore(pinning.serverCore) : []);
    console.log(`\nsend floor: ${floor.usPerSend.toFixed(1)} µs CPU per 175-byte send (${floor.sends} sends to ${floor.sockets} loopback sockets in ${opts.measureS} s, ` +
      `${floor.cpuS.toFixed(2)} s CPU${pinning ? ` on core ${pinning.serverCore}` : ""}) = ~${(1e6 / (TICK_HZ * floor.usPerSend)).toFixed(0)} players per core at ${TICK_HZ} Hz if sends were all`);
  }

  const summaries: string[] = [];
  const results: Record<string, CapacityResult> = {};
  const run = async (target: CapacityTarget): Promise<void> => {
    console.log(`\n== ${target.label} (${target.url})\n${STEP_HEADER}`);
    try {
      const result = await measureCapacity(target, target.inspectorUrl ? opts : { ...opts, profileS: 0 });
      results[target.label] = result;
      summaries.push(...summarize(target.label, result, target.inspectorUrl ? floor : undefined));
    } finally {
      await target.stop();
    }
  };

  if (!values["no-single"]) await run(await singleProcessTarget(pinning, opts.profileS > 0, nodeFlags));
  if (!values["no-cluster"]) {
    await run(await clusterTarget(Number(values.replicas)));
  }
  console.log(`\n${summaries.join("\n")}`);
  if (values.json) {
    await writeFile(values.json, `${JSON.stringify({ at: new Date().toISOString(), cores, pinning, floor, options: { ...opts, log: undefined, progress: undefined }, results }, null, 2)}\n`);
    console.log(`\nsteps written to ${values.json}`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
  // Undici keeps idle sockets for a while; the benchmark is done.
  process.exit(0);
}
