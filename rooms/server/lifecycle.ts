// Readiness and the SIGTERM drain. /readyz and the matchmaking gate read it;
// main.ts calls drain() on SIGTERM. Each room runs its own part of the drain
// in onBeforeShutdown.

import { matchMaker, type Server } from "@colyseus/core";
import type { DrainingRoom } from "../kit/settings.ts";
import type { Config } from "./config.ts";
import type { Logger } from "./logger.ts";
import type { RoomMover } from "./migration.ts";
import type { RedisHealth } from "./redis.ts";
import type { ReplicaRegistry } from "./replicas.ts";

/** Extra time past DRAIN_SECONDS for rooms to close before the process gives up waiting. */
export const DRAIN_MARGIN_MS = 5000;

/** How long /readyz waits for a room-list lookup after one failed. */
const ROOM_LIST_PROBE_MS = 2000;

/** Waits for `work`, but no longer than `ms`. */
async function within(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => undefined), new Promise((resolve) => { timer = setTimeout(resolve, ms); })]);
  clearTimeout(timer);
}

export interface RoomListHealth {
  /** Why the last room-list lookup failed, or undefined if it succeeded. */
  readonly roomListFailure: string | undefined;
  /** Looks the room list up once now. */
  probe(): Promise<void>;
}

export class Lifecycle {
  private server: Server | undefined;
  private draining = false;
  private readonly config: Config;
  private readonly log: Logger;
  private readonly redis: RedisHealth | undefined;
  private readonly mover: RoomMover | undefined;
  private readonly replicas: ReplicaRegistry | undefined;
  /** Every live room of this process; rooms add and remove themselves. */
  readonly rooms = new Set<DrainingRoom>();
  /** Why this replica has no route at the edge (see routeGuard.ts), or undefined. */
  unrouted: () => string | undefined = () => undefined;
  /** With Redis: the driver, whose room-list lookups (quick play, /api/rooms) may fail while Redis itself answers. */
  roomList: RoomListHealth | undefined;

  constructor(config: Config, log: Logger, redis?: RedisHealth, mover?: RoomMover, replicas?: ReplicaRegistry) {
    this.config = config;
    this.log = log;
    this.redis = redis;
    this.mover = mover;
    this.replicas = replicas;
  }

  attach(server: Server): void {
    this.server = server;
  }

  /**
   * A Redis that comes back may have lost everything (a restart without
   * persistence): list this process's rooms and room count there again, so
   * matchmaking finds them.
   */
  async redisRecovered(): Promise<void> {
    if (this.draining) return;
    try {
      await matchMaker.restoreMissingRoomCaches();
      await matchMaker.stats.persist(true);
      this.log.info({ rooms: this.rooms.size }, "room listings restored in Redis");
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, "could not restore room listings in Redis");
    }
  }

  /** Why this replica cannot take new rooms or players now; undefined when it can. */
  matchmakingUnavailable(): string | undefined {
    if (!this.server) return "starting";
    if (this.draining) return "this replica is draining";
    if (this.redis && !this.redis.ready) return "Redis is unreachable";
    return this.unrouted();
  }

  /**
   * For /readyz: matchmakingUnavailable(), and also whether room-list lookups
   * work. After a failed lookup it looks once more before answering, so a
   * replica that was refused traffic for it can become ready again.
   */
  async readiness(): Promise<string | undefined> {
    const unavailable = this.matchmakingUnavailable();
    if (unavailable !== undefined || !this.roomList?.roomListFailure) return unavailable;
    // A Redis that does not answer at all must not hang the probe.
    await within(this.roomList.probe(), ROOM_LIST_PROBE_MS);
    const failure = this.roomList.roomListFailure;
    return failure === undefined ? undefined : `room list lookups fail: ${failure}`;
  }

  /** Players connected to this process's rooms (spectating lobbies not counted). */
  get players(): number {
    let count = 0;
    for (const room of this.rooms) count += room.clients.length;
    return count;
  }

  /** True from SIGTERM on. */
  get isDraining(): boolean {
    return this.draining;
  }

  /** True while this replica accepts new rooms and players. */
  get ready(): boolean {
    return this.matchmakingUnavailable() === undefined;
  }

  /**
   * Stops taking rooms, moves every room to another replica when one can take
   * it, lets the rest run their drain, and resolves when all rooms are gone or
   * the bound (DRAIN_SECONDS + margin) has passed. Rooms are drained here, not
   * by Colyseus' shutdown, because that one stops at its first Redis call when
   * Redis is gone.
   */
  async drain(signal: NodeJS.Signals = "SIGTERM"): Promise<"drained" | "timed out"> {
    if (this.draining || !this.server) return "drained";
    this.draining = true;
    const deadline = Date.now() + this.config.drainSeconds * 1000 + DRAIN_MARGIN_MS;
    this.log.info({ signal, drainSeconds: this.config.drainSeconds, rooms: this.rooms.size }, `${signal}: draining`);
    await this.leaveRoomTable();
    await this.migrateRooms();
    for (const room of this.rooms) room.beginDrain();
    const drained = await this.untilNoRooms(deadline);
    // Colyseus' own shutdown cleans its Redis tables; bounded, since Redis may be gone.
    await within(this.server.gracefullyShutdown(false), Math.max(1000, deadline - Date.now()));
    await this.redis?.close();
    const result = drained ? "drained" : "timed out";
    this.log.info({ result }, "drain finished");
    return result;
  }

  private async untilNoRooms(deadline: number): Promise<boolean> {
    while (this.rooms.size > 0) {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return true;
  }

  /** No replica, this one included, places a new room here from now on. */
  private async leaveRoomTable(): Promise<void> {
    // Its heartbeat says "draining" (or stops, with Redis away): placement skips this replica either way.
    await this.replicas?.markDraining();
    if (!this.redis?.ready) return;
    try {
      await matchMaker.stats.excludeProcess(matchMaker.processId);
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, "could not leave the room table in Redis");
    }
  }

  /** Each room moves to the best other live, ready replica (see migration.ts), or drains here if none can take it. */
  private async migrateRooms(): Promise<void> {
    const mover = this.mover;
    if (!mover || this.rooms.size === 0) return;
    try {
      if (this.redis && !this.redis.ready) throw new Error("Redis is unreachable");
      const others = await mover.destinations();
      if (others.length === 0) throw new Error("no other ready replica");
    } catch (error) {
      this.log.warn({ reason: (error as Error).message }, "rooms cannot move; draining them here instead");
      return;
    }
    // Every successor first, while the games play on; then the cut-overs one at a time, so
    // each room's pause is its own round trip, not queued behind other rooms' joins or cut-overs.
    const prepared = await Promise.all([...this.rooms].map((room) => room.prepareMove()));
    let moved = 0;
    for (const cutOver of prepared) if (cutOver && await cutOver()) moved++;
    this.log.info({ moved, failed: prepared.length - moved }, "rooms moved");
  }
}
