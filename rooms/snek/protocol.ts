// The public Snek protocol: room name, message schemas, close codes and the
// compact encodings used in the state. The server, the web client and the
// bots all import this file; docs/protocol.md describes it for everyone else.

import { z } from "zod";
import { DIRS, nextCell, type Cell, type Dir } from "./rules.ts";

export const ROOM_NAME = "snek";

// ---- client -> server -------------------------------------------------------

export const TurnMessage = z.strictObject({ dir: z.enum(DIRS) });
export const RespawnMessage = z.strictObject({});

export const CLIENT_MESSAGES = {
  turn: TurnMessage,
  respawn: RespawnMessage,
} as const;
export type ClientMessageType = keyof typeof CLIENT_MESSAGES;
export type TurnPayload = z.infer<typeof TurnMessage>;

/** Payloads over this many bytes are refused by the transport (close 1009). */
export const MAX_MESSAGE_BYTES = 1024;
/** Messages per second per client; more are dropped and counted. */
export const MAX_MESSAGES_PER_SECOND = 30;
/** A client sending this many per second is disconnected with CLOSE_CODES.flood. */
export const FLOOD_DISCONNECT_PER_SECOND = MAX_MESSAGES_PER_SECOND * 10;

// ---- server -> client -------------------------------------------------------

export const REJECT_REASONS = ["unknown_type", "invalid", "rate_limited", "oversized", "flood", "malformed"] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** Sent to a client whose message was dropped (at most once per second per reason). */
export interface RejectedNotice {
  reason: RejectReason;
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
}

/**
 * Sent when this replica drains and the room moves to another one. With a
 * reservation: consume it (same sessionId, snake, score) and leave this room.
 * Without: the move failed; join again through matchmaking.
 */
export interface MigrateNotice {
  reservation?: SeatReservation;
  message: string;
}

export const SERVER_MESSAGES = {
  rejected: "rejected",
  draining: "draining",
  migrate: "migrate",
} as const;

export const CLOSE_CODES = {
  /** Colyseus: the client left on purpose, or the server shut the room. No reconnect. */
  consented: 4000,
  /** Colyseus: the server is shutting down. */
  serverShutdown: 4001,
  /** Colyseus: protocol error: a flood above FLOOD_DISCONNECT_PER_SECOND, or bytes that do not decode. */
  flood: 4002,
  /** roomservice: the replica drained (or the room moved and you did not follow): join again via matchmaking. (4010 is Colyseus' "may reconnect".) */
  drained: 4011,
  /** ws: a frame larger than MAX_MESSAGE_BYTES. */
  oversized: 1009,
} as const;

// ---- join options -----------------------------------------------------------

export const JoinOptions = z.object({
  // Set only by the server when it moves a room; refused from clients.
  migration: z.undefined({ error: "migration is set by the server only" }).optional(),
  // Any value: a bad name falls back to a default name, it never stops a join.
  name: z.unknown().optional(),
  private: z.boolean({ error: "private must be true or false" }).optional(),
});
export type JoinOptions = z.infer<typeof JoinOptions>;

export const NAME_MAX_CHARS = 16;

/** Trims a requested name to 1-16 printable characters, or undefined if nothing usable is left. */
export function cleanName(requested: unknown): string | undefined {
  if (typeof requested !== "string") return undefined;
  const printable = requested.replace(/[\p{C}\p{Zl}\p{Zp}]/gu, "").replace(/\s+/gu, " ").trim();
  const chars = [...printable].slice(0, NAME_MAX_CHARS).join("").trim();
  return chars.length > 0 ? chars : undefined;
}

// ---- compact encodings in the state ------------------------------------------

/** Player.dir holds the index into DIRS (uint8). */
export function dirCode(dir: Dir): number {
  return DIRS.indexOf(dir);
}

export function dirFromCode(code: number): Dir {
  return DIRS[code] ?? "right";
}

const TRAIL_CHARS: Record<Dir, string> = { up: "u", right: "r", down: "d", left: "l" };
const TRAIL_DIRS: Record<string, Dir> = { u: "up", r: "right", d: "down", l: "left" };

/**
 * Player.trail: the body as one letter per segment after the head, each saying
 * which way the next segment lies ("l" = one cell left of the previous one).
 */
export function encodeTrail(body: readonly Cell[]): string {
  let trail = "";
  for (let i = 1; i < body.length; i++) {
    const a = body[i - 1]!;
    const b = body[i]!;
    trail += b.x > a.x ? TRAIL_CHARS.right : b.x < a.x ? TRAIL_CHARS.left : b.y > a.y ? TRAIL_CHARS.down : TRAIL_CHARS.up;
  }
  return trail;
}

export function decodeTrail(head: Cell, trail: string): Cell[] {
  const body = [head];
  let cell = head;
  for (const ch of trail) {
    const dir = TRAIL_DIRS[ch];
    if (!dir) break;
    cell = nextCell(cell, dir);
    body.push(cell);
  }
  return body;
}

/** Number of colours in the palette; Player.color indexes it. */
export const PALETTE_SIZE = 16;
