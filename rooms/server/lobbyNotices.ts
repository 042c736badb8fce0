// The live room list of the web lobby (Colyseus' LobbyRoom), with fewer
// notices. Colyseus' realtime listing publishes a notice through presence on
// every join, leave, lock and metadata change of every room: two or three per
// join in a join storm, and each makes every process hosting a lobby re-read
// that room's listing from Redis. A notice only says "room X changed" (the
// lobby reads the listing itself), so here one room's changes within
// LOBBY_NOTICE_MS go out as one notice. Removals (dispose, going private) go
// out at once, as Colyseus sends them, and drop a pending change.

import { updateLobby, type RegisteredHandler, type Room } from "@colyseus/core";

/** How long a lobby may show a room's previous figures; a tick at 10 Hz. */
export const LOBBY_NOTICE_MS = 100;

/** Handler.enableRealtimeListing(), with one room's changes coalesced into a notice per LOBBY_NOTICE_MS. */
export function enableCoalescedRealtimeListing(handler: RegisteredHandler): RegisteredHandler {
  // Colyseus reads this flag when it creates a room, to report metadata and visibility changes.
  handler.realtimeListingEnabled = true;
  const pending = new Map<Room, NodeJS.Timeout>();
  const changed = (room: Room): void => {
    if (pending.has(room)) return;
    const timer = setTimeout(() => {
      pending.delete(room);
      updateLobby(room);
    }, LOBBY_NOTICE_MS);
    // A notice is not worth keeping a stopping process alive.
    timer.unref();
    pending.set(room, timer);
  };
  const now = (room: Room, removed: boolean): void => {
    clearTimeout(pending.get(room));
    pending.delete(room);
    updateLobby(room, removed);
  };
  handler.on("create", changed);
  handler.on("lock", changed);
  handler.on("unlock", changed);
  handler.on("join", changed);
  handler.on("leave", (room: Room, _client: unknown, willDispose: boolean) => { if (!willDispose) changed(room); });
  handler.on("metadata-change", changed);
  // Colyseus passes whether the room became private: then it leaves the list.
  handler.on("visibility-change", (room: Room, isPrivate: boolean) => now(room, isPrivate));
  handler.on("dispose", (room: Room) => now(room, true));
  return handler;
}
