// CPU time used by the processes of a local cluster, read from /proc (Linux),
// so bench:edge can say where a burst's CPU went: replicas, edge, Redis, and
// the load generator. Elsewhere it reads nothing and the bench says so.

import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second in /proc/<pid>/stat: USER_HZ, 100 on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

interface ProcStat { pid: number; parent: number; cpuSeconds: number }

function statOf(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may hold spaces: the fields after it are positional.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { pid, parent: Number(fields[1]), cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

/** CPU seconds used so far by `pid` and its direct children (nginx's workers), or undefined without /proc. */
export function cpuSecondsWithChildren(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  const own = statOf(pid);
  if (!own) return undefined;
  let total = own.cpuSeconds;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const child = statOf(Number(entry));
    if (child?.parent === pid) total += child.cpuSeconds;
  }
  return total;
}

/** CPU seconds per named part, for the difference between two readings. */
export type CpuReading = Map<string, number | undefined>;

export function readCpu(parts: ReadonlyMap<string, number | undefined>): CpuReading {
  return new Map([...parts].map(([name, pid]) => [name, cpuSecondsWithChildren(pid)]));
}

/** "game-0 1.23 s, game-1 1.10 s, …" for what each part used between two readings. */
export function describeCpu(before: CpuReading, after: CpuReading): string {
  return [...after].map(([name, seconds]) => {
    const start = before.get(name);
    return `${name} ${seconds === undefined || start === undefined ? "n/a" : `${(seconds - start).toFixed(2)} s`}`;
  }).join(", ");
}

/** Total CPU seconds all parts used between two readings, or undefined if any part could not be read. */
export function totalCpu(before: CpuReading, after: CpuReading): number | undefined {
  let total = 0;
  for (const [name, seconds] of after) {
    const start = before.get(name);
    if (seconds === undefined || start === undefined) return undefined;
    total += seconds - start;
  }
  return total;
}
