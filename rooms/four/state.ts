// The Four in a row state clients see. A move changes one board cell, `turn`
// and `moves`; everything else changes only when a game ends or a seat fills.

import { schema, t, type SchemaType } from "@colyseus/schema";

export const FourPlayer = schema({
  name: t.string().default(""),
  /** CSS colour of this seat's discs. */
  color: t.string().default(""),
  /** 1 moves first in the first game; the seats take turns starting each rematch. */
  seat: t.uint8().default(0),
  /** False while the socket is dropped and the server holds the seat. */
  connected: t.boolean().default(true),
  /** Games won in this room. */
  wins: t.uint16().default(0),
  /** Asked for a rematch since the last game ended. */
  rematch: t.boolean().default(false),
}, "FourPlayer");
export type FourPlayer = SchemaType<typeof FourPlayer>;

export const FourState = schema({
  /** 42 cells, row-major from the top (index = row * 7 + column): 0 empty, else the seat. */
  board: t.array("uint8"),
  /** Keyed by sessionId; players only, never spectators. */
  players: t.map(FourPlayer),
  /** The sessionId to move; '' while waiting for a second player or once the game is over. */
  turn: t.string().default(""),
  /** '' while playing, the winner's sessionId, or 'draw'. */
  winner: t.string().default(""),
  /** Discs dropped this game. */
  moves: t.uint8().default(0),
  /** The move timer: a player who does not move within this many seconds forfeits the game. */
  turnSeconds: t.uint16().default(0),
}, "FourState");
export type FourState = SchemaType<typeof FourState>;
