// Client side of a room move (see docs/protocol.md, "Moving rooms"). The
// server says `migrate` while the game may still run here: take the seat it
// reserved in the successor room (same sessionId, snake and score) at once,
// and switch once the successor has sent its first state and, for a
// `cutOver` notice, this room has said `frozen` (its last patch is then in,
// so no tick is skipped or seen twice); then leave this room. Without a seat
// the move failed and the player should go back to matchmaking. The web
// client, the bots and the tests all use this one copy.

import type { Client, Room } from "@colyseus/sdk";
import { SERVER_MESSAGES, type MigrateNotice } from "../protocol.ts";

export interface FollowHandlers {
  /** Called with the successor room once it shows the game (its state is there); register your listeners on it. */
  moved(next: Room, notice: MigrateNotice): void;
  /** The move failed or the seat could not be taken: join again via matchmaking. */
  lost(message: string): void;
  /** The notice arrived; show "moving to another server" if you like (the game goes on meanwhile). */
  moving?(notice: MigrateNotice): void;
  /** The seat in the successor is taken; its state follows when the game switches over. */
  joined?(next: Room, notice: MigrateNotice): void;
}

export function followMigrations(client: Client, room: Room, handlers: FollowHandlers): void {
  /** The successor joined but not yet switched to; a newer notice replaces it. */
  let pending: Room | undefined;
  let latest = 0;
  /** This room will send no more patches: it said `frozen`, or it is gone. */
  let oldRoomDone = false;
  /** Called when either condition of the switch is met. */
  let trySwitch = (): void => undefined;
  const stop = () => { oldRoomDone = true; trySwitch(); };
  room.onMessage(SERVER_MESSAGES.frozen, stop);
  room.onDrop(stop);
  room.onLeave(stop);

  room.onMessage(SERVER_MESSAGES.migrate, async (notice: MigrateNotice) => {
    // Told again after a reconnect: the seat is the one already being taken.
    if (notice.reservation && pending?.roomId === notice.reservation.roomId) return;
    const mine = ++latest;
    handlers.moving?.(notice);
    pending?.leave(true).catch(() => undefined);
    pending = undefined;
    // A notice without cutOver comes from a room that is already frozen.
    oldRoomDone = notice.cutOver !== true;
    if (!notice.reservation) {
      handlers.lost(notice.message);
      return;
    }
    let next: Room;
    try {
      next = await client.consumeSeatReservation(notice.reservation);
    } catch (error) {
      if (mine !== latest) return;
      room.leave(true).catch(() => undefined);
      handlers.lost(`could not follow the game to its new server: ${(error as Error).message}`);
      return;
    }
    if (mine !== latest) {
      next.leave(true).catch(() => undefined);
      return;
    }
    pending = next;
    handlers.joined?.(next, notice);
    let shown = false;
    trySwitch = () => {
      if (pending !== next || !shown || !oldRoomDone) return;
      pending = undefined;
      // Consented leave: the old room must not hold a seat or reconnect this client.
      room.leave(true).catch(() => undefined);
      handlers.moved(next, notice);
    };
    next.onStateChange.once(() => { shown = true; trySwitch(); });
  });
}
