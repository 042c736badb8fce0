// The platform protocol every game room speaks, whatever the game: close
// codes, the notices the server sends (rejected, draining, migrate), the seat
// reservation a moving room hands out, join options, input limits and name
// cleaning. Client-safe: the server, the web client and the bots import it;
// docs/protocol.md describes it for everyone else.

import { CloseCode } from "@colyseus/sdk";
import { z } from "zod";

// ---- limits on what a client sends -------------------------------------------

/** Payloads over this many bytes are refused by the transport (close 1009). */
export const MAX_MESSAGE_BYTES = 1024;
/** Messages per second per client; more are dropped and counted. */
export const MAX_MESSAGES_PER_SECOND = 30;
/** A client sending this many per second is disconnected with CLOSE_CODES.flood. */
export const FLOOD_DISCONNECT_PER_SECOND = MAX_MESSAGES_PER_SECOND * 10;

// ---- server -> client -------------------------------------------------------

export const REJECT_REASONS = ["unknown_type", "invalid", "rate_limited", "oversized", "flood", "malformed", "spectator"] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** Sent to a client whose message was dropped (at most once per second per reason). */
export interface RejectedNotice {
  /** One of REJECT_REASONS, or a game's own reason for refusing a well-formed message (e.g. "not_your_turn"). */
  reason: RejectReason | (string & {});
  type: string;
  message: string;
}

/** Sent to every player when the replica starts draining. */
export interface DrainNotice {
  /** Seconds until players are disconnected with CLOSE_CODES.drained. */
  seconds: number;
  message: string;
}

/** What the SDK's client.consumeSeatReservation() takes: a seat in another room. */
export interface SeatReservation {
  name: string;
  sessionId: string;
  roomId: string;
  processId: string;
  publicAddress?: string;
  /**
   * In a `migrate` notice: the seat's key, a secret for this player only. The
   * SDK sends it as `reconnectionToken` in the WebSocket URL; the successor
   * refuses the seat without it (sessionIds are public, so they alone cannot
   * hold a seat).
   */
  reconnectionToken?: string;
}

/**
 * Sent when this replica drains and the room moves to another one. With a
 * reservation: consume it (same sessionId, same place in the game). Without:
 * the move failed; join again through matchmaking.
 */
export interface MigrateNotice {
  reservation?: SeatReservation;
  message: string;
  /**
   * True: the game plays on in this room meanwhile. Keep playing here until
   * this room says `frozen` (after its last patch) and the successor has sent
   * its first state (the game as it was at that patch); then leave this room.
   * Absent: the game is already frozen here; leave once the successor's first
   * state has come.
   */
  cutOver?: boolean;
}

export const SERVER_MESSAGES = {
  rejected: "rejected",
  draining: "draining",
  migrate: "migrate",
  /** After a `migrate` notice with `cutOver`: this room sent its last patch; the game goes on in the successor. Empty. */
  frozen: "frozen",
} as const;

/** Colyseus' own codes where it has them (CloseCode), plus ours. */
export const CLOSE_CODES = {
  /** The client left on purpose, or the server shut the room. No reconnect. */
  consented: CloseCode.CONSENTED,
  /** Colyseus': the replica is shutting down. Only its LobbyRoom sends it here; game rooms drain or move instead. */
  serverShutdown: CloseCode.SERVER_SHUTDOWN,
  /** Protocol error: a flood above FLOOD_DISCONNECT_PER_SECOND, or bytes that do not decode. */
  flood: CloseCode.WITH_ERROR,
  /** roomservice: the replica drained (or the room moved and you did not follow): join again via matchmaking. (4010 is Colyseus' "may reconnect".) */
  drained: 4011,
  /** ws: a frame larger than MAX_MESSAGE_BYTES. */
  oversized: 1009,
  /**
   * roomservice: the client did not read what the server sent (more than 256 KB
   * waiting for 2 s); the server cut the connection. A client that does not
   * read rarely sees this code: it usually sees the connection drop (1006).
   */
  slowConsumer: 4012,
} as const;

// ---- join options -----------------------------------------------------------

export const JoinOptions = z.object({
  // Room moves never travel in join options; these names are refused so no client can pretend otherwise.
  migration: z.undefined({ error: "migration is set by the server only" }).optional(),
  arrival: z.undefined({ error: "arrival is set by the server only" }).optional(),
  // Any value: a bad name falls back to a default name, it never stops a join.
  name: z.unknown().optional(),
  private: z.boolean({ error: "private must be true or false" }).optional(),
  // Watch the room: receive its state, take no player seat, send no game messages.
  spectate: z.boolean({ error: "spectate must be true or false" }).optional(),
});
export type JoinOptions = z.infer<typeof JoinOptions>;

/** The error code a spectator gets when the room already has MAX_SPECTATORS (like HTTP 409: full). */
export const SPECTATORS_FULL = 409;

/** What a game room publishes in its matchmaking listing (Colyseus' room metadata). */
export interface RoomListingMetadata {
  /** Players holding a seat (in the room, reconnecting, or arriving after a move). */
  players: number;
  spectators: number;
  /** False once every player seat is taken: matchmaking sends new players elsewhere. */
  playerSeatFree: boolean;
}

export const NAME_MAX_CHARS = 16;

/** Trims a requested name to 1-16 printable characters, or undefined if nothing usable is left. */
export function cleanName(requested: unknown): string | undefined {
  if (typeof requested !== "string") return undefined;
  const printable = requested.replace(/[\p{C}\p{Zl}\p{Zp}]/gu, "").replace(/\s+/gu, " ").trim();
  const chars = [...printable].slice(0, NAME_MAX_CHARS).join("").trim();
  return chars.length > 0 ? chars : undefined;
}
