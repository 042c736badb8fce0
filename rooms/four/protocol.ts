// The public Four in a row protocol: room name, join options, message schemas
// and the reasons a move is refused. The server, the web client and the bots
// all import this file; docs/protocol.md describes it for everyone else.

import { z } from "zod";
import { JoinOptions as KitJoinOptions } from "../kit/protocol.ts";
import { COLUMNS, REFUSAL_TEXT, type Refusal, type Seat } from "./rules.ts";

export const ROOM_NAME = "four";
/** Two seats; spectators do not count against it. */
export const MAX_PLAYERS = 2;

// ---- join options -----------------------------------------------------------

/** Every room's join options (name, private, spectate), and nothing else: unknown keys are refused with HTTP 400. */
export const JoinOptions = z.strictObject(KitJoinOptions.shape);
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
/** Only one seat is taken: nobody to play against yet. */
export const WAITING_FOR_OPPONENT = "waiting_for_opponent";
/** The room is moving to another replica; the game stands still for a moment. */
export const PAUSED = "paused";
export type FourRefusal = Refusal | typeof WAITING_FOR_OPPONENT | typeof PAUSED;

export function refusalText(reason: FourRefusal): string {
  if (reason === WAITING_FOR_OPPONENT) return "wait for an opponent to take the other seat";
  if (reason === PAUSED) return "the game is moving to another server; try again in a moment";
  return REFUSAL_TEXT[reason];
}

/** Disc colours by seat, as CSS colours (PlayerState.color carries them). */
export const SEAT_COLORS: Record<Seat, string> = { 1: "#e5484d", 2: "#f5c542" };

/** `winner` when the game ended with a full board. */
export const DRAW = "draw";
