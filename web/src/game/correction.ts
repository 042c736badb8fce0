// Reconciliation without visible snapping. When a patch changes the predicted
// path under your own snake (the server applied a turn a tick earlier or later
// than predicted), the head would jump. Instead the jump is kept as an offset
// that shrinks to nothing within a few frames, so the head glides over.

import type { Point } from "./snakeTrack.ts";

/** Time constant of the glide (ms): about 95% gone after three of these. */
export const CORRECTION_TAU_MS = 60;
/** Jumps longer than this (cells) are real teleports (respawn, resync): shown at once. */
const MAX_SMOOTHED_CELLS = 2.5;

export class CorrectionSmoother {
  private dx = 0;
  private dy = 0;

  /** The head was about to be drawn at `before`; after a correction it would be at `after`. */
  absorb(before: Point, after: Point): void {
    const dx = this.dx + before.x - after.x;
    const dy = this.dy + before.y - after.y;
    if (Math.hypot(dx, dy) > MAX_SMOOTHED_CELLS) this.reset();
    else {
      this.dx = dx;
      this.dy = dy;
    }
  }

  /** Decays the offset by `elapsedMs` and returns how far from the true position to draw the head. */
  advance(elapsedMs: number): Point {
    const keep = Math.exp(-Math.max(0, elapsedMs) / CORRECTION_TAU_MS);
    this.dx *= keep;
    this.dy *= keep;
    if (Math.abs(this.dx) < 1e-3 && Math.abs(this.dy) < 1e-3) this.reset();
    return { x: this.dx, y: this.dy };
  }

  get offset(): Point {
    return { x: this.dx, y: this.dy };
  }

  reset(): void {
    this.dx = 0;
    this.dy = 0;
  }
}
