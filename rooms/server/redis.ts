// Redis for several replicas: connections that retry with backoff and log
// each attempt, and one place that knows whether Redis is reachable now.
// With REDIS_CLUSTER each connection is an ioredis Cluster (redisCluster.ts).

import { Cluster, Redis } from "ioredis";
import type { Logger } from "./logger.ts";
import { connectCluster } from "./redisCluster.ts";

/** One connection: to a single Redis, or to a Redis Cluster through any of its nodes. */
export type RedisClient = Redis | Cluster;

const BACKOFF_START_MS = 250;
const BACKOFF_MAX_MS = 5000;

export function backoffMs(attempt: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** Math.max(0, attempt - 1));
}

/** Where Redis is, for logs: never the password. */
export function redactRedisUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}

/** Tracks whether every Redis connection this process made is ready. */
export class RedisHealth {
  private readonly clients = new Set<RedisClient>();
  private readonly log: Logger;
  private readonly cluster: boolean;
  private readonly recoveredListeners: (() => void)[] = [];
  private wasReady = false;
  /** Cluster mode: false while the cluster reports it cannot serve every slot. */
  private clusterOk = true;
  private clusterWatch: NodeJS.Timeout | undefined;

  constructor(log: Logger, options: { cluster?: boolean } = {}) {
    this.log = log;
    this.cluster = options.cluster ?? false;
  }

  get ready(): boolean {
    if (this.clients.size === 0) return false;
    for (const client of this.clients) if (client.status !== "ready") return false;
    return this.clusterOk;
  }

  /**
   * A client that retries forever with backoff. Commands issued while Redis is
   * away fail after one retry instead of queueing, so a matchmaking request
   * gets an answer rather than hanging.
   */
  connect(url: string, role: string): RedisClient {
    const where = redactRedisUrl(url);
    const retryStrategy = (attempt: number): number => {
      const delay = backoffMs(attempt);
      this.log.warn({ redis: where, role, attempt, retryInMs: delay }, "Redis unreachable; retrying");
      return delay;
    };
    const node = { connectTimeout: 2000, maxRetriesPerRequest: 1 };
    // Auto-pipelining sends the commands of one event-loop turn in one write: a
    // join storm issues several per join (listings, seat counts, lobby
    // notices), and a write syscall each was the largest Redis cost.
    const client = this.cluster
      ? connectCluster(url, node, retryStrategy)
      : new Redis(url, { ...node, lazyConnect: false, retryStrategy, enableAutoPipelining: true });
    let wasReady = false;
    client.on("ready", () => {
      this.log.info({ redis: where, role, recovered: wasReady }, wasReady ? "Redis is back" : "Redis connected");
      wasReady = true;
      if (this.ready) {
        if (this.wasReady) this.recovered();
        this.wasReady = true;
      }
    });
    // Every connection sees the same cluster: one of them watches it for all.
    if (client instanceof Cluster && !this.clusterWatch) {
      this.watchNodes(client, where, () => wasReady);
      this.clusterWatch = this.watchClusterState(client, where);
    }
    client.on("end", () => this.log.warn({ redis: where, role }, "Redis connection ended"));
    // Without a listener ioredis reports every failed attempt as an unhandled error event.
    client.on("error", (error: Error) => this.log.debug({ redis: where, role, err: error.message }, "Redis error"));
    this.clients.add(client);
    return client;
  }

  /**
   * A cluster stays "ready" while one of its nodes restarts, and a node that
   * restarts without persistence comes back empty. So a node that (re)joins
   * after the start counts as a recovery, once the cluster serves all its
   * slots again: listings are written back then.
   */
  private watchNodes(cluster: Cluster, where: string, started: () => boolean): void {
    cluster.on("-node", (node: Redis) => this.log.warn({ redis: where, node: `${node.options.host}:${node.options.port}` }, "Redis Cluster node lost"));
    cluster.on("+node", (node: Redis) => {
      if (!started()) return;
      const name = `${node.options.host}:${node.options.port}`;
      void untilClusterOk(node).then((ok) => {
        this.log.info({ redis: where, node: name, clusterOk: ok }, "Redis Cluster node (re)joined");
        if (ok && this.ready) this.recovered();
      });
    });
  }

  /**
   * A cluster whose node is lost stays "ready" to its client, but once the
   * other nodes declare that node failed it refuses every command
   * (CLUSTERDOWN). Asking it every CLUSTER_STATE_POLL_MS lets /readyz and
   * matchmaking say so, and the return counts as a recovery.
   */
  private watchClusterState(cluster: Cluster, where: string): NodeJS.Timeout {
    const timer = setInterval(async () => {
      if (cluster.status !== "ready") return;
      const info = await (cluster.cluster("INFO") as Promise<string>).catch(() => "");
      const ok = /^cluster_state:ok\b/m.test(info);
      if (ok === this.clusterOk) return;
      this.clusterOk = ok;
      if (ok) this.log.info({ redis: where }, "Redis Cluster serves every slot again");
      else this.log.warn({ redis: where, clusterState: /^cluster_state:(\w+)/m.exec(info)?.[1] ?? "no answer" }, "Redis Cluster is down: not every slot is served");
      if (ok && this.ready) this.recovered();
    }, CLUSTER_STATE_POLL_MS);
    timer.unref();
    return timer;
  }

  private recovered(): void {
    for (const listener of this.recoveredListeners) listener();
  }

  /** Runs whenever every connection is ready again after Redis was lost. */
  onRecovered(listener: () => void): void {
    this.recoveredListeners.push(listener);
  }

  /** Resolves once every connection is ready. */
  async untilReady(): Promise<void> {
    await Promise.all([...this.clients].map((client) => client.status === "ready" ? undefined : new Promise<void>((resolve) => { client.once("ready", () => resolve()); })));
  }

  async close(): Promise<void> {
    clearInterval(this.clusterWatch);
    await Promise.all([...this.clients].map((client) => client.quit().catch(() => client.disconnect())));
    this.clients.clear();
  }
}

const CLUSTER_STATE_POLL_MS = 1000;
/** How long a rejoined node may take to report the cluster whole again. */
const CLUSTER_OK_WAIT_MS = 60_000;
const CLUSTER_OK_POLL_MS = 250;

/** Resolves true once `node` reports cluster_state:ok, false after CLUSTER_OK_WAIT_MS or if it goes away. */
async function untilClusterOk(node: Redis): Promise<boolean> {
  const deadline = Date.now() + CLUSTER_OK_WAIT_MS;
  while (Date.now() < deadline && node.status !== "end") {
    const info = await (node.cluster("INFO") as Promise<string>).catch(() => "");
    if (/^cluster_state:ok\b/m.test(info)) return true;
    await new Promise((resolve) => setTimeout(resolve, CLUSTER_OK_POLL_MS));
  }
  return false;
}
