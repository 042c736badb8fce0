// The compose topology without Docker: redis-server, N game replicas and the
// nginx edge, all local processes on loopback. Tests import startCluster; people
// run the CLI:
//
//   npm run cluster -- --replicas 3 [--port 8080] [--round-robin] [--no-redis] [--no-web-build]
//
// The edge config comes from deploy/edge/nginxConfig.ts, like compose's, so the
// routing is the same. Every child is stopped by stop(), on SIGINT/SIGTERM/SIGHUP
// and, as a last resort, killed when this process exits.

import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, chmodSync, constants, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer, type AddressInfo, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ACCESS_LOG_FILE, renderEdgeConfig, type EdgeMode } from "../deploy/edge/nginxConfig.ts";
import { ConfigError, ENV_VARS, loadConfig } from "../rooms/server/config.ts";
import { DRAIN_MARGIN_MS } from "../rooms/server/lifecycle.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// ---------------------------------------------------------------- binaries

/** The Debian package that ships each binary the topology needs. */
const PACKAGES: Record<string, string> = { "redis-server": "redis-server", nginx: "nginx", chromium: "chromium" };
/** Debian puts nginx in /usr/sbin, which a non-root PATH often lacks. */
const EXTRA_DIRS = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

export class MissingBinariesError extends Error {
  override name = "MissingBinariesError";
  readonly missing: string[];
  constructor(missing: string[]) {
    super(`${missing.join(" and ")} not found (looked on PATH and in /usr/sbin, /usr/bin). ${installHint(missing)}`);
    this.missing = missing;
  }
}

export function installHint(missing: string[]): string {
  const packages = [...new Set(missing.map((name) => PACKAGES[name] ?? name))];
  return `Install with: apt-get install -y ${packages.join(" ")} (Debian/Ubuntu, as root)`;
}

/** Absolute path of an executable on PATH or in the usual system directories, or undefined. */
export function findBinary(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here; try the next directory.
    }
  }
  return undefined;
}

/** Paths of the named binaries; throws MissingBinariesError naming every missing one and how to install it. */
export function requireBinaries<const N extends string>(names: readonly N[]): Record<N, string> {
  const found: Partial<Record<N, string>> = {};
  const missing: string[] = [];
  for (const name of names) {
    const where = findBinary(name);
    if (where === undefined) missing.push(name);
    else found[name] = where;
  }
  if (missing.length > 0) throw new MissingBinariesError(missing);
  return found as Record<N, string>;
}

// ---------------------------------------------------------------- children

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One child process with its output kept for error messages. */
interface Child {
  label: string;
  process: ChildProcess;
  exited: Promise<ExitStatus>;
  /** Last lines of output, for "exited while starting" errors. */
  recent: string[];
}

const RECENT_LINES = 40;
/** Children of every cluster in this process, so the exit handler can kill leftovers. */
const liveChildren = new Set<ChildProcess>();

function isRunning(child: Child): boolean {
  return child.process.exitCode === null && child.process.signalCode === null;
}

function spawnChild(label: string, command: string, args: string[], env: NodeJS.ProcessEnv, log: (line: string) => void): Child {
  const proc = spawn(command, args, {
    cwd: repoRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    // Own process group: a terminal's Ctrl-C reaches only this process, which then stops the children in order (replicas drain while the edge and Redis still run).
    detached: true,
  });
  const recent: string[] = [];
  const onLine = (line: string): void => {
    recent.push(line);
    if (recent.length > RECENT_LINES) recent.shift();
    log(`[${label}] ${line}`);
  };
  // Always drain both pipes: a full pipe would block the child.
  createInterface({ input: proc.stdout! }).on("line", onLine);
  createInterface({ input: proc.stderr! }).on("line", onLine);
  liveChildren.add(proc);
  const exited = new Promise<ExitStatus>((resolve) => {
    proc.once("exit", (code, signal) => {
      liveChildren.delete(proc);
      resolve({ code, signal });
    });
    proc.once("error", (error) => {
      // spawn failures (ENOENT, EACCES) emit no "exit".
      if (proc.pid === undefined) {
        liveChildren.delete(proc);
        onLine(`spawn failed: ${error.message}`);
        resolve({ code: null, signal: null });
      }
    });
  });
  return { label, process: proc, exited, recent };
}

/**
 * SIGKILL for a child and everything in its process group (each child leads its
 * own group): an nginx master killed alone would leave its workers running.
 */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // The group is already gone.
  }
}

