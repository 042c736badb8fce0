// Client side of a room move (see docs/protocol.md, "Moving rooms"): when the
// server says `migrate`, take the seat it reserved in the successor room (same
// sessionId, snake and score) and leave the old room; without a seat, the move
// failed and the player should go back to matchmaking. The web client, the bots
// and the tests all use this one copy.

import type { Client, Room } from "@colyseus/sdk";
import { SERVER_MESSAGES, type MigrateNotice } from "../protocol.ts";

export interface FollowHandlers {
  /** Called with the successor room once joined; register your listeners on it. */
  moved(next: Room, notice: MigrateNotice): void;
  /** The move failed or the seat could not be taken: join again via matchmaking. */
  lost(message: string): void;
  /** The notice arrived; show "moving to another server". */
  moving?(notice: MigrateNotice): void;
}

export function followMigrations(client: Client, room: Room, handlers: FollowHandlers): void {
  room.onMessage(SERVER_MESSAGES.migrate, async (notice: MigrateNotice) => {
    handlers.moving?.(notice);
    if (!notice.reservation) {
      handlers.lost(notice.message);
      return;
    }
    try {
      const next = await client.consumeSeatReservation(notice.reservation);
      // Consented leave: the old room must not hold a seat or reconnect this client.
      room.leave(true).catch(() => undefined);
      handlers.moved(next, notice);
    } catch (error) {
      room.leave(true).catch(() => undefined);
      handlers.lost(`could not follow the game to its new server: ${(error as Error).message}`);
    }
  });
}
