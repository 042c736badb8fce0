// The public Four in a row protocol: room name, join options, message schemas
// and the reasons a move is refused. The server, the web client and the bots
// all import this file; docs/protocol.md describes it for everyone else.

import { z } from "zod";
import { COLUMNS, REFUSAL_TEXT, type Refusal, type Seat } from "./rules.ts";

export const ROOM_NAME = "four";
/** Two seats; spectators do not count against it. */
export const MAX_PLAYERS = 2;

// ---- join options -----------------------------------------------------------

export const JoinOptions = z.strictObject({
  // Any string: a name with nothing printable falls back to a default name.
  name: z.string({ error: "name must be a string" }).max(256, { error: "name must be at most 256 characters" }).optional(),
  private: z.boolean({ error: "private must be true or false" }).optional(),
  spectate: z.boolean({ error: "spectate must be true or false" }).optional(),
});
export type JoinOptions = z.infer<typeof JoinOptions>;

// ---- client -> server -------------------------------------------------------

export const DropMessage = z.strictObject({ column: z.int().min(0).max(COLUMNS - 1) });
export const RematchMessage = z.strictObject({});

export const CLIENT_MESSAGES = {
  drop: DropMessage,
  rematch: RematchMessage,
} as const;
export type DropPayload = z.infer<typeof DropMessage>;

// ---- server -> client -------------------------------------------------------

/**
 * Why a well-formed message was refused by the game: sent as the `reason` of a
 * `rejected` notice and counted under the same label in
 * roomservice_messages_rejected_total.
 */
export const REFUSALS = Object.keys(REFUSAL_TEXT) as Refusal[];
export const WAITING_FOR_OPPONENT = "waiting_for_opponent";
export type FourRefusal = Refusal | typeof WAITING_FOR_OPPONENT;

export function refusalText(reason: FourRefusal): string {
  return reason === WAITING_FOR_OPPONENT ? "wait for an opponent to take the other seat" : REFUSAL_TEXT[reason];
}

/** Disc colours by seat, as CSS colours (PlayerState.color carries them). */
export const SEAT_COLORS: Record<Seat, string> = { 1: "#e5484d", 2: "#f5c542" };

/** `winner` when the game ended with a full board. */
export const DRAW = "draw";