function describeExit(status: ExitStatus): string {
  return status.signal ? `was killed by ${status.signal}` : `exited with code ${status.code}`;
}

function startupError(child: Child, what: string): Error {
  const tail = child.recent.length > 0 ? `\n  last output:\n    ${child.recent.slice(-15).join("\n    ")}` : "";
  return new Error(`cluster: ${child.label} ${what}${tail}`);
}

/** Sends `signal`, then SIGKILL if the child is still there after `timeoutMs`. Resolves on exit. */
async function stopChild(child: Child, signal: NodeJS.Signals, timeoutMs: number): Promise<ExitStatus> {
  if (!isRunning(child)) return child.exited;
  child.process.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      if (isRunning(child)) killGroup(child.process);
      resolve();
    }, timeoutMs);
  });
  await Promise.race([child.exited, killed]);
  clearTimeout(timer);
  return child.exited;
}

// ---------------------------------------------------------------- waiting

/** Polls `probe` until it returns true; fails early when `child` exits and after `timeoutMs`. */
async function waitUntil(child: Child, what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: ExitStatus | undefined;
  void child.exited.then((status) => { exited = status; });
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (exited) throw startupError(child, `${describeExit(exited)} before ${what}`);
    if (Date.now() > deadline) throw startupError(child, `did not get to ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function answers200(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await res.body?.cancel();
  return res.status === 200;
}

/** One PING over a raw socket: true on +PONG. */
function redisPong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let reply = "";
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on("error", () => done(false));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      reply += chunk.toString("utf8");
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG"));
    });
  });
}

/** `count` distinct free loopback ports (all held open until every one is picked, so none repeats). */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
      });
    }
    return servers.map((server) => (server.address() as AddressInfo).port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

// ---------------------------------------------------------------- the cluster

/** One replica as the caller wants it, e.g. a pod of a rendered Helm chart. */
export interface ReplicaSpec {
  /** Stable replica name: its edge route /<name>/ and its REPLICA_NAME (e.g. a pod name). */
  name: string;
  /**
   * This replica's environment, over ClusterOptions.env. PORT and HOST belong
   * to the cluster; REPLICA_NAME may be given only equal to `name`, so a
   * mismatch between a pod's name and its route shows instead of being papered over.
   */
  env?: Record<string, string>;
}

export interface ClusterOptions {
  /** How many replicas, named game-0, game-1, ...; may be left out when replicaSpecs names them. */
  replicas?: number;
  /** Names and per-replica environments, instead of game-<i>; with `replicas` too, the counts must agree. */
  replicaSpecs?: readonly ReplicaSpec[];
  /** Edge port on 127.0.0.1; a free port when unset. */
  edgePort?: number;
  /** redis-server port on 127.0.0.1; a free port when unset. Lets a caller put the URL in config rendered before the start. */
  redisPort?: number;
  /** per-replica (default) or the broken round-robin contrast (see renderEdgeConfig). */
  mode?: EdgeMode;
  /**
   * Extra environment for every replica (e.g. DRAIN_SECONDS, TICK_HZ, LOG_LEVEL). PORT, HOST and
   * REPLICA_NAME belong to the cluster. Without PUBLIC_ADDRESS or PUBLIC_HOST (here or in a
   * ReplicaSpec), each replica announces 127.0.0.1:<edgePort>/<name>.
   */
  env?: Record<string, string>;
  /** Start redis-server and give replicas REDIS_URL (default true). Without it each replica matchmakes alone. */
  redis?: boolean;
  /** Receives every child's output lines, prefixed with its name. Default: dropped. */
  log?: (line: string) => void;
  /** Bound for each process to become ready (default 30 s). */
  startTimeoutMs?: number;
}

export interface ClusterReplica {
  name: string;
  port: number;
  /** What the replica announces to clients: 127.0.0.1:<edgePort>/<name> unless its env says otherwise. */
  publicAddress: string;
  /** The current process; replaced by startReplica. */
  process: ChildProcess;
  /** Direct URL of the replica, bypassing the edge. */
  url: string;
}

export interface StartReplicaOptions {
  /** What to wait for: /readyz 200 (default) or only /healthz 200 (e.g. while Redis is down on purpose). */
  waitFor?: "readyz" | "healthz";
}

export interface ClusterWithoutRedis {
  /** The edge: http://127.0.0.1:<edgePort>. */
  url: string;
  edgePort: number;
  mode: EdgeMode;
  replicas: ClusterReplica[];
  /** Holds the edge's nginx.conf, pid, temp files and access log; removed by stop(). */
  runtimeDir: string;
  /** The edge's access log: one JSON object per request, with the upstream that served it. */
  accessLogPath: string;
  edgeProcess: ChildProcess;
  replica(name: string): ClusterReplica;
  /**
   * Signals one replica (default SIGTERM, which starts its drain) and resolves
   * when it has exited. If it is still running after `timeoutMs` (default:
   * the drain bound plus 10 s), it is killed and the promise rejects.
   */
  stopReplica(name: string, signal?: NodeJS.Signals, options?: { timeoutMs?: number }): Promise<ExitStatus>;
  /** Starts a stopped replica again with the same name, port and environment. */
  startReplica(name: string, options?: StartReplicaOptions): Promise<ClusterReplica>;
  /** Stops every child (replicas first, so they drain while the edge and Redis still run) and waits for them to exit. Idempotent. */
  stop(): Promise<void>;
}

export interface Cluster extends ClusterWithoutRedis {
  redisUrl: string;
  redisPort: number;
  redisProcess: ChildProcess;
  /** Stops redis-server (default SIGTERM; SIGKILL for an abrupt loss) and resolves when it has exited. */
  stopRedis(signal?: NodeJS.Signals): Promise<ExitStatus>;
  /** Starts redis-server again on the same port (empty: nothing is persisted). */
  startRedis(): Promise<void>;
}

const CLUSTER_OWNED_ENV = ["PORT", "HOST", "REPLICA_NAME"];
/** Of those, what a ReplicaSpec may not set at all (REPLICA_NAME it may, if equal to the name). */
const CLUSTER_OWNED_REPLICA_ENV = ["PORT", "HOST"];
const EDGE_STOP_MS = 5000;
const REDIS_STOP_MS = 5000;

/** The parent's environment without the server's own variables, so a stray PORT or REDIS_URL in the shell cannot leak into replicas. */
function inheritedEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const spec of ENV_VARS) delete env[spec.name];
  return env;
}

/** How long a SIGTERMed replica may take: its drain bound (DRAIN_SECONDS + margin) plus slack. */
function replicaStopMs(env: Record<string, string>): number {
  let drainSeconds: number;
  try {
    drainSeconds = loadConfig({ DRAIN_SECONDS: env.DRAIN_SECONDS }).drainSeconds;
  } catch {
    // An invalid DRAIN_SECONDS makes the replica itself fail to start, with the message that matters; bound by the default.
    drainSeconds = loadConfig({}).drainSeconds;
  }
  return drainSeconds * 1000 + DRAIN_MARGIN_MS + 10_000;
}

/** The replicas' names and own environments, checked before any process starts. */
function replicaSpecsOf(opts: ClusterOptions): readonly ReplicaSpec[] {
  const count = opts.replicas ?? opts.replicaSpecs?.length;
  if (count === undefined || !Number.isInteger(count) || count < 1) throw new Error(`cluster: replicas must be a positive integer, got ${count}`);
  if (opts.replicaSpecs && opts.replicaSpecs.length !== count) {
    throw new Error(`cluster: replicas is ${count} but replicaSpecs names ${opts.replicaSpecs.length}`);
  }
  const specs: readonly ReplicaSpec[] = opts.replicaSpecs ?? Array.from({ length: count }, (_, i) => ({ name: `game-${i}` }));
  for (const [i, spec] of specs.entries()) {
    for (const name of CLUSTER_OWNED_REPLICA_ENV) {
      if (spec.env?.[name] !== undefined) throw new Error(`cluster: replicaSpecs[${i}].env.${name} is set by the cluster itself`);
    }
    const replicaName = spec.env?.["REPLICA_NAME"];
    if (replicaName !== undefined && replicaName !== spec.name) {
      throw new Error(`cluster: replicaSpecs[${i}] is named ${spec.name} but its env.REPLICA_NAME is ${replicaName}: its route and its public address would differ`);
    }
  }
  return specs;
}

/** What a replica with this environment announces, by the server's own rule (PUBLIC_ADDRESS, else PUBLIC_HOST/REPLICA_NAME). */
function announcedAddress(env: Record<string, string | undefined>, name: string): string | undefined {
  try {
    return loadConfig({ PUBLIC_ADDRESS: env["PUBLIC_ADDRESS"], PUBLIC_HOST: env["PUBLIC_HOST"], REPLICA_NAME: name }).publicAddress;
  } catch (error) {
    if (error instanceof ConfigError) throw new Error(`cluster: replica ${name}: ${error.message}`);
    throw error;
  }
}

export function startCluster(opts: ClusterOptions & { redis: false }): Promise<ClusterWithoutRedis>;
export function startCluster(opts: ClusterOptions & { redis?: true }): Promise<Cluster>;
export async function startCluster(opts: ClusterOptions): Promise<Cluster | ClusterWithoutRedis> {
  for (const name of CLUSTER_OWNED_ENV) {
    if (opts.env?.[name] !== undefined) throw new Error(`cluster: env.${name} is set by the cluster itself`);
  }
  const specs = replicaSpecsOf(opts);
  const withRedis = opts.redis ?? true;
  const mode = opts.mode ?? "per-replica";
  const log = opts.log ?? (() => undefined);
  const startTimeoutMs = opts.startTimeoutMs ?? 30_000;
  const bins: Partial<Record<"redis-server" | "nginx", string>> = requireBinaries(withRedis ? ["redis-server", "nginx"] : ["nginx"]);
  const binary = (name: "redis-server" | "nginx"): string => {
    const where = bins[name];
    if (where === undefined) throw new Error(`cluster: ${name} was not looked for`);
    return where;
  };

  // Ports the caller chose are left out of the free ones, so no replica can be handed the same port.
  const chosen = [opts.edgePort, opts.redisPort].filter((port): port is number => port !== undefined);
  const free = (await freePorts(specs.length + 2 + chosen.length)).filter((port) => !chosen.includes(port));
  const edgePort = opts.edgePort ?? free.shift()!;
  const redisPort = opts.redisPort ?? free.shift()!;
  const redisUrl = `redis://127.0.0.1:${redisPort}/0`;
  const sharedEnv: Record<string, string> = { ...(withRedis ? { REDIS_URL: redisUrl } : {}), ...opts.env };
  /** Each replica's environment past the inherited one, by name: shared env, then its own. */
  const replicaEnvs = new Map<string, Record<string, string>>();
  for (const spec of specs) {
    const own = { ...sharedEnv, ...spec.env };
    // PUBLIC_ADDRESS would win over PUBLIC_HOST in the server, so the default must not be there when the caller chose PUBLIC_HOST.
    const announcesItself = own.PUBLIC_ADDRESS !== undefined || own.PUBLIC_HOST !== undefined;
    replicaEnvs.set(spec.name, announcesItself ? own : { PUBLIC_ADDRESS: `127.0.0.1:${edgePort}/${spec.name}`, ...own });
  }
  const envOf = (name: string): Record<string, string> => replicaEnvs.get(name) ?? sharedEnv;

  let redis: Child | undefined;
  let edge: Child | undefined;
  const replicaChildren = new Map<string, Child>();
  const replicas: ClusterReplica[] = specs.map((spec, i) => {
    const port = free[i]!;
    return {
      name: spec.name,
      port,
      publicAddress: announcedAddress(envOf(spec.name), spec.name) ?? `127.0.0.1:${edgePort}/${spec.name}`,
      url: `http://127.0.0.1:${port}`,
      // Set when the replica starts, before anyone can read it.
      process: undefined as unknown as ChildProcess,
    };
  });

  const runtimeDir = mkdtempSync(path.join(tmpdir(), "roomservice-cluster-"));
  // nginx workers drop to an unprivileged user when started as root; they must reach their temp directories.
  chmodSync(runtimeDir, 0o755);
  const accessLogPath = path.join(runtimeDir, ACCESS_LOG_FILE);
  let edgeConfig: string;
  try {
    // Rendered before anything starts: a name the edge refuses (duplicate, invalid, shadowing a shared path) fails at once.
    edgeConfig = renderEdgeConfig({
      listen: `127.0.0.1:${edgePort}`,
      replicas: replicas.map((r) => ({ name: r.name, upstream: `127.0.0.1:${r.port}` })),
      mode,
      runtimeDir,
    });
  } catch (error) {
    rmSync(runtimeDir, { recursive: true, force: true });
    throw new Error(`cluster: ${(error as Error).message}`);
  }

  const findReplica = (name: string): ClusterReplica => {
    const replica = replicas.find((r) => r.name === name);
    if (!replica) throw new Error(`cluster: no replica named ${name} (have ${replicas.map((r) => r.name).join(", ")})`);
    return replica;
  };

  const startRedis = async (): Promise<void> => {
    if (redis && isRunning(redis)) throw new Error("cluster: redis-server is already running");
    redis = spawnChild("redis", binary("redis-server"), [
      "--port", String(redisPort),
      "--bind", "127.0.0.1",
      "--save", "",
      "--appendonly", "no",
      "--daemonize", "no",
      "--dir", runtimeDir,
      "--loglevel", "warning",
    ], inheritedEnv(), log);
    await waitUntil(redis, `answering PING on port ${redisPort}`, () => redisPong(redisPort), startTimeoutMs);
  };

  const startReplica = async (name: string, options: StartReplicaOptions = {}): Promise<ClusterReplica> => {
    const replica = findReplica(name);
    const previous = replicaChildren.get(name);
    if (previous && isRunning(previous)) throw new Error(`cluster: ${name} is already running`);
    const child = spawnChild(name, process.execPath, ["rooms/server/main.ts"], {
      ...inheritedEnv(),
      ...envOf(name),
      PORT: String(replica.port),
      HOST: "127.0.0.1",
      REPLICA_NAME: name,
    }, log);
    replicaChildren.set(name, child);
    replica.process = child.process;
    const probe = options.waitFor ?? "readyz";
    await waitUntil(child, `answering /${probe} 200 on port ${replica.port}`, () => answers200(`${replica.url}/${probe}`), startTimeoutMs);
    return replica;
  };

  const stopReplica = async (name: string, signal: NodeJS.Signals = "SIGTERM", options: { timeoutMs?: number } = {}): Promise<ExitStatus> => {
    findReplica(name);
    const child = replicaChildren.get(name);
    if (!child || !isRunning(child)) throw new Error(`cluster: ${name} is not running`);
    const timeoutMs = options.timeoutMs ?? replicaStopMs(envOf(name));
    const killedAfterTimeout = new Promise<"timeout">((resolve) => {
      const timer = setTimeout(() => resolve("timeout"), timeoutMs);
      void child.exited.then(() => clearTimeout(timer));
    });
    child.process.kill(signal);
    const outcome = await Promise.race([child.exited, killedAfterTimeout]);
    if (outcome === "timeout") {
      killGroup(child.process);
      await child.exited;
      throw startupError(child, `was still running ${timeoutMs} ms after ${signal}; killed it`);
    }
    return outcome;
  };

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      // Replicas first: a draining replica still needs the edge (its players' sockets) and Redis.
      await Promise.all([...replicaChildren].map(([name, child]) => stopChild(child, "SIGTERM", replicaStopMs(envOf(name)))));
      if (edge) await stopChild(edge, "SIGTERM", EDGE_STOP_MS);
      if (redis) await stopChild(redis, "SIGTERM", REDIS_STOP_MS);
      clusters.delete(stop);
      rmSync(runtimeDir, { recursive: true, force: true });
      runtimeDirs.delete(runtimeDir);
    })();
    return stopping;
  };
  clusters.add(stop);
  runtimeDirs.add(runtimeDir);
  installProcessHooks();

  try {
    if (withRedis) await startRedis();
    // One after another: each replica's log then reads cleanly, and a broken config fails on the first.
    for (const replica of replicas) await startReplica(replica.name);

    const configPath = path.join(runtimeDir, "nginx.conf");
    writeFileSync(configPath, edgeConfig);
    // -e: errors to stderr from the first line, before the config is read (the compiled-in log path may not be writable).
    edge = spawnChild("edge", binary("nginx"), ["-e", "stderr", "-p", runtimeDir, "-c", configPath], inheritedEnv(), log);
    await waitUntil(edge, `answering /healthz through the edge on port ${edgePort}`, () => answers200(`http://127.0.0.1:${edgePort}/healthz`), startTimeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }

  const base: ClusterWithoutRedis = {
    url: `http://127.0.0.1:${edgePort}`,
    edgePort,
    mode,
    replicas,
    runtimeDir,
    accessLogPath,
    edgeProcess: edge.process,
    replica: findReplica,
    stopReplica,
    startReplica,
    stop,
  };
  if (!withRedis) return base;
  return {
    ...base,
    redisUrl,
    redisPort,
    get redisProcess(): ChildProcess {
      return redis!.process;
    },
    stopRedis: async (signal: NodeJS.Signals = "SIGTERM") => {
      if (!redis || !isRunning(redis)) throw new Error("cluster: redis-server is not running");
      return stopChild(redis, signal, REDIS_STOP_MS);
    },
    startRedis,
  };
}

