// A load run in progress: the fleets (main thread or workers), the merged
// totals, and windows (what happened since the last sample) for live progress
// and for the capacity benchmark's steps. Also measures this process's CPU,
// which covers every worker thread.

import { Histogram } from "./histogram.ts";
import { localFleet, workerFleet, type FleetHandle } from "./fleetHandle.ts";
import type { FleetPlan } from "./fleet.ts";
import { addCounters, emptyCounters, type Counters, type StatsDelta } from "./stats.ts";

/** What each fleet is given, less what the session works out per fleet (first bot, seed). */
export interface SessionPlan extends Omit<FleetPlan, "firstBot" | "seed"> {
  workers: number;
  /** Bots a worker may grow to (setTarget); sizes the workers' name ranges. Defaults to `bots`. */
  maxBots?: number;
}

/** Stats over a span of time: a window between samples, or the whole run. */
export class Span {
  counters: Counters = emptyCounters();
  joinMs = new Histogram();
  rttMs = new Histogram();
  patchIntervalMs = new Histogram();
  migrationPauseMs = new Histogram();
  errorSamples: string[] = [];
  /** Gauges as of the end of the span. */
  connected = 0;
  rooms = 0;
  /** Worst event-loop delay of any load-generator thread during the span. */
  eventLoopDelayP99Ms = 0;
  eventLoopDelayMaxMs = 0;
  /** This process's CPU time (all threads) over the span, in ms. */
  cpuMs = 0;
  wallMs = 0;

  add(delta: StatsDelta): void {
    addCounters(this.counters, delta.counters);
    this.joinMs.merge(delta.joinMs);
    this.rttMs.merge(delta.rttMs);
    this.patchIntervalMs.merge(delta.patchIntervalMs);
    this.migrationPauseMs.merge(delta.migrationPauseMs);
    for (const sample of delta.errorSamples) if (this.errorSamples.length < 10) this.errorSamples.push(sample);
    this.eventLoopDelayP99Ms = Math.max(this.eventLoopDelayP99Ms, delta.eventLoopDelayMs.p99);
    this.eventLoopDelayMaxMs = Math.max(this.eventLoopDelayMaxMs, delta.eventLoopDelayMs.max);
  }

  addSpan(other: Span): void {
    addCounters(this.counters, other.counters);
    this.joinMs.merge(other.joinMs);
    this.rttMs.merge(other.rttMs);
    this.patchIntervalMs.merge(other.patchIntervalMs);
    this.migrationPauseMs.merge(other.migrationPauseMs);
    for (const sample of other.errorSamples) if (this.errorSamples.length < 10) this.errorSamples.push(sample);
    this.eventLoopDelayP99Ms = Math.max(this.eventLoopDelayP99Ms, other.eventLoopDelayP99Ms);
    this.eventLoopDelayMaxMs = Math.max(this.eventLoopDelayMaxMs, other.eventLoopDelayMaxMs);
    this.cpuMs += other.cpuMs;
    this.wallMs += other.wallMs;
    this.connected = other.connected;
    this.rooms = other.rooms;
  }

  /** Load-generator CPU as a percentage of one core (200 = two cores busy). */
  get cpuPercent(): number {
    return this.wallMs > 0 ? (100 * this.cpuMs) / this.wallMs : 0;
  }

  perClientPerS(bytes: number): number {
    return this.counters.clientMs > 0 ? bytes / (this.counters.clientMs / 1000) : 0;
  }
}

function cpuMsNow(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

export class LoadSession {
  readonly totals = new Span();
  readonly startedAt = new Date();
  peakConnected = 0;
  private readonly fleets: { handle: FleetHandle; share: number }[] = [];
  private readonly plan: SessionPlan;
  private lastSample = { wallMs: performance.now(), cpuMs: cpuMsNow() };
  private stopped = false;

  constructor(plan: SessionPlan) {
    this.plan = plan;
    const threads = Math.max(1, plan.workers);
    // Whole groups per thread, so a group's rooms are made and joined in one place.
    const unit = plan.roomsPerBotGroup > 0 ? plan.groupSize : 1;
    const units = Math.ceil(plan.bots / unit);
    const maxUnits = Math.ceil(Math.max(plan.maxBots ?? plan.bots, plan.bots) / unit);
    for (let t = 0; t < threads; t++) {
      const share = Math.min(plan.bots, Math.floor((units * (t + 1)) / threads) * unit) - Math.min(plan.bots, Math.floor((units * t) / threads) * unit);
      // Each thread numbers its bots from its own range, so names stay unique as targets grow.
      const firstBot = Math.floor((maxUnits * t) / threads) * unit;
      const fleetPlan: FleetPlan = {
        url: plan.url,
        room: plan.room,
        firstBot,
        bots: share,
        rampPerS: (plan.rampPerS * Math.max(share, 1)) / Math.max(plan.bots, 1),
        roomsPerBotGroup: plan.roomsPerBotGroup,
        groupSize: plan.groupSize,
        private: plan.private,
        namePrefix: plan.namePrefix,
        decodeAll: plan.decodeAll,
        seed: 0x5eed + t,
      };
      const handle = plan.workers > 0 ? workerFleet(fleetPlan) : localFleet(fleetPlan);
      this.fleets.push({ handle, share });
    }
  }

  /** Raises the total number of bots, split evenly over the threads (matchmade placement). */
  setTarget(bots: number): void {
    const threads = this.fleets.length;
    this.fleets.forEach((fleet, t) => {
      fleet.share = Math.floor((bots * (t + 1)) / threads) - Math.floor((bots * t) / threads);
      fleet.handle.setTarget(fleet.share);
    });
  }

  /** Everything since the previous sample, merged into the totals too. */
  async sample(): Promise<Span> {
    return this.collect(await Promise.all(this.fleets.map((f) => f.handle.drain())));
  }

  /** Ends the run: the last window is taken before the bots leave. */
  async stop(): Promise<Span> {
    if (this.stopped) throw new Error("session already stopped");
    this.stopped = true;
    return this.collect(await Promise.all(this.fleets.map((f) => f.handle.stop())));
  }

  private collect(deltas: StatsDelta[]): Span {
    const now = { wallMs: performance.now(), cpuMs: cpuMsNow() };
    const window = new Span();
    const rooms = new Set<string>();
    for (const delta of deltas) {
      window.add(delta);
      window.connected += delta.connected;
      for (const id of delta.roomIds) rooms.add(id);
    }
    window.rooms = rooms.size;
    window.wallMs = now.wallMs - this.lastSample.wallMs;
    window.cpuMs = now.cpuMs - this.lastSample.cpuMs;
    this.lastSample = now;
    this.totals.addSpan(window);
    this.peakConnected = Math.max(this.peakConnected, window.connected);
    return window;
  }
}
