// Colyseus' RedisDriver, with a room-list lookup that cannot get stuck.
//
// The upstream driver (0.18) shares one in-flight HGETALL of the room listings
// between concurrent lookups, but clears that shared promise only when it
// succeeds. One failure (a Redis blip while the lobby polls /api/rooms; our
// Redis clients fail fast by design) is then served to every later lookup:
// quick play answers 503 and the room list fails until the process restarts.
// Here the shared request is dropped when it settles either way, and the last
// outcome is kept so /readyz can report a replica whose room lists fail.

import { initializeRoomCache, type IRoomCache } from "@colyseus/core";
import { RedisDriver } from "@colyseus/redis-driver";
import type { Cluster, Redis } from "ioredis";

/** The hash Colyseus' RedisDriver keeps room listings in. */
export const ROOM_LISTINGS_KEY = "roomcaches";

export class RecoveringRedisDriver extends RedisDriver {
  private readonly client: Redis | Cluster;
  private inFlight: Promise<Record<string, string>> | undefined;
  private lastFailure: string | undefined;

  constructor(client: Redis | Cluster) {
    super(client);
    this.client = client;
    // getRooms is private in the driver's typings, so it cannot be overridden by name; every
    // room-list lookup of the driver (query, findOne by conditions) goes through it.
    Object.defineProperty(this, "getRooms", { value: (roomName?: string) => this.listRooms(roomName), writable: true, configurable: true });
  }

  /** Why the last room-list lookup failed, or undefined if it succeeded. */
  get roomListFailure(): string | undefined {
    return this.lastFailure;
  }

  /** One room-list lookup now; afterwards roomListFailure says how it went. */
  async probe(): Promise<void> {
    await this.listRooms(undefined).catch(() => undefined);
  }

  private listRooms(roomName: string | undefined): Promise<IRoomCache[]> {
    // Concurrent lookups share one request, as upstream; a settled one, failed or not, is never reused.
    this.inFlight ??= this.client.hgetall(ROOM_LISTINGS_KEY).finally(() => { this.inFlight = undefined; });
    return this.inFlight.then((listings) => {
      this.lastFailure = undefined;
      let entries = Object.values(listings ?? {});
      // The same filter as upstream: listings are JSON, and the name field is written by Colyseus.
      if (roomName !== undefined) entries = entries.filter((json) => json.includes(`"name":"${roomName}"`));
      return entries.map((json) => initializeRoomCache(JSON.parse(json)));
    }, (error: Error) => {
      this.lastFailure = error.message;
      throw error;
    });
  }
}
