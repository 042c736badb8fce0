// What crosses between replicas when a room moves, and the one object that
// moves it. The room side (freeze, snapshot, seats, arrival) is GameRoom; the
// server injects a Mover that knows where rooms can go and how to create one
// there.

import type { SeatReservation } from "./protocol.ts";

/** Bumped when the envelope changes: a successor refuses a snapshot it cannot read. */
export const SNAPSHOT_VERSION = 2;

/** Someone holding a seat in the room when it moved. */
export interface MemberSnapshot {
  sessionId: string;
  /** False if their socket was down, waiting for a reconnect, at the time of the move. */
  connected: boolean;
  /** A spectator follows the move too, and stays a spectator. */
  spectator: boolean;
  /**
   * Set by the Mover: the secret this member must present to take its seat in
   * the successor (seatKeys.ts), told to it alone in its `migrate` notice.
   * SessionIds are public, so a seat without a key could be taken by anyone.
   */
  seatKey?: string;
}

/** A whole room as plain JSON: the kit's envelope around the game's own snapshot. */
export interface RoomSnapshot<G = unknown> {
  version: typeof SNAPSHOT_VERSION;
  /** The room name it was defined under (e.g. "snek"); the successor is created under the same. */
  roomName: string;
  /** The room it came from, for logs. */
  roomId: string;
  private: boolean;
  members: MemberSnapshot[];
  game: G;
}

export interface Move {
  successor: { roomId: string; processId: string };
  /** A seat in the successor for every member of the snapshot, under its own sessionId, with its seat key as reconnectionToken. */
  seats: Map<string, SeatReservation>;
}

/**
 * Where a room goes when its replica drains. The server injects one (with
 * Redis); without one, rooms drain in place.
 */
export interface Mover {
  /**
   * Creates the successor room on another replica from the snapshot and
   * reserves a seat there for every member. Throws if any step fails, leaving
   * nothing behind.
   */
  move(snapshot: RoomSnapshot): Promise<Move>;
  /**
   * The successor's side, in every new room's onCreate: the snapshot this room
   * is to be built from, if its create options (the ones move() created it
   * with) say it is a successor; undefined for a new game. Consumed at most
   * once. Throws for a successor whose snapshot is gone.
   */
  arriving(createOptions: Readonly<Record<string, unknown>>): Promise<RoomSnapshot | undefined>;
}
