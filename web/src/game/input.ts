// Input mapping: keys and swipes to game actions. The scene forwards raw
// events here; nothing in this file knows about Phaser.

import type { Dir } from "../../../rooms/snek/rules.ts";

export type GameAction = { kind: "turn"; dir: Dir } | { kind: "respawn" };

// KeyboardEvent.code names physical keys, so WASD sits under the same fingers on AZERTY and Dvorak.
const KEY_CODES: Record<string, GameAction> = {
  ArrowUp: { kind: "turn", dir: "up" },
  ArrowRight: { kind: "turn", dir: "right" },
  ArrowDown: { kind: "turn", dir: "down" },
  ArrowLeft: { kind: "turn", dir: "left" },
  KeyW: { kind: "turn", dir: "up" },
  KeyD: { kind: "turn", dir: "right" },
  KeyS: { kind: "turn", dir: "down" },
  KeyA: { kind: "turn", dir: "left" },
  Space: { kind: "respawn" },
  Enter: { kind: "respawn" },
  NumpadEnter: { kind: "respawn" },
};

/** The action for a key, by KeyboardEvent.code; undefined for keys the game does not use. */
export function actionForKey(code: string): GameAction | undefined {
  return KEY_CODES[code];
}

/** Finger travel (CSS px) that counts as a swipe. */
export const SWIPE_MIN_PX = 24;
/** A touch shorter than this and barely moving is a tap. */
export const TAP_MAX_MS = 300;

/** The swipe direction of a movement, or undefined when it is too short or too diagonal to tell. */
export function swipeDir(dx: number, dy: number, minPx = SWIPE_MIN_PX): Dir | undefined {
  const ax = Math.abs(dx);
  const ay = Math.abs(dy);
  if (Math.max(ax, ay) < minPx) return undefined;
  // Require one axis to clearly dominate, so a diagonal flick does not pick at random.
  if (ax > ay * 1.2) return dx > 0 ? "right" : "left";
  if (ay > ax * 1.2) return dy > 0 ? "down" : "up";
  return undefined;
}

/**
 * One finger on the screen. Swipes fire while the finger moves, not when it
 * lifts, and one gesture can turn several times (an L-shaped stroke gives two turns).
 */
export class SwipeTracker {
  private originX = 0;
  private originY = 0;
  private startedAtMs = 0;
  private swiped = false;
  private active = false;

  start(x: number, y: number, nowMs: number): void {
    this.originX = x;
    this.originY = y;
    this.startedAtMs = nowMs;
    this.swiped = false;
    this.active = true;
  }

  /** Returns a turn when the finger has travelled far enough since the last one. */
  move(x: number, y: number): GameAction | undefined {
    if (!this.active) return undefined;
    const dir = swipeDir(x - this.originX, y - this.originY);
    if (!dir) return undefined;
    this.originX = x;
    this.originY = y;
    this.swiped = true;
    return { kind: "turn", dir };
  }

  /** Finger lifted: a short touch that never swiped is a tap (respawn). */
  end(x: number, y: number, nowMs: number): GameAction | undefined {
    if (!this.active) return undefined;
    this.active = false;
    const last = this.move(x, y);
    if (last) return last;
    if (!this.swiped && nowMs - this.startedAtMs <= TAP_MAX_MS) return { kind: "respawn" };
    return undefined;
  }
}
