// A new room is listed for other replicas only once they can reach it.
//
// Colyseus writes a room's listing to the driver before it subscribes to the
// room's channel (one Redis round trip later). A seat another replica asks
// for in between is published to no one, and that join waits for Colyseus'
// 2 s IPC timeout: the 2.1-2.4 s worst case of every 1,000 joins/s burst. So a
// room's listing is written locked, and unlocked when Colyseus announces the
// room ("create", emitted after the subscription). Matchmaking skips locked
// rooms; the process that created the room seats its own requests directly.

import { matchMaker, type IRoomCache, type RegisteredHandler, type Room } from "@colyseus/core";

/** Colyseus' listing of a room (private in its types). */
function listingOf(room: Room): IRoomCache {
  return (room as unknown as { _listing: IRoomCache })._listing;
}

/** The room class whose listing is written locked (see the top of this file). */
export function listedLocked<C extends new () => Room>(roomClass: C): C {
  // Mixins need a constructor type with `any[]` arguments (TS2545).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const Base = roomClass as unknown as new (...args: any[]) => Room;
  return class extends Base {
    override async onCreate(options: unknown): Promise<void> {
      await super.onCreate?.(options);
      listingOf(this).locked = true;
    }
  } as unknown as C;
}

/** Unlocks each new room's listing once Colyseus has subscribed to its channel, unless the room was locked on purpose meanwhile. */
export function unlockedOnceReachable(handler: RegisteredHandler): RegisteredHandler {
  handler.on("create", (room: Room) => {
    const listing = listingOf(room);
    if (!listing.locked || room.locked) return;
    // With Redis away the room stays unlisted for other replicas; its own still seats players.
    void Promise.resolve(matchMaker.driver.update(listing, { $set: { locked: false } })).catch(() => undefined);
  });
  return handler;
}
