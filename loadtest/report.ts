// The end of a run: the JSON report (fixed keys first, extras after), the
// summary table, and the threshold verdict that decides the exit status.

import type { LoadtestOptions } from "./args.ts";
import type { Percentiles } from "./histogram.ts";
import type { ServerSample } from "./serverMetrics.ts";
import type { Span } from "./session.ts";
import { totalErrors } from "./stats.ts";

export interface Report {
  bots_target: number;
  bots_connected: number;
  duration_s: number;
  join_ms: Percentiles;
  rtt_ms: Percentiles;
  patch_interval_ms: Omit<Percentiles, "p95">;
  bytes_per_client_per_s: number;
  json_full_state_bytes_per_client_per_s: number;
  errors: { join: number; disconnect: number; other: number };
  loadgen_cpu_percent: number;
  /** Bots that followed their room to another replica (a drain with room moves). */
  migrations: number;
  /** Per moved bot: last patch in the old room to first state in the new one. */
  migration_pause_ms: Omit<Percentiles, "p95">;
  // ---- extras ----
  url: string;
  room: string;
  started_at: string;
  ended_at: string;
  bots_connected_peak: number;
  rooms: number;
  join_attempts: number;
  joins: number;
  /** (join + disconnect + other errors) / join attempts. */
  error_rate: number;
  error_samples: string[];
  /** State patches only (what the server's roomservice_patch_bytes_total counts). */
  patch_bytes_per_client_per_s: number;
  /** Patch bytes all bots received in the run; compare with server.patch_bytes_delta. */
  patch_bytes_total: number;
  bytes_total: number;
  patches_per_client_per_s: number;
  /** json_full_state_bytes_per_client_per_s / bytes_per_client_per_s. */
  json_to_bytes_ratio: number;
  samples: { join: number; rtt: number; patch_interval: number };
  gameplay: {
    turns_per_bot_per_s: number;
    deaths: number;
    /** What each bot believed it was moving into when it died (see rooms/snek/brain.ts outlook()). */
    deaths_by_outlook: Record<string, number>;
    respawns_sent: number;
    /** Four in a row: games that ended in the bots' rooms (counted by each seated bot), and rematches asked for. */
    games_ended: number;
    rematches_sent: number;
    ping_timeouts: number;
    drained_rejoins: number;
    /** Rooms moved to another replica with their players (MIGRATE_ON_DRAIN), and moves that failed. */
    migrations: number;
    migrations_lost: number;
    rejected: Record<string, number>;
    unknown_messages: Record<string, number>;
  };
  loadgen: {
    /** loadgen_cpu_percent is of one core; this many cores were available. */
    cores: number;
    workers: number;
    /** Every bot decoded the state (--decode-all), or two per room and thread did. */
    decode_all: boolean;
    /** Bots that joined again because their room's decoding bots had left. */
    reseats: number;
    event_loop_delay_p99_ms: number;
    event_loop_delay_max_ms: number;
    /** True when the load generator itself was the bottleneck: read latency figures with care. */
    saturated: boolean;
  };
  /** What the server's /metrics said over the run (deltas for counters), when reachable. */
  server: {
    metrics_url_reachable: boolean;
    clients_connected_at_end?: number;
    rooms_active_at_end?: number;
    patch_bytes_delta?: number;
    messages_rejected_delta?: number;
    cpu_seconds_delta?: number;
    resident_memory_bytes_at_end?: number;
  };
  thresholds: { max_p99_rtt_ms: number | null; max_error_rate: number | null; broken: string[] };
}

/** A saturated event loop delays every timestamp the bots take. */
const SATURATED_LOOP_DELAY_MS = 50;
const SATURATED_CPU_SHARE = 0.9;

const round = (value: number, digits = 2): number => Number(value.toFixed(digits));
const roundAll = <T extends { [K in keyof T]: number }>(values: T): T =>
  Object.fromEntries(Object.entries<number>(values).map(([k, v]) => [k, round(v, 3)])) as T;

export interface ReportInput {
  options: LoadtestOptions;
  totals: Span;
  final: Span;
  startedAt: Date;
  endedAt: Date;
  peakConnected: number;
  cores: number;
  serverBefore: ServerSample | undefined;
  serverAfter: ServerSample | undefined;
}

