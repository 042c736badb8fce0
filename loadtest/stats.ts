// What the bots of one thread count. A fleet hands out deltas (everything
// since the last drain) so the main thread can merge worker threads and keep
// both run totals and a short window for the live progress line.

import { Histogram, type HistogramData } from "./histogram.ts";

export const ERROR_KINDS = ["join", "disconnect", "other"] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface Counters {
  joinAttempts: number;
  joins: number;
  errors: Record<ErrorKind, number>;
  /** WebSocket payload bytes received, all frames. */
  bytesIn: number;
  /** Of which state patches (what roomservice_patch_bytes_total counts). */
  patchBytesIn: number;
  patches: number;
  /** What the same patches would have cost as full-state JSON. */
  jsonFullStateBytes: number;
  /** Connected client-milliseconds: the denominator of every per-client rate. */
  clientMs: number;
  /** Snek turns, or Four in a row drops. */
  turnsSent: number;
  respawnsSent: number;
  /** Four in a row: games seen to end, and rematches asked for. */
  gamesEnded: number;
  rematchesSent: number;
  deaths: number;
  /** Deaths by what the bot saw in the cell it was entering: wall, body, contested (a head could get there too) or free. */
  deathsBy: Record<string, number>;
  pings: number;
  pingTimeouts: number;
  /** Room closed by a drain (close 4011): the bot joined again; not an error. */
  drainedRejoins: number;
  /** Bots that left and joined again because no bot of their room (in this thread) decoded the state any more. */
  reseats: number;
  /** Rooms that moved to another replica and took the bot along (same snake). */
  migrations: number;
  /** Moves that failed; the bot joined again through matchmaking. */
  migrationsLost: number;
  /** Server messages the bots have no handler for, by type. */
  unknownMessages: Record<string, number>;
  /** `rejected` notices from the server, by reason. A bot that plays fair gets none. */
  rejected: Record<string, number>;
}

export function emptyCounters(): Counters {
  return {
    joinAttempts: 0, joins: 0, errors: { join: 0, disconnect: 0, other: 0 },
    bytesIn: 0, patchBytesIn: 0, patches: 0, jsonFullStateBytes: 0, clientMs: 0,
    turnsSent: 0, respawnsSent: 0, gamesEnded: 0, rematchesSent: 0, deaths: 0, deathsBy: {}, pings: 0, pingTimeouts: 0, drainedRejoins: 0, reseats: 0, migrations: 0, migrationsLost: 0, unknownMessages: {}, rejected: {},
  };
}

export function addCounters(into: Counters, from: Counters): void {
  into.joinAttempts += from.joinAttempts;
  into.joins += from.joins;
  for (const kind of ERROR_KINDS) into.errors[kind] += from.errors[kind];
  into.bytesIn += from.bytesIn;
  into.patchBytesIn += from.patchBytesIn;
  into.patches += from.patches;
  into.jsonFullStateBytes += from.jsonFullStateBytes;
  into.clientMs += from.clientMs;
  into.turnsSent += from.turnsSent;
  into.respawnsSent += from.respawnsSent;
  into.gamesEnded += from.gamesEnded;
  into.rematchesSent += from.rematchesSent;
  into.deaths += from.deaths;
  into.pings += from.pings;
  into.pingTimeouts += from.pingTimeouts;
  into.drainedRejoins += from.drainedRejoins;
  into.reseats += from.reseats;
  into.migrations += from.migrations;
  into.migrationsLost += from.migrationsLost;
  for (const [type, n] of Object.entries(from.unknownMessages)) into.unknownMessages[type] = (into.unknownMessages[type] ?? 0) + n;
  for (const [cause, n] of Object.entries(from.deathsBy)) into.deathsBy[cause] = (into.deathsBy[cause] ?? 0) + n;
  for (const [reason, n] of Object.entries(from.rejected)) into.rejected[reason] = (into.rejected[reason] ?? 0) + n;
}

export function totalErrors(counters: Counters): number {
  return counters.errors.join + counters.errors.disconnect + counters.errors.other;
}

/** One thread's numbers since its previous delta; plain data, so it crosses postMessage. */
export interface StatsDelta {
  counters: Counters;
  joinMs: HistogramData;
  rttMs: HistogramData;
  patchIntervalMs: HistogramData;
  /** Per bot that followed its room to another replica: last patch before the move to first state after. */
  migrationPauseMs: HistogramData;
  /** Gauges at the moment of the delta. */
  connected: number;
  roomIds: string[];
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  /** The first few error messages of each kind, to say what went wrong. */
  errorSamples: string[];
}

/** Counts and latency samples of the bots of one thread. */
export class BotStats {
  counters = emptyCounters();
  joinMs = new Histogram();
  rttMs = new Histogram();
  patchIntervalMs = new Histogram();
  migrationPauseMs = new Histogram();
  errorSamples: string[] = [];
  private connected = 0;
  private connectedSinceMs = performance.now();

  error(kind: ErrorKind, message: string): void {
    this.counters.errors[kind]++;
    if (this.errorSamples.length < 5) this.errorSamples.push(`${kind}: ${message}`);
  }

  /** Call on every join and every leave: integrates connected client-time. */
  setConnected(delta: 1 | -1): void {
    this.accrue();
    this.connected += delta;
  }

  get connectedBots(): number {
    return this.connected;
  }

  private accrue(): void {
    const now = performance.now();
    this.counters.clientMs += this.connected * (now - this.connectedSinceMs);
    this.connectedSinceMs = now;
  }

  /** Everything since the last drain; resets counters and histograms. */
  drain(extra: { roomIds: string[]; eventLoopDelayMs: StatsDelta["eventLoopDelayMs"] }): StatsDelta {
    this.accrue();
    const delta: StatsDelta = {
      counters: this.counters,
      joinMs: this.joinMs.toData(),
      rttMs: this.rttMs.toData(),
      patchIntervalMs: this.patchIntervalMs.toData(),
      migrationPauseMs: this.migrationPauseMs.toData(),
      connected: this.connected,
      roomIds: extra.roomIds,
      eventLoopDelayMs: extra.eventLoopDelayMs,
      errorSamples: this.errorSamples,
    };
    this.counters = emptyCounters();
    this.joinMs.reset();
    this.rttMs.reset();
    this.patchIntervalMs.reset();
    this.migrationPauseMs.reset();
    this.errorSamples = [];
    return delta;
  }
}
