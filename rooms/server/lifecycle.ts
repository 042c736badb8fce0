// Readiness and the SIGTERM drain. /readyz and the matchmaking gate read it;
// main.ts calls drain() on SIGTERM. Each room runs its own part of the drain
// in onBeforeShutdown.

import type { Server } from "@colyseus/core";
import type { Config } from "./config.ts";
import type { Logger } from "./logger.ts";
import type { RedisHealth } from "./redis.ts";

/** Extra time past DRAIN_SECONDS for rooms to close before the process gives up waiting. */
export const DRAIN_MARGIN_MS = 5000;

export class Lifecycle {
  private server: Server | undefined;
  private draining = false;
  private readonly config: Config;
  private readonly log: Logger;
  private readonly redis: RedisHealth | undefined;

  constructor(config: Config, log: Logger, redis?: RedisHealth) {
    this.config = config;
    this.log = log;
    this.redis = redis;
  }

  attach(server: Server): void {
    this.server = server;
  }

  /** Why this replica cannot take new rooms or players now; undefined when it can. */
  matchmakingUnavailable(): string | undefined {
    if (!this.server) return "starting";
    if (this.draining) return "this replica is draining";
    if (this.redis && !this.redis.ready) return "Redis is unreachable";
    return undefined;
  }

  /** True while this replica accepts new rooms and players. */
  get ready(): boolean {
    return this.matchmakingUnavailable() === undefined;
  }

  /**
   * Stops taking rooms, lets every room run its drain, and resolves when all
   * rooms are gone or the bound (DRAIN_SECONDS + margin) has passed.
   */
  async drain(): Promise<"drained" | "timed out"> {
    if (this.draining || !this.server) return "drained";
    this.draining = true;
    const boundMs = this.config.drainSeconds * 1000 + DRAIN_MARGIN_MS;
    this.log.info({ drainSeconds: this.config.drainSeconds }, "SIGTERM: draining");
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timed out">((resolve) => { timer = setTimeout(() => resolve("timed out"), boundMs); });
    const result = await Promise.race([this.server.gracefullyShutdown(false).then(() => "drained" as const), timeout]);
    clearTimeout(timer);
    await this.redis?.close();
    this.log.info({ result }, "drain finished");
    return result;
  }
}