export function buildReport(input: ReportInput): Report {
  const { options, totals, final } = input;
  const c = totals.counters;
  const bytes = totals.perClientPerS(c.bytesIn);
  const json = totals.perClientPerS(c.jsonFullStateBytes);
  const patchInterval = totals.patchIntervalMs.summary();
  const migrationPause = totals.migrationPauseMs.summary();
  const errorRate = c.joinAttempts > 0 ? totalErrors(c) / c.joinAttempts : 0;
  const workers = Math.max(0, options.workers);
  const saturated = totals.eventLoopDelayP99Ms > SATURATED_LOOP_DELAY_MS
    || totals.cpuPercent > 100 * SATURATED_CPU_SHARE * Math.min(input.cores, Math.max(1, workers));
  const before = input.serverBefore;
  const after = input.serverAfter;
  const delta = (name: keyof ServerSample): number | undefined =>
    before?.[name] !== undefined && after?.[name] !== undefined ? round(after[name]! - before[name]!, 3) : undefined;

  const report: Report = {
    bots_target: options.bots,
    bots_connected: final.connected,
    duration_s: round((input.endedAt.getTime() - input.startedAt.getTime()) / 1000, 1),
    join_ms: roundAll(totals.joinMs.summary()),
    rtt_ms: roundAll(totals.rttMs.summary()),
    patch_interval_ms: roundAll({ p50: patchInterval.p50, p99: patchInterval.p99, max: patchInterval.max }),
    bytes_per_client_per_s: round(bytes, 1),
    json_full_state_bytes_per_client_per_s: round(json, 1),
    errors: { ...c.errors },
    loadgen_cpu_percent: round(totals.cpuPercent, 1),
    migrations: c.migrations,
    migration_pause_ms: roundAll({ p50: migrationPause.p50, p99: migrationPause.p99, max: migrationPause.max }),
    url: options.url,
    room: options.room,
    started_at: input.startedAt.toISOString(),
    ended_at: input.endedAt.toISOString(),
    bots_connected_peak: input.peakConnected,
    rooms: final.rooms,
    join_attempts: c.joinAttempts,
    joins: c.joins,
    error_rate: round(errorRate, 4),
    error_samples: totals.errorSamples,
    patch_bytes_per_client_per_s: round(totals.perClientPerS(c.patchBytesIn), 1),
    patch_bytes_total: c.patchBytesIn,
    bytes_total: c.bytesIn,
    patches_per_client_per_s: round(totals.perClientPerS(c.patches), 2),
    json_to_bytes_ratio: bytes > 0 ? round(json / bytes, 1) : 0,
    samples: { join: totals.joinMs.count, rtt: totals.rttMs.count, patch_interval: totals.patchIntervalMs.count },
    gameplay: {
      turns_per_bot_per_s: round(totals.perClientPerS(c.turnsSent), 2),
      deaths: c.deaths,
      deaths_by_outlook: { ...c.deathsBy },
      respawns_sent: c.respawnsSent,
      games_ended: c.gamesEnded,
      rematches_sent: c.rematchesSent,
      ping_timeouts: c.pingTimeouts,
      drained_rejoins: c.drainedRejoins,
      migrations: c.migrations,
      migrations_lost: c.migrationsLost,
      rejected: { ...c.rejected },
      unknown_messages: { ...c.unknownMessages },
    },
    loadgen: {
      cores: input.cores,
      workers,
      decode_all: options.decodeAll,
      reseats: c.reseats,
      event_loop_delay_p99_ms: round(totals.eventLoopDelayP99Ms, 1),
      event_loop_delay_max_ms: round(totals.eventLoopDelayMaxMs, 1),
      saturated,
    },
    server: {
      metrics_url_reachable: after !== undefined,
      clients_connected_at_end: after?.roomservice_clients_connected,
      rooms_active_at_end: after?.roomservice_rooms_active,
      patch_bytes_delta: delta("roomservice_patch_bytes_total"),
      messages_rejected_delta: delta("roomservice_messages_rejected_total"),
      cpu_seconds_delta: delta("process_cpu_seconds_total"),
      resident_memory_bytes_at_end: after?.process_resident_memory_bytes,
    },
    thresholds: { max_p99_rtt_ms: options.maxP99RttMs ?? null, max_error_rate: options.maxErrorRate ?? null, broken: [] },
  };
  report.thresholds.broken = brokenThresholds(report, options);
  return report;
}

