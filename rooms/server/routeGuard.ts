// The route guard: a replica the edge cannot reach must not take players.
// The Helm chart renders one route per pod ordinal 0..N-1 and mounts N as a
// file (ROUTED_REPLICAS_FILE). A pod started above that (kubectl scale, KEDA,
// an edited HPA) would turn ready and host rooms nobody can join, so it stays
// unready and says why until the count covers it. The count is re-read while
// running: Kubernetes updates a ConfigMap mount in place, no restart.

import { closeSync, openSync, readSync, watch, type FSWatcher } from "node:fs";
import path from "node:path";
import type { Logger } from "./logger.ts";

/**
 * How often the file is read again besides on change events. Kubernetes
 * swaps a `..data` symlink in the mounted directory, which the directory
 * watch sees; the poll covers filesystems where watching reports nothing.
 */
export const ROUTE_POLL_MS = 3000;
/** The file holds one small integer; anything longer is not ours. */
const MAX_FILE_BYTES = 64;

/** Why `ordinal` has no route given the file's contents (or read error), or undefined when it has one. */
export function routeProblem(file: string, ordinal: number, read: () => string): string | undefined {
  let text: string;
  try {
    text = read();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return `route count unknown: cannot read ${file} (${code}); mount the chart's routing ConfigMap there, or unset ROUTED_REPLICAS_FILE`;
  }
  const trimmed = text.trim();
  if (!/^\d{1,6}$/.test(trimmed)) {
    const shown = JSON.stringify(trimmed.slice(0, MAX_FILE_BYTES));
    return `route count unknown: ${file} holds ${shown}, not a whole number of routed pods; fix the chart's routing ConfigMap`;
  }
  const routed = Number(trimmed);
  if (ordinal < routed) return undefined;
  const which = routed === 0 ? "no pod has one" : `pods 0-${routed - 1} have one`;
  return `no route for pod ${ordinal} (${which}); raise autoscaling.maxReplicas (or replicaCount) and upgrade the release, or scale down`;
}

/** The first bytes of a file: bounded, whatever the path points at. */
function readHead(file: string): string {
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(MAX_FILE_BYTES * 2);
    return buffer.toString("utf8", 0, readSync(fd, buffer, 0, buffer.length, 0));
  } finally {
    closeSync(fd);
  }
}

export class RouteGuard {
  private readonly file: string;
  private readonly ordinal: number;
  private readonly log: Logger;
  private problem: string | undefined;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(file: string, ordinal: number, log: Logger) {
    this.file = file;
    this.ordinal = ordinal;
    this.log = log;
    this.problem = this.check();
    this.report(undefined);
  }

  /** Why this replica has no route, or undefined when it has one. */
  get unrouted(): string | undefined {
    return this.problem;
  }

  /** Re-reads on every change in the mounted directory, and every ROUTE_POLL_MS. */
  start(): void {
    const refresh = (): void => this.refresh();
    refresh();
    try {
      this.watcher = watch(path.dirname(this.file), { persistent: false }, refresh);
      // A directory that goes away (or a watch the filesystem refuses later) leaves the poll in charge.
      this.watcher.on("error", () => this.stopWatching());
    } catch {
      // No such directory yet, or no watch support: the poll alone will see the file when it appears.
    }
    this.timer = setInterval(refresh, ROUTE_POLL_MS);
    this.timer.unref();
  }

  stop(): void {
    this.stopWatching();
    clearInterval(this.timer);
  }

  private stopWatching(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  private check(): string | undefined {
    return routeProblem(this.file, this.ordinal, () => readHead(this.file));
  }

  private refresh(): void {
    const previous = this.problem;
    this.problem = this.check();
    if (this.problem !== previous) this.report(previous);
  }

  /** One log line per change of state, not per read. */
  private report(previous: string | undefined): void {
    if (this.problem !== undefined) {
      this.log.warn({ routeFile: this.file, ordinal: this.ordinal, reason: this.problem }, `not ready: ${this.problem}`);
    } else if (previous !== undefined) {
      this.log.info({ routeFile: this.file, ordinal: this.ordinal }, `route found for pod ${this.ordinal}; ready for players`);
    }
  }
}