// ---------------------------------------------------------------- process hooks

/** stop() of every running cluster in this process. */
const clusters = new Set<() => Promise<void>>();
let hooksInstalled = false;
let firstSignalAt: number | undefined;
/** A second signal within this window is the same Ctrl-C delivered twice (terminal and npm both send it), not a "kill now". */
const REPEAT_SIGNAL_MS = 1000;

/** Runtime dirs of clusters not stopped yet, removed on exit too. */
const runtimeDirs = new Set<string>();

function killAllNow(): void {
  for (const child of liveChildren) killGroup(child);
  for (const dir of runtimeDirs) rmSync(dir, { recursive: true, force: true });
}

function installProcessHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // Last resort (process.exit, uncaught error, mocha --exit): children must not outlive this process.
  process.on("exit", killAllNow);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      const now = Date.now();
      if (firstSignalAt === undefined) {
        firstSignalAt = now;
        if (clusters.size > 0) console.error(`cluster: ${signal}: stopping (replicas drain first); press Ctrl-C again to kill everything now`);
        void Promise.all([...clusters].map((stop) => stop())).finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
      } else if (now - firstSignalAt > REPEAT_SIGNAL_MS) {
        console.error("cluster: killing every child now");
        killAllNow();
        process.exit(137);
      }
    });
  }
}

