// Pinning for bench:capacity: the server (and the send-floor process) on one
// core, the load generator on another, so "CPU per player-tick" is one core's
// work and the two do not trade places on the scheduler. `taskset` comes from
// util-linux.

import { execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";

export interface Pinning {
  serverCore: number;
  loadgenCore: number;
}

function tasksetPath(): string | undefined {
  try {
    execFileSync("taskset", ["--version"], { stdio: "ignore" });
    return "taskset";
  } catch {
    return undefined;
  }
}

/** Checks the cores exist and taskset runs; throws with the fix otherwise. */
export function checkPinning(pinning: Pinning): void {
  const cores = availableParallelism();
  for (const [name, core] of [["--server-core", pinning.serverCore], ["--loadgen-core", pinning.loadgenCore]] as const) {
    if (!Number.isInteger(core) || core < 0 || core >= cores) throw new Error(`bench:capacity: ${name} must be a core from 0 to ${cores - 1}, got ${core}`);
  }
  if (pinning.serverCore === pinning.loadgenCore) throw new Error("bench:capacity: --server-core and --loadgen-core must differ");
  if (!tasksetPath()) throw new Error("bench:capacity: pinning needs taskset (apt-get install -y util-linux), or pass --no-pin");
}

/** The command prefix that runs a child on `core`. */
export function onCore(core: number): string[] {
  return ["taskset", "-c", String(core)];
}

/** Pins every thread of this process (and, by inheritance, the worker threads it starts later) to `core`. */
export function pinThisProcess(core: number): void {
  execFileSync("taskset", ["-a", "-p", "-c", String(core), String(process.pid)], { stdio: "ignore" });
}
