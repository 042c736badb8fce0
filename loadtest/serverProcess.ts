// Starts the real roomservice server (`node rooms/server/main.ts`) as a child
// process on a free port, for the loadtest's own tests and the capacity
// benchmark, which also reads the child's CPU and memory from /proc.

import { spawn, type ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface ServerProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Output so far, for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** A port nobody listens on right now (the kernel's pick). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function answers200(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** How to launch the server beyond its env: for the capacity benchmark's pinning and profiling. */
export interface ServerLaunch {
  /** A command the server runs under, e.g. `["taskset", "-c", "0"]` (it must exec the rest). */
  prefix?: string[];
  /** Extra Node flags before the entry point, e.g. `--inspect=127.0.0.1:0`. */
  nodeArgs?: string[];
}

/**
 * Spawns the server on a free port and waits (bounded) until /readyz answers
 * 200. `env` adds to or overrides the defaults (LOG_LEVEL=warn, DRAIN_SECONDS=0, ROOM_BOTS=0).
 */
export async function startServerProcess(env: Record<string, string> = {}, timeoutMs = 20_000, launch: ServerLaunch = {}): Promise<ServerProcess> {
  const port = await freePort();
  const [command = process.execPath, ...prefixArgs] = [...(launch.prefix ?? []), process.execPath];
  const child = spawn(command, [...prefixArgs, ...(launch.nodeArgs ?? []), "rooms/server/main.ts"], {
    cwd: REPO_ROOT,
    // No room bots: the load tool's own bots are the players being measured.
    env: { ...process.env, LOG_LEVEL: "warn", DRAIN_SECONDS: "0", ROOM_BOTS: "0", ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  // Always drain both pipes: a full pipe would block the server.
  child.stdout.on("data", (chunk: Buffer) => { output = (output + chunk.toString()).slice(-20_000); });
  child.stderr.on("data", (chunk: Buffer) => { output = (output + chunk.toString()).slice(-20_000); });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;

  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output}`);
    if (await answers200(`${url}/readyz`)) break;
    if (performance.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server was not ready within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    url,
    pid: child.pid!,
    child,
    output: () => output,
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      let timer: NodeJS.Timeout | undefined;
      const killed = new Promise<void>((resolve) => {
        timer = setTimeout(() => { child.kill("SIGKILL"); resolve(); }, graceMs);
      });
      await Promise.race([exited, killed]);
      clearTimeout(timer);
      await exited;
    },
  };
}

/** CPU time (user + system) of a process in seconds, from /proc/<pid>/stat. */
export async function processCpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces) start after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / CLOCK_TICKS_PER_S;
}

/** Linux USER_HZ; 100 on every mainstream architecture. */
const CLOCK_TICKS_PER_S = 100;

/** Resident set size of a process in bytes, from /proc/<pid>/status. */
export async function processRssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}
