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
  /** Where the game goes; with `liveAfterCutOver`, it waits there for cutOver(). */
  successor: { roomId: string; processId: string };
  /** A seat in the successor for every member of the snapshot, under its own sessionId, with its seat key as reconnectionToken. */
  seats: Map<string, SeatReservation>;
}

/** The second half of a move made before break: the game at the freeze. */
export interface CutOver {
  /** Who still holds a seat in the old room; a successor forgets its other members (they left for good meanwhile). */
  members: string[];
  /** The game's own snapshot (snapshotGame()). */
  game: unknown;
}

/**
 * What the Mover calls on a room on another replica (Colyseus' room calls,
 * by method name: the names below are these methods'). GameRoom implements it.
 */
export interface MovableRoom {
  /** The successor's side: show the game as it is at the freeze, and play on. */
  cutOver(cutOver: CutOver): void;
  /** The old room's side: every connected member has a socket in the successor now. */
  membersAreHere(): void;
}

export const ROOM_CALLS: { readonly [K in keyof MovableRoom]: K } = { cutOver: "cutOver", membersAreHere: "membersAreHere" };

/** What a successor is built from. */
export interface Arriving {
  snapshot: RoomSnapshot;
  /** Made with `liveAfterCutOver`: hold the game unseen until cutOver(). */
  liveAfterCutOver: boolean;
  /** Where the moving room ran, in the Mover's own terms: what originGone() is asked about. */
  origin: string;
}

export interface MoveOptions {
  /**
   * Make before break: the successor is built from this snapshot but holds it
   * unseen (no state reaches its members) until cutOver() brings the game as
   * it is at the freeze. Meanwhile the old room plays on and its members open
   * their sockets to the successor, so the pause is one server round trip,
   * not every member's reconnect.
   */
  liveAfterCutOver: boolean;
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
  move(snapshot: RoomSnapshot, how?: MoveOptions): Promise<Move>;
  /**
   * The second half of a move made with `liveAfterCutOver`: the game as it is
   * now (frozen) goes to the successor, which shows it to its members and plays
   * on. Throws if the successor did not take it.
   */
  cutOver(successorRoomId: string, cutOver: CutOver): Promise<void>;
  /** The successor's side: tells the room it came from that every connected member has a socket here now. */
  membersAreHere(fromRoomId: string): void;
  /**
   * The successor's side, while it waits for the cut-over: true once the
   * place the room came from (Arriving.origin) is gone for sure (its replica
   * died), so no cut-over will come. False when unsure (e.g. Redis away).
   */
  originGone(origin: string): Promise<boolean>;
  /**
   * The successor's side, in every new room's onCreate: the snapshot this room
   * is to be built from, if its create options (the ones move() created it
   * with) say it is a successor; undefined for a new game. Consumed at most
   * once. Throws for a successor whose snapshot is gone.
   */
  arriving(createOptions: Readonly<Record<string, unknown>>): Promise<Arriving | undefined>;
}
