// Which replicas are alive, ready and of which version: each replica writes a
// heartbeat key in Redis with a short TTL and refreshes it well inside it. A
// crashed replica's key expires by itself, so placement never depends on a
// failed call to find out. Placement (new rooms and room moves) reads it.

import { matchMaker } from "@colyseus/core";
import type { Logger } from "./logger.ts";
import type { RedisClient } from "./redis.ts";
import { orderCandidates, type Candidate, type ReplicaStatus } from "./placement.ts";

/** Heartbeats are read together (MGET): the hash tag keeps them in one Redis Cluster slot. */
export const HEARTBEAT_KEY_PREFIX = "roomservice:{placement}:replica:";
/** A heartbeat older than this is a dead replica; refreshed every third of it, so two lost writes in a row are survived. */
export const HEARTBEAT_TTL_MS = 3000;
export const HEARTBEAT_EVERY_MS = 1000;
/** Colyseus persists room counts once a second: a placement is remembered a little longer. */
const PLACEMENT_MEMORY_MS = 2000;

export interface ReplicaIdentity {
  /** Changes with every rollout (e.g. the pod's controller-revision-hash); "" when not set. */
  version: string;
  replicaName: string | undefined;
}

export class ReplicaRegistry {
  private readonly redis: RedisClient;
  private readonly identity: ReplicaIdentity;
  private readonly log: Logger;
  private readonly startedAt = Date.now();
  private drainingNow = false;
  private isReady: () => boolean = () => true;
  private timer: NodeJS.Timeout | undefined;
  private reaping = false;
  /**
   * Rooms this process sent to each replica lately. Colyseus writes room
   * counts to Redis at most once a second, so without these a burst of
   * placements (every room of a draining replica) would all see the same
   * "fewest rooms" replica.
   */
  private readonly recentlyPlaced = new Map<string, number[]>();
  /** Processes that were ready at the last look (once a second), or undefined before the first. */
  private lastReady: ReadonlySet<string> | undefined;

  constructor(redis: RedisClient, identity: ReplicaIdentity, log: Logger) {
    this.redis = redis;
    this.identity = identity;
    this.log = log;
  }

  get draining(): boolean {
    return this.drainingNow;
  }

  /**
   * Starts the heartbeat; the first one is written before this resolves (or
   * fails, if Redis is away). `isReady` is the replica's own readiness (e.g.
   * false while it has no route): only a ready replica is offered rooms.
   */
  async start(isReady: () => boolean): Promise<void> {
    this.isReady = isReady;
    this.timer ??= setInterval(() => {
      void this.beat();
      void this.reap();
    }, HEARTBEAT_EVERY_MS);
    this.timer.unref();
    await this.beat();
  }

  /** True while the process has a heartbeat (draining ones too); false once it exited or died, or with Redis away. */
  async isAlive(processId: string): Promise<boolean> {
    return (await this.redis.exists(HEARTBEAT_KEY_PREFIX + processId)) === 1;
  }

  /** From now on this replica is never chosen for a new room or a moving one. */
  async markDraining(): Promise<void> {
    this.drainingNow = true;
    await this.beat();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.redis.del(HEARTBEAT_KEY_PREFIX + matchMaker.processId).catch(() => undefined);
  }

  private async beat(): Promise<void> {
    const status: ReplicaStatus = {
      processId: matchMaker.processId,
      replicaName: this.identity.replicaName,
      version: this.identity.version,
      startedAt: this.startedAt,
      state: this.drainingNow ? "draining" : this.isReady() ? "ready" : "unready",
    };
    try {
      await this.redis.set(HEARTBEAT_KEY_PREFIX + status.processId, JSON.stringify(status), "PX", HEARTBEAT_TTL_MS);
    } catch (error) {
      // Redis away: the key expires and other replicas stop placing rooms here, which is right.
      this.log.debug({ err: (error as Error).message }, "heartbeat not written");
    }
  }

  /**
   * Every replica in Colyseus' process table, with its heartbeat (undefined
   * when it has none: dead, or not started yet) and its room count.
   */
  private async processes(): Promise<{ processId: string; roomCount: number; status: ReplicaStatus | undefined }[]> {
    const stats = await matchMaker.stats.fetchAll();
    if (stats.length === 0) return [];
    const beats = await this.redis.mget(stats.map((s) => HEARTBEAT_KEY_PREFIX + s.processId));
    return stats.map((s, i) => ({ processId: s.processId, roomCount: s.roomCount, status: parseStatus(beats[i]) }));
  }

  /**
   * Processes in the table without a heartbeat get Colyseus' health check,
   * which removes them and their room listings if they do not answer: joins
   * then stop landing in a crashed replica's rooms.
   */
  private async reap(): Promise<void> {
    if (this.reaping || this.draining) return;
    this.reaping = true;
    try {
      const processes = await this.processes();
      this.lastReady = new Set(processes.filter((p) => p.status?.state === "ready").map((p) => p.processId));
      const silent = processes.filter((p) => !p.status && p.processId !== matchMaker.processId);
      await Promise.all(silent.map((p) => matchMaker.healthCheckProcessId(p.processId)));
    } catch (error) {
      this.log.debug({ err: (error as Error).message }, "could not check silent replicas");
    } finally {
      this.reaping = false;
    }
  }

  /**
   * Whether a player may be seated in a room of this process: false for a
   * replica that was draining, unready or silent at the last look (at most a
   * second ago). True when it is not known yet.
   */
  seatsPlayers(processId: string): boolean {
    return this.lastReady === undefined || this.lastReady.has(processId);
  }

  /**
   * Replicas that may take a room now, best first (newest version, then
   * fewest rooms): alive, ready, and not `exclude` (the moving replica).
   */
  async candidates(exclude?: string): Promise<Candidate[]> {
    const processes = await this.processes();
    return orderCandidates(processes.flatMap((p) => (p.status ? [{ ...p.status, roomCount: p.roomCount + this.placedLately(p.processId) }] : [])), exclude);
  }

  /** Counts a room just sent to `processId` until Colyseus' own count there has caught up. */
  placed(processId: string): void {
    this.recentlyPlaced.set(processId, [...(this.recentlyPlaced.get(processId) ?? []), Date.now()]);
  }

  private placedLately(processId: string): number {
    const since = Date.now() - PLACEMENT_MEMORY_MS;
    const times = (this.recentlyPlaced.get(processId) ?? []).filter((t) => t > since);
    if (times.length > 0) this.recentlyPlaced.set(processId, times);
    else this.recentlyPlaced.delete(processId);
    return times.length;
  }

  /**
   * Colyseus' selectProcessIdToCreateRoom: the best candidate, never a dead
   * or draining replica. Undefined (Colyseus then refuses) when there is none
   * and this replica cannot take it either.
   */
  selectProcessIdToCreateRoom = async (): Promise<string> => {
    let chosen: string | undefined;
    try {
      chosen = (await this.candidates())[0]?.processId;
      if (chosen) this.placed(chosen);
    } catch (error) {
      this.log.debug({ err: (error as Error).message }, "replica list unavailable");
    }
    // No heartbeat readable (Redis just lost its data, or this replica is starting): a ready replica takes the room itself.
    chosen ??= this.draining ? undefined : matchMaker.processId;
    // Colyseus' type says string, but undefined is how it learns there is no replica.
    return chosen as string;
  };
}

function parseStatus(json: string | null | undefined): ReplicaStatus | undefined {
  if (!json) return undefined;
  try {
    return JSON.parse(json) as ReplicaStatus;
  } catch {
    return undefined;
  }
}
