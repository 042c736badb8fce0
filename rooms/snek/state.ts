// The Snek state clients see. Lean on purpose: a snake moving straight changes
// one uint8 per tick; bodies are derived by clients from head moves and only
// travel whole in the full state a joining client receives (see docs/protocol.md).

import { schema, t, type SchemaType } from "@colyseus/schema";

export const PlayerState = schema({
  name: t.string().default(""),
  /** Palette index, kept for the whole session (reconnects included). */
  color: t.uint8().default(0),
  /** Head cell. While dead: where the head was. */
  x: t.uint8().default(0),
  y: t.uint8().default(0),
  /** Index into DIRS: 0 up, 1 right, 2 down, 3 left. */
  dir: t.uint8().default(0),
  /** Body cells including the head; 0 while dead. */
  length: t.uint16().default(0),
  score: t.uint16().default(0),
  best: t.uint16().default(0),
  alive: t.boolean().default(false),
  /** A fresh snake standing still until its first turn (at most START_WAIT_SECONDS). */
  waiting: t.boolean().default(false),
  /** A server-side bot snake (ROOM_BOTS), not a person: it holds no seat. */
  bot: t.boolean().default(false),
  /** False while the socket is dropped and the server waits for a reconnect. */
  connected: t.boolean().default(true),
  /** Body after the head, one letter per cell (u/r/d/l); full state only. */
  trail: t.string().default("").fullStateOnly(),
}, "PlayerState");
export type PlayerState = SchemaType<typeof PlayerState>;

export const SnekState = schema({
  width: t.uint8().default(0),
  height: t.uint8().default(0),
  tickHz: t.uint8().default(0),
  tick: t.uint32().default(0),
  /** Keyed by sessionId. */
  players: t.map(PlayerState),
  /** Keyed by a short food id; the value is the cell index y * width + x. */
  food: t.map("uint16"),
}, "SnekState");
export type SnekState = SchemaType<typeof SnekState>;
