// Interpolation of one snake between ticks. A snake moves one cell per tick
// and its body is the trail of its head, so its whole recent history is one
// list of head cells. Drawing the snake at a fractional tick means walking
// that list: the head part-way between two cells, the tail part-way between
// where it was and where it is, every cell in between as it was.

import type { Cell } from "../../../rooms/snek/rules.ts";

export interface Point {
  x: number;
  y: number;
}

/** Ticks of history kept beyond the body, so the picture can trail the newest tick. */
export const HISTORY_TICKS = 3;

export class SnakeTrack {
  /** Head cells, newest first: heads[j] is where the head was `j` ticks before `tick`. */
  heads: Cell[] = [];
  /** lengths[j]: body length `j` ticks before `tick`. */
  lengths: number[] = [];
  /** The tick heads[0] belongs to. */
  tick = 0;
  /** False once the snake died; the track then keeps its last living picture. */
  alive = false;

  /**
   * Feed the body after each patch (from Bodies, head first; empty while dead).
   * A one-cell step on the very next tick extends the history; anything else
   * (spawn, respawn, a gap in ticks after a reconnect) starts it afresh.
   */
  update(body: readonly Cell[], tick: number): void {
    if (body.length === 0) {
      this.alive = false;
      return;
    }
    const head = body[0]!;
    const previous = this.heads[0];
    const stepped = this.alive && previous !== undefined && tick === this.tick + 1 &&
      Math.abs(previous.x - head.x) + Math.abs(previous.y - head.y) === 1;
    if (stepped) {
      this.heads.unshift({ x: head.x, y: head.y });
      this.lengths.unshift(body.length);
      // The body is authoritative: if it disagrees with the history, trust the body.
      for (let i = 1; i < body.length; i++) {
        const h = this.heads[i];
        const b = body[i]!;
        if (!h || h.x !== b.x || h.y !== b.y) {
          this.heads[i] = { x: b.x, y: b.y };
        }
      }
    } else if (this.alive && previous !== undefined && tick === this.tick && previous.x === head.x && previous.y === head.y) {
      // Same tick seen again (e.g. a patch that changed only scores): nothing moved.
      this.lengths[0] = body.length;
    } else {
      this.heads = body.map((c) => ({ x: c.x, y: c.y }));
      this.lengths = [body.length];
    }
    this.alive = true;
    this.tick = tick;
    const keep = body.length + HISTORY_TICKS;
    if (this.heads.length > keep) this.heads.length = keep;
    if (this.lengths.length > HISTORY_TICKS + 1) this.lengths.length = HISTORY_TICKS + 1;
  }
}

/**
 * The snake drawn `lag` ticks before the newest entry of `heads` (lag may be
 * fractional; it is clamped to the history there is). Returns the polyline
 * from head to tail in cell units; consecutive points are one cell apart or
 * less, except that the head and tail ends move smoothly.
 */
export function polylineAt(heads: readonly Cell[], lengths: readonly number[], lag: number): Point[] {
  if (heads.length === 0) return [];
  const maxLag = Math.max(0, Math.min(heads.length - 1, lengths.length - 1));
  const at = Math.min(Math.max(lag, 0), maxLag);
  const j0 = Math.floor(at);
  const f = at - j0;
  const j1 = Math.min(j0 + 1, maxLag);

  // Path index of the tail at the two ticks around `at`; a snake that grew keeps its tail in place.
  const tail0 = j0 + (lengths[j0] ?? 1) - 1;
  const tail1 = j1 + (lengths[j1] ?? lengths[j0] ?? 1) - 1;
  const tailAt = Math.min(tail0 + (tail1 - tail0) * f, heads.length - 1);

  const points: Point[] = [pointOnPath(heads, at)];
  for (let i = j0 + 1; i < tailAt; i++) points.push({ x: heads[i]!.x, y: heads[i]!.y });
  if (tailAt > at) points.push(pointOnPath(heads, tailAt));
  return points;
}

/** The point `index` (fractional) along the head history. */
export function pointOnPath(heads: readonly Cell[], index: number): Point {
  const i = Math.max(0, Math.min(Math.floor(index), heads.length - 1));
  const a = heads[i]!;
  const b = heads[i + 1];
  const f = index - i;
  if (!b || f <= 0) return { x: a.x, y: a.y };
  return { x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f };
}
