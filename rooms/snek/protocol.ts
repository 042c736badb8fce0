// The public Snek protocol: room name, message schemas and the compact
// encodings used in the state. What every game shares (close codes, notices,
// join options, limits) is the kit's, in rooms/kit/protocol.ts. The server,
// the web client and the bots all import this file; docs/protocol.md
// describes it for everyone else.

import { z } from "zod";
import { JoinOptions as KitJoinOptions } from "../kit/protocol.ts";
import { DIRS, nextCell, type Cell, type Dir } from "./rules.ts";

export const ROOM_NAME = "snek";

// ---- join options -----------------------------------------------------------

/** Every room's join options, plus `bots` when creating a room: with (true) or without (false) room bots. Default: public rooms have them, private ones not. */
export const JoinOptions = KitJoinOptions.extend({ bots: z.boolean({ error: "bots must be true or false" }).optional() });
export type JoinOptions = z.infer<typeof JoinOptions>;

// ---- client -> server -------------------------------------------------------

export const TurnMessage = z.strictObject({ dir: z.enum(DIRS) });
export const RespawnMessage = z.strictObject({});

export const CLIENT_MESSAGES = {
  turn: TurnMessage,
  respawn: RespawnMessage,
} as const;
export type ClientMessageType = keyof typeof CLIENT_MESSAGES;
export type TurnPayload = z.infer<typeof TurnMessage>;

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
