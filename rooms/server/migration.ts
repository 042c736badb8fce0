// Live room migration between replicas, the Redis side: the kit's Mover.
// Room snapshots with a TTL (taken once, then gone), the successor placed on a
// ready replica, and which replicas are draining so no new room is placed on
// one. The room side is GameRoom.migrate() and its arrival path (rooms/kit/).

import { randomUUID } from "node:crypto";
import { matchMaker } from "@colyseus/core";
import type { RedisClient } from "./redis.ts";
import type { Move, Mover, RoomSnapshot } from "../kit/moving.ts";
import type { SeatReservation } from "../kit/protocol.ts";

/**
 * Redis keys; Colyseus' own keys carry no prefix, ours all start with "roomservice:".
 * Draining flags are read together (MGET), so they share the hash tag {placement}:
 * a Redis Cluster keeps them in one slot. Snapshots are read one by one and spread out.
 */
export const SNAPSHOT_KEY_PREFIX = "roomservice:migration:";
export const DRAINING_KEY_PREFIX = "roomservice:{placement}:draining:";
/**
 * The create option naming a successor's snapshot. Clients can never set it:
 * the join options refuse it (rooms/kit/protocol.ts) and only parsed options
 * reach Colyseus.
 */
export const MIGRATION_OPTION = "migration";
/** A snapshot not consumed within this time is useless: its players have gone. */
export const SNAPSHOT_TTL_SECONDS = 120;

export class MigrationStore implements Mover {
  private readonly redis: RedisClient;
  private selfDraining = false;

  constructor(redis: RedisClient) {
    this.redis = redis;
  }

  get available(): boolean {
    return this.redis.status === "ready";
  }

  async save(snapshot: RoomSnapshot): Promise<string> {
    const key = `${SNAPSHOT_KEY_PREFIX}${snapshot.roomId}:${randomUUID()}`;
    await this.redis.set(key, JSON.stringify(snapshot), "EX", SNAPSHOT_TTL_SECONDS);
    return key;
  }

  /** A successor's create options name its snapshot under MIGRATION_OPTION. */
  async arriving(createOptions: Readonly<Record<string, unknown>>): Promise<RoomSnapshot | undefined> {
    const key = createOptions[MIGRATION_OPTION];
    if (key === undefined) return undefined;
    const snapshot = typeof key === "string" ? await this.take(key) : undefined;
    if (!snapshot) throw new Error(`no snapshot at ${String(key)}`);
    return snapshot;
  }

  /** Reads and deletes in one step, so a snapshot is consumed at most once. */
  async take(key: string): Promise<RoomSnapshot | undefined> {
    if (!key.startsWith(SNAPSHOT_KEY_PREFIX)) return undefined;
    const json = await this.redis.getdel(key);
    return json === null ? undefined : (JSON.parse(json) as RoomSnapshot);
  }

  async discard(key: string): Promise<void> {
    await this.redis.del(key);
  }

  /**
   * Moves a room: the snapshot goes to Redis, a successor room of the same
   * name is created from it on a ready replica (never a draining one: see
   * selectReplica), and a seat is reserved there for every member. Throws if any step fails, leaving no
   * snapshot behind.
   */
  async move(snapshot: RoomSnapshot): Promise<Move> {
    let key: string | undefined;
    try {
      key = await this.save(snapshot);
      const name = snapshot.roomName;
      const successor = await matchMaker.createRoom(name, { [MIGRATION_OPTION]: key });
      // One remote call for every seat, each under the member's own sessionId.
      const members = snapshot.members.map(({ sessionId }) => ({ sessionId, options: {}, auth: { sessionId } }));
      const reserved = await matchMaker.reserveMultipleSeatsFor(successor, members) as boolean[];
      const seats = new Map<string, SeatReservation>();
      members.forEach(({ sessionId }, i) => {
        if (!reserved[i]) throw new Error(`no seat for ${sessionId} in ${successor.roomId}`);
        seats.set(sessionId, { name, sessionId, roomId: successor.roomId, processId: successor.processId, publicAddress: successor.publicAddress });
      });
      return { successor, seats };
    } catch (error) {
      // Consumed by a successor that started, or useless: either way it must not linger.
      if (key) await this.discard(key).catch(() => undefined);
      throw error;
    }
  }

  async markDraining(processId: string, seconds: number): Promise<void> {
    this.selfDraining = processId === matchMaker.processId;
    await this.redis.set(`${DRAINING_KEY_PREFIX}${processId}`, "1", "EX", Math.max(1, seconds));
  }

  async draining(processIds: string[]): Promise<Set<string>> {
    if (processIds.length === 0) return new Set();
    const flags = await this.redis.mget(processIds.map((id) => `${DRAINING_KEY_PREFIX}${id}`));
    return new Set(processIds.filter((_, i) => flags[i] !== null));
  }

  /** Replicas that can take a room now: alive in Colyseus' table and not draining. */
  async readyReplicas(): Promise<{ processId: string; roomCount: number }[]> {
    const all = await matchMaker.stats.fetchAll();
    const draining = await this.draining(all.map((s) => s.processId));
    return all.filter((s) => !draining.has(s.processId)).map(({ processId, roomCount }) => ({ processId, roomCount }));
  }

  /**
   * Colyseus' selectProcessIdToCreateRoom: the replica with the fewest rooms,
   * never a draining one. Undefined when there is none (Colyseus then refuses).
   */
  selectReplica = async (): Promise<string> => {
    const candidates = await this.readyReplicas();
    candidates.sort((a, b) => a.roomCount - b.roomCount);
    // The table can be empty right after Redis lost its data: a replica that is not draining takes the room itself.
    const chosen = candidates[0]?.processId ?? (this.selfDraining ? undefined : matchMaker.processId);
    // Colyseus' type says string, but undefined is how it learns there is no replica.
    return chosen as string;
  };
}