export function brokenThresholds(report: Report, options: Pick<LoadtestOptions, "maxP99RttMs" | "maxErrorRate">): string[] {
  const broken: string[] = [];
  if (options.maxP99RttMs !== undefined) {
    if (report.samples.rtt === 0) broken.push(`rtt p99: no round trip was measured (limit ${options.maxP99RttMs} ms)`);
    else if (report.rtt_ms.p99 > options.maxP99RttMs) broken.push(`rtt p99 ${report.rtt_ms.p99} ms > --max-p99-rtt-ms ${options.maxP99RttMs}`);
  }
  if (options.maxErrorRate !== undefined && report.error_rate > options.maxErrorRate) {
    broken.push(`error rate ${report.error_rate} > --max-error-rate ${options.maxErrorRate}`);
  }
  return broken;
}

function table(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join("\n");
}

const ms = (p: { p50: number; p99: number; max: number; p95?: number }): string =>
  `p50 ${p.p50.toFixed(2)}  ${p.p95 !== undefined ? `p95 ${p.p95.toFixed(2)}  ` : ""}p99 ${p.p99.toFixed(2)}  max ${p.max.toFixed(2)}`;

export function summaryTable(report: Report): string {
  const e = report.errors;
  const rows: [string, string][] = [
    ["bots connected", `${report.bots_connected} of ${report.bots_target} (peak ${report.bots_connected_peak}, ${report.rooms} rooms)`],
    ["duration", `${report.duration_s} s`],
    ["joins", `${report.joins} of ${report.join_attempts} attempts`],
    ["join ms", ms(report.join_ms)],
    ["rtt ms", `${ms(report.rtt_ms)}  (${report.samples.rtt} pings)`],
    ["patch interval ms", report.samples.patch_interval > 0 ? ms(report.patch_interval_ms) : "none (patches come with moves, not on a clock)"],
    ...(report.migrations > 0 ? [["room moves", `${report.migrations} bots followed their room; pause ms ${ms(report.migration_pause_ms)}`] as [string, string]] : []),
    ["bytes in / client / s", `${report.bytes_per_client_per_s} (patches ${report.patch_bytes_per_client_per_s})`],
    ["as full-state JSON", report.json_full_state_bytes_per_client_per_s > 0 ? `${report.json_full_state_bytes_per_client_per_s} (${report.json_to_bytes_ratio}x more)` : "not measured for this game"],
    ["errors", `join ${e.join}, disconnect ${e.disconnect}, other ${e.other} (rate ${report.error_rate})`],
    ["gameplay", `${report.gameplay.migrations || report.gameplay.migrations_lost ? `${report.gameplay.migrations} rooms followed to another replica (${report.gameplay.migrations_lost} moves failed), ` : ""}${report.gameplay.turns_per_bot_per_s} turns/bot/s, ${report.gameplay.deaths} deaths (${Object.entries(report.gameplay.deaths_by_outlook).map(([k, n]) => `${k} ${n}`).join(", ") || "none"}), ${report.gameplay.respawns_sent} respawns${report.gameplay.games_ended ? `, ${report.gameplay.games_ended} games ended, ${report.gameplay.rematches_sent} rematches` : ""}`],
    ["loadgen cpu", `${report.loadgen_cpu_percent} % of one core (${report.loadgen.cores} cores, ${report.loadgen.workers} workers), loop delay p99 ${report.loadgen.event_loop_delay_p99_ms} ms`],
  ];
  if (report.server.metrics_url_reachable) {
    rows.push(["server /metrics", `clients ${report.server.clients_connected_at_end}, rooms ${report.server.rooms_active_at_end}, patch bytes +${report.server.patch_bytes_delta} (bots counted ${report.patch_bytes_total})`]);
  }
  const lines = ["", "loadtest summary", table(rows)];
  if (report.error_samples.length > 0) lines.push("", "first errors:", ...report.error_samples.map((s) => `  ${s}`));
  const unknown = Object.entries(report.gameplay.unknown_messages);
  if (unknown.length > 0) lines.push("", `server messages the bots do not handle: ${unknown.map(([type, n]) => `${type} x${n}`).join(", ")}`);
  if (report.loadgen.saturated) {
    lines.push("", "warning: the load generator was saturated (CPU or event-loop delay); latency figures include its own delay.");
  }
  if (report.thresholds.broken.length > 0) lines.push("", "thresholds broken:", ...report.thresholds.broken.map((s) => `  ${s}`));
  return lines.join("\n");
}
