// Redis for several replicas: connections that retry with backoff and log
// each attempt, and one place that knows whether Redis is reachable now.

import { Redis } from "ioredis";
import type { Logger } from "./logger.ts";

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
  private readonly clients = new Set<Redis>();
  private readonly log: Logger;
  private readonly recoveredListeners: (() => void)[] = [];
  private wasReady = false;

  constructor(log: Logger) {
    this.log = log;
  }

  get ready(): boolean {
    if (this.clients.size === 0) return false;
    for (const client of this.clients) if (client.status !== "ready") return false;
    return true;
  }

  /**
   * A client that retries forever with backoff. Commands issued while Redis is
   * away fail after one retry instead of queueing, so a matchmaking request
   * gets an answer rather than hanging.
   */
  connect(url: string, role: string): Redis {
    const where = redactRedisUrl(url);
    const client = new Redis(url, {
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      retryStrategy: (attempt) => {
        const delay = backoffMs(attempt);
        this.log.warn({ redis: where, role, attempt, retryInMs: delay }, "Redis unreachable; retrying");
        return delay;
      },
    });
    let wasReady = false;
    client.on("ready", () => {
      this.log.info({ redis: where, role, recovered: wasReady }, wasReady ? "Redis is back" : "Redis connected");
      wasReady = true;
      if (this.ready) {
        if (this.wasReady) for (const listener of this.recoveredListeners) listener();
        this.wasReady = true;
      }
    });
    client.on("end", () => this.log.warn({ redis: where, role }, "Redis connection ended"));
    // Without a listener ioredis reports every failed attempt as an unhandled error event.
    client.on("error", (error) => this.log.debug({ redis: where, role, err: error.message }, "Redis error"));
    this.clients.add(client);
    return client;
  }

  /** Runs whenever every connection is ready again after Redis was lost. */
  onRecovered(listener: () => void): void {
    this.recoveredListeners.push(listener);
  }

  /** Resolves once every connection is ready. */
  async untilReady(): Promise<void> {
    await Promise.all([...this.clients].map((client) => client.status === "ready" ? undefined : new Promise<void>((resolve) => client.once("ready", () => resolve()))));
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients].map((client) => client.quit().catch(() => client.disconnect())));
    this.clients.clear();
  }
}
