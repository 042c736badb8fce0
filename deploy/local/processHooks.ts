// What this process does with its clusters when it is told to stop or exits:
// the first signal stops every cluster in order (replicas drain first), a
// second one kills every child now, and on exit nothing is left behind.

import { rmSync } from "node:fs";
import { killAllChildren } from "./children.ts";

/** stop() of every running cluster in this process. */
const clusters = new Set<() => Promise<void>>();
/** Runtime dirs of clusters not stopped yet, removed on exit too. */
const runtimeDirs = new Set<string>();
let hooksInstalled = false;
let firstSignalAt: number | undefined;
/** A second signal within this window is the same Ctrl-C delivered twice (terminal and npm both send it), not a "kill now". */
const REPEAT_SIGNAL_MS = 1000;

/** Registers a running cluster: its stop() runs on a signal, its runtime dir is removed on exit. */
export function trackCluster(stop: () => Promise<void>, runtimeDir: string): void {
  clusters.add(stop);
  runtimeDirs.add(runtimeDir);
  installProcessHooks();
}

/** Forgets a cluster once stop() has cleaned up after it. */
export function untrackCluster(stop: () => Promise<void>, runtimeDir: string): void {
  clusters.delete(stop);
  runtimeDirs.delete(runtimeDir);
}

/** True once this process has been told to stop by a signal. */
export function stoppingOnSignal(): boolean {
  return firstSignalAt !== undefined;
}

function killAllNow(): void {
  killAllChildren();
  for (const dir of runtimeDirs) rmSync(dir, { recursive: true, force: true });
}

function installProcessHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // Last resort (process.exit, uncaught error, mocha --exit): children must not outlive this process.
  process.on("exit", killAllNow);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      const now = Date.now();
      if (firstSignalAt === undefined) {
        firstSignalAt = now;
        if (clusters.size > 0) console.error(`cluster: ${signal}: stopping (replicas drain first); press Ctrl-C again to kill everything now`);
        void Promise.all([...clusters].map((stop) => stop())).finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
      } else if (now - firstSignalAt > REPEAT_SIGNAL_MS) {
        console.error("cluster: killing every child now");
        killAllNow();
        process.exit(137);
      }
    });
  }
}
