// The local topology: redis-server, N game replicas and the nginx edge, all
// local processes on loopback, the compose topology without Docker. Tests,
// benchmarks and `npm run cluster` (scripts/cluster.ts, the command line)
// start it with startCluster. Every child is stopped by stop(), on
// SIGINT/SIGTERM/SIGHUP and, as a last resort, killed when this process exits.

import type { ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { EdgeMode } from "../edge/nginxConfig.ts";
import { requireBinaries } from "./binaries.ts";
import { isRunning, killGroup, startupError, stopChild, type Child, type ExitStatus, type Starting } from "./children.ts";
import { EDGE_STOP_MS, accessLogPathOf, renderLocalEdge, startEdge } from "./edge.ts";
import { freePorts } from "./ports.ts";
import { trackCluster, untrackCluster } from "./processHooks.ts";
import { REDIS_STOP_MS, startRedisServer } from "./redis.ts";
import { CLUSTER_OWNED_ENV, announcedAddress, replicaEnvOf, replicaSpecsOf, replicaStopMs, startReplicaProcess, type ReplicaSpec, type StartReplicaOptions } from "./replicas.ts";

export type { ExitStatus } from "./children.ts";
export type { ReplicaSpec, StartReplicaOptions } from "./replicas.ts";

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
  /** The script every replica runs, relative to the repository root (default rooms/server/main.ts): e.g. a studio's own entry serving its games. */
  serverEntry?: string;
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


/** Waits for a starting child; the caller keeps the child first, so stop() reaches it even if the start fails. */
async function started(starting: Starting, keep: (child: Child) => void): Promise<Child> {
  keep(starting.child);
  await starting.ready;
  return starting.child;
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
  const replicaEnvs = new Map(specs.map((spec) => [spec.name, replicaEnvOf(spec, sharedEnv, edgePort)]));
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
  let edgeConfig: string;
  try {
    // Rendered before anything starts: a name the edge refuses fails at once.
    edgeConfig = renderLocalEdge({ port: edgePort, mode, runtimeDir, replicas });
  } catch (error) {
    rmSync(runtimeDir, { recursive: true, force: true });
    throw error;
  }

  const findReplica = (name: string): ClusterReplica => {
    const replica = replicas.find((r) => r.name === name);
    if (!replica) throw new Error(`cluster: no replica named ${name} (have ${replicas.map((r) => r.name).join(", ")})`);
    return replica;
  };

  const startRedis = async (): Promise<void> => {
    if (redis && isRunning(redis)) throw new Error("cluster: redis-server is already running");
    const starting = startRedisServer({ binary: binary("redis-server"), port: redisPort, dir: runtimeDir, log, timeoutMs: startTimeoutMs });
    await started(starting, (child) => { redis = child; });
  };

  const startReplica = async (name: string, options: StartReplicaOptions = {}): Promise<ClusterReplica> => {
    const replica = findReplica(name);
    const previous = replicaChildren.get(name);
    if (previous && isRunning(previous)) throw new Error(`cluster: ${name} is already running`);
    for (const owned of CLUSTER_OWNED_ENV) {
      if (options.env?.[owned] !== undefined) throw new Error(`cluster: env.${owned} is set by the cluster itself`);
    }
    if (options.env) replicaEnvs.set(name, { ...envOf(name), ...options.env });
    const starting = startReplicaProcess({ name, port: replica.port, env: envOf(name), log, timeoutMs: startTimeoutMs, waitFor: options.waitFor, entry: opts.serverEntry });
    await started(starting, (child) => {
      replicaChildren.set(name, child);
      replica.process = child.process;
    });
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
      rmSync(runtimeDir, { recursive: true, force: true });
      untrackCluster(stop, runtimeDir);
    })();
    return stopping;
  };
  trackCluster(stop, runtimeDir);

  try {
    if (withRedis) await startRedis();
    // One after another: each replica's log then reads cleanly, and a broken config fails on the first.
    for (const replica of replicas) await startReplica(replica.name);
    const starting = startEdge({ binary: binary("nginx"), runtimeDir, config: edgeConfig, port: edgePort, log, timeoutMs: startTimeoutMs });
    edge = await started(starting, (child) => { edge = child; });
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
    accessLogPath: accessLogPathOf(runtimeDir),
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
