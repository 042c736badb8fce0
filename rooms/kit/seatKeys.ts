// Seats bound to their owner. A room move reserves a seat in the successor
// for every player under that player's sessionId, and sessionIds are public
// (every client sees the keys of the room's players). So each seat also gets a
// random key, told only to its owner (in its own `migrate` notice); the
// successor admits a sessionId only with its key.

import { randomBytes, timingSafeEqual } from "node:crypto";

/** 144 bits, URL-safe: it travels in the WebSocket URL as `reconnectionToken`. */
export function newSeatKey(): string {
  return randomBytes(18).toString("base64url");
}

export class SeatKeys {
  private readonly keys: Map<string, Buffer>;

  /** Members without a key (a room that did not move) need none. */
  constructor(members: readonly { sessionId: string; seatKey?: string }[] = []) {
    this.keys = new Map(members.flatMap((m) => (m.seatKey === undefined ? [] : [[m.sessionId, Buffer.from(m.seatKey)] as const])));
  }

  /** True when this sessionId needs no key, or `presented` is its key. */
  admits(sessionId: string, presented: string | null | undefined): boolean {
    const key = this.keys.get(sessionId);
    if (key === undefined) return true;
    if (typeof presented !== "string") return false;
    const given = Buffer.from(presented);
    return given.length === key.length && timingSafeEqual(given, key);
  }

  /** The owner took its seat (or the seat ran out): the key has done its job. */
  forget(sessionId: string): void {
    this.keys.delete(sessionId);
  }
}
