// What the server gives every game room, and what the drain asks of it: the
// kit's side of the contract with rooms/server (see README.md).

import type { Logger } from "pino";
import type { Mover } from "./moving.ts";
import type { JoinOptions } from "./protocol.ts";

/** What the server's drain asks of every live room. */
export interface DrainingRoom {
  /** Connected clients, for the drain's head count. */
  readonly clients: { readonly length: number };
  /** Tell everyone, and close the room after DRAIN_SECONDS (or once its players have followed a move). */
  beginDrain(): void;
  /**
   * The first half of a move: a successor on another replica, its members'
   * sockets opened to it while the game plays on here. Resolves to the second
   * half (freeze and cut over: true once moved, false if the room could not
   * move), or to undefined if no successor could be made.
   */
  prepareMove(): Promise<(() => Promise<boolean>) | undefined>;
}

/**
 * The server settings every room reads, by their names in the server's Config
 * (all whole numbers). Their variables, defaults and ranges are declared once,
 * in rooms/server/config.ts; the server passes exactly these fields through
 * (pickConfig), so adding one here is the whole change on the kit's side.
 */
export const KIT_CONFIG = ["maxPlayers", "maxSpectators", "reconnectSeconds", "drainSeconds", "maxRooms"] as const;

/** What the server gives every game room. Games add their own fields. */
export interface KitSettings extends Record<(typeof KIT_CONFIG)[number], number> {
  log: Logger;
  /** Present when rooms can move to another replica (Redis and MIGRATE_ON_DRAIN). */
  mover?: Mover;
  /** Every live room of this process, for the drain; rooms add and remove themselves. */
  rooms: Set<DrainingRoom>;
}

/** The creating player's join options, as they shape a new room. */
export type RoomOptions = Omit<JoinOptions, "migration">;
/** Plus what only the server passes when it creates a room's successor (the Mover reads it). */
export type CreateOptions = RoomOptions & Record<string, unknown>;
