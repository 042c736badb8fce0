// A real Redis Cluster on loopback, for tests of REDIS_CLUSTER=true: N
// masters (no replicas), each a redis-server with cluster mode on, in a
// temp directory of its own that keeps its nodes.conf, so a node stopped
// and started again on the same port rejoins as the same node. Nothing else
// is persisted: a restarted node comes back empty, as a managed cache node
// without persistence does.

import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { requireBinaries } from "./binaries.ts";
import { inheritedEnv, isRunning, spawnChild, stopChild, waitUntil, type Child, type ExitStatus } from "./children.ts";
import { freePorts } from "./ports.ts";
import { trackCluster, untrackCluster } from "./processHooks.ts";
import { redisPong } from "./probes.ts";
import { REDIS_STOP_MS } from "./redis.ts";

const exec = promisify(execFile);

export interface RedisClusterOptions {
  /** Masters, each serving an equal share of the 16384 slots (default 3, the fewest Redis allows). */
  masters?: number;
  /**
   * cluster-node-timeout: how long a node may be unreachable before the others
   * mark it failed and the cluster stops serving (default 2000 ms, so a test sees it).
   */
  nodeTimeoutMs?: number;
  log?: (line: string) => void;
  /** Bound for each step of the start (default 30 s). */
  timeoutMs?: number;
}

export interface LocalRedisCluster {
  /** REDIS_URL for a replica: one node; the client finds the others. */
  seedUrl: string;
  /** Client ports of the nodes. */
  ports: number[];
  /** The client port of the master serving `key`'s slot now. */
  masterFor(key: string): Promise<number>;
  /** "ok" or "fail", as the node on `port` sees the cluster. */
  state(port: number): Promise<string>;
  /** Stops one node (SIGKILL for a crash) and resolves when it has exited. */
  stopNode(port: number, signal?: NodeJS.Signals): Promise<ExitStatus>;
  /** Starts a stopped node again on its port with its nodes.conf, and waits until the cluster is whole. */
  startNode(port: number): Promise<void>;
  stop(): Promise<void>;
}

interface Node {
  port: number;
  busPort: number;
  dir: string;
  child: Child | undefined;
}

export async function startRedisCluster(opts: RedisClusterOptions = {}): Promise<LocalRedisCluster> {
  const masters = opts.masters ?? 3;
  if (!Number.isInteger(masters) || masters < 3) throw new Error(`redis cluster: masters must be an integer >= 3, got ${masters}`);
  const bins = requireBinaries(["redis-server", "redis-cli"]);
  const log = opts.log ?? (() => undefined);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const nodeTimeoutMs = opts.nodeTimeoutMs ?? 2000;
  const runtimeDir = mkdtempSync(path.join(tmpdir(), "roomservice-redis-cluster-"));
  // The bus port is set explicitly: Redis' default (port + 10000) is out of range for most ephemeral ports.
  const ports = await freePorts(masters * 2);
  const nodes: Node[] = Array.from({ length: masters }, (_, i) => {
    const dir = path.join(runtimeDir, `node-${i}`);
    mkdirSync(dir);
    return { port: ports[i]!, busPort: ports[masters + i]!, dir, child: undefined };
  });

  const cli = async (port: number, ...args: string[]): Promise<string> =>
    (await exec(bins["redis-cli"], ["-h", "127.0.0.1", "-p", String(port), ...args], { timeout: timeoutMs })).stdout;
  const state = async (port: number): Promise<string> => /^cluster_state:(\w+)/m.exec(await cli(port, "CLUSTER", "INFO"))?.[1] ?? "unknown";
  const nodeAt = (port: number): Node => {
    const node = nodes.find((n) => n.port === port);
    if (!node) throw new Error(`redis cluster: no node on port ${port}`);
    return node;
  };

  const startNode = async (node: Node): Promise<void> => {
    if (node.child && isRunning(node.child)) throw new Error(`redis cluster: node ${node.port} is already running`);
    node.child = spawnChild(`redis-${node.port}`, bins["redis-server"], [
      "--port", String(node.port),
      "--bind", "127.0.0.1",
      "--cluster-enabled", "yes",
      "--cluster-port", String(node.busPort),
      "--cluster-config-file", "nodes.conf",
      "--cluster-node-timeout", String(nodeTimeoutMs),
      "--save", "",
      "--appendonly", "no",
      "--daemonize", "no",
      "--dir", node.dir,
      "--loglevel", "warning",
    ], inheritedEnv(), log);
    await waitUntil(node.child, `answering PING on port ${node.port}`, () => redisPong(node.port), timeoutMs);
  };

  const untilWhole = async (): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = await Promise.all(nodes.map((n) => state(n.port).catch(() => "unreachable")));
      if (states.every((s) => s === "ok")) return;
      if (Date.now() > deadline) throw new Error(`redis cluster: not whole within ${timeoutMs} ms (states: ${states.join(", ")})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await Promise.all(nodes.map((n) => n.child ? stopChild(n.child, "SIGTERM", REDIS_STOP_MS) : undefined));
      untrackCluster(stop, runtimeDir);
      rmSync(runtimeDir, { recursive: true, force: true });
    })();
    return stopping;
  };
  trackCluster(stop, runtimeDir);

  try {
    await Promise.all(nodes.map(startNode));
    await cli(nodes[0]!.port, "--cluster", "create", ...nodes.map((n) => `127.0.0.1:${n.port}`), "--cluster-replicas", "0", "--cluster-yes");
    await untilWhole();
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    seedUrl: `redis://127.0.0.1:${nodes[0]!.port}`,
    ports: nodes.map((n) => n.port),
    state,
    masterFor: async (key) => {
      const slot = Number(await cli(nodes[0]!.port, "CLUSTER", "KEYSLOT", key));
      // CLUSTER NODES: "<id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <link> <slot ranges…>"
      for (const line of (await cli(nodes[0]!.port, "CLUSTER", "NODES")).split("\n")) {
        const fields = line.trim().split(" ");
        if (!fields[2]?.includes("master")) continue;
        for (const range of fields.slice(8)) {
          const [from, to = from] = range.split("-").map(Number);
          if (from !== undefined && slot >= from && slot <= to!) return Number(/:(\d+)@/.exec(fields[1]!)![1]);
        }
      }
      throw new Error(`redis cluster: no master serves slot ${slot} of ${key}`);
    },
    stopNode: async (port, signal = "SIGTERM") => {
      const node = nodeAt(port);
      if (!node.child || !isRunning(node.child)) throw new Error(`redis cluster: node ${port} is not running`);
      return stopChild(node.child, signal, REDIS_STOP_MS);
    },
    startNode: async (port) => {
      await startNode(nodeAt(port));
      await untilWhole();
    },
    stop,
  };
}