// ---------------------------------------------------------------- CLI

const usage = "usage: npm run cluster -- [--replicas 2] [--port 8080] [--round-robin] [--no-redis] [--no-web-build]";

async function main(argv: string[]): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        replicas: { type: "string", default: "2" },
        port: { type: "string", default: "8080" },
        "round-robin": { type: "boolean", default: false },
        "no-redis": { type: "boolean", default: false },
        "no-web-build": { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`cluster: ${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(usage);
    return;
  }
  const replicas = Number(values.replicas);
  const port = Number(values.port);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 64) {
    console.error(`cluster: --replicas must be an integer 1-64, got ${values.replicas}\n${usage}`);
    process.exit(2);
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`cluster: --port must be a port number, got ${values.port}\n${usage}`);
    process.exit(2);
  }

  // The replicas serve web/dist; build it if it is missing or stale, so the URL printed below plays.
  if (!values["no-web-build"]) {
    const { ensureWebBuild } = await import("./ensure-web-build.ts");
    ensureWebBuild();
  }

  const withRedis = !values["no-redis"];
  const common = {
    replicas,
    edgePort: port,
    mode: (values["round-robin"] ? "round-robin" : "per-replica") as EdgeMode,
    log: (line: string) => console.log(line),
  };
  // Cluster extends ClusterWithoutRedis; the Redis parts are kept aside for the printout and the watch below.
  let cluster: ClusterWithoutRedis;
  let redis: Pick<Cluster, "redisUrl" | "redisProcess"> | undefined;
  try {
    if (withRedis) {
      const full = await startCluster({ ...common, redis: true });
      cluster = full;
      redis = { redisUrl: full.redisUrl, redisProcess: full.redisProcess };
    } else {
      cluster = await startCluster({ ...common, redis: false });
    }
  } catch (error) {
    console.error(`cluster: ${(error as Error).message}`);
    process.exit(1);
  }

  const lines = [
    "",
    `roomservice cluster: ${replicas} replica${replicas === 1 ? "" : "s"} behind ${cluster.url}  (edge: ${cluster.mode})`,
    `  edge     ${cluster.url}   access log ${cluster.accessLogPath}`,
    `  redis    ${redis ? redis.redisUrl : "(none: each replica matchmakes alone)"}`,
    ...cluster.replicas.map((r) => `  ${r.name.padEnd(8)} ${r.url}   public address ${r.publicAddress}   pid ${r.process.pid}`),
    "",
    `Open ${cluster.url} to play. Ctrl-C stops everything.`,
    "",
  ];
  console.log(lines.join("\n"));

  // A child that dies on its own takes the cluster down rather than leaving a half-working topology.
  const children: ChildProcess[] = [cluster.edgeProcess, ...cluster.replicas.map((r) => r.process)];
  if (redis) children.push(redis.redisProcess);
  let shuttingDown = false;
  for (const child of children) {
    child.once("exit", () => {
      if (firstSignalAt !== undefined || shuttingDown) return;
      shuttingDown = true;
      console.error(`cluster: a child (pid ${child.pid}) exited on its own; stopping everything`);
      void cluster.stop().finally(() => process.exit(1));
    });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
