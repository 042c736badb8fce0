// When to draw: the server sends one patch per tick (10 Hz by default), the
// screen wants 60 frames a second. The clock estimates when each tick arrives
// (a smoothed arrival phase, so network jitter does not shake the picture)
// and gives every frame a fractional "render tick" a little behind the newest
// tick. Snakes are drawn where they were at that fractional tick, so they
// glide between cells instead of jumping once per tick.

/** Ticks the picture trails the newest patch: 1 to glide, plus margin for jitter. */
export const RENDER_DELAY_TICKS = 1.25;
/** How much one arrival moves the phase estimate (exponential smoothing). */
const PHASE_SMOOTHING = 0.1;
/** An arrival further than this from the estimate restarts it (tab return, reconnect, stall). */
const RESYNC_TICKS = 3;

export class TickClock {
  /** Newest tick received. */
  latestTick: number | undefined;
  /** Estimated local time (ms) at which tick 0 would have arrived. */
  private phaseMs: number | undefined;

  readonly tickMs: number;
  private readonly delayTicks: number;

  constructor(tickMs: number, delayTicks = RENDER_DELAY_TICKS) {
    this.tickMs = tickMs;
    this.delayTicks = delayTicks;
  }

  /** Call when a patch carrying `tick` arrives. */
  onTick(tick: number, nowMs: number): void {
    if (this.latestTick !== undefined && tick <= this.latestTick) return;
    this.latestTick = tick;
    const sample = nowMs - tick * this.tickMs;
    if (this.phaseMs === undefined || Math.abs(sample - this.phaseMs) > RESYNC_TICKS * this.tickMs) this.phaseMs = sample;
    else this.phaseMs += (sample - this.phaseMs) * PHASE_SMOOTHING;
  }

  /** The server tick that would be arriving now (fractional), or undefined before the first tick. */
  arrivingTick(nowMs: number): number | undefined {
    if (this.phaseMs === undefined) return undefined;
    return (nowMs - this.phaseMs) / this.tickMs;
  }

  /** The fractional tick to draw other players at. */
  renderTick(nowMs: number): number | undefined {
    const arriving = this.arrivingTick(nowMs);
    return arriving === undefined ? undefined : arriving - this.delayTicks;
  }

  /** Forget the phase, e.g. after a reconnect or a hidden tab; the next tick sets it again. */
  reset(): void {
    this.latestTick = undefined;
    this.phaseMs = undefined;
  }
}

/**
 * The tick your own snake is drawn at. A turn you press now reaches the server
 * half a round trip later and is applied on the server's next tick, so your
 * snake is drawn one tick behind "server time when your key arrives": the
 * head is then always on its way to a cell the turn can no longer change,
 * and the turn shows at the very next cell with no correction.
 */
export function ownRenderTick(arrivingTick: number, rttMs: number, tickMs: number): number {
  return arrivingTick + rttMs / tickMs - 1;
}
