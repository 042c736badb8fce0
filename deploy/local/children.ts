// The topology's child processes: spawned in their own process group with
// their output kept for error messages, waited on with bounded probes, and
// stopped with a signal, then SIGKILL after a bound.

import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { ENV_VARS } from "../../rooms/server/config.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One child process with its output kept for error messages. */
export interface Child {
  label: string;
  process: ChildProcess;
  exited: Promise<ExitStatus>;
  /** Last lines of output, for "exited while starting" errors. */
  recent: string[];
}

/** A child at once (so a caller can stop it if the start fails), and when it is ready. */
export interface Starting {
  child: Child;
  ready: Promise<void>;
}

const RECENT_LINES = 40;
/** Children of every cluster in this process, so the exit handler can kill leftovers. */
const liveChildren = new Set<ChildProcess>();

export function isRunning(child: Child): boolean {
  return child.process.exitCode === null && child.process.signalCode === null;
}

export function spawnChild(label: string, command: string, args: string[], env: NodeJS.ProcessEnv, log: (line: string) => void): Child {
  const proc = spawn(command, args, {
    cwd: repoRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    // Own process group: a terminal's Ctrl-C reaches only this process, which then stops the children in order (replicas drain while the edge and Redis still run).
    detached: true,
  });
  const recent: string[] = [];
  const onLine = (line: string): void => {
    recent.push(line);
    if (recent.length > RECENT_LINES) recent.shift();
    log(`[${label}] ${line}`);
  };
  // Always drain both pipes: a full pipe would block the child.
  createInterface({ input: proc.stdout! }).on("line", onLine);
  createInterface({ input: proc.stderr! }).on("line", onLine);
  liveChildren.add(proc);
  const exited = new Promise<ExitStatus>((resolve) => {
    proc.once("exit", (code, signal) => {
      liveChildren.delete(proc);
      resolve({ code, signal });
    });
    proc.once("error", (error) => {
      // spawn failures (ENOENT, EACCES) emit no "exit".
      if (proc.pid === undefined) {
        liveChildren.delete(proc);
        onLine(`spawn failed: ${error.message}`);
        resolve({ code: null, signal: null });
      }
    });
  });
  return { label, process: proc, exited, recent };
}

/**
 * SIGKILL for a child and everything in its process group (each child leads its
 * own group): an nginx master killed alone would leave its workers running.
 */
export function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // The group is already gone.
  }
}

export function describeExit(status: ExitStatus): string {
  return status.signal ? `was killed by ${status.signal}` : `exited with code ${status.code}`;
}

export function startupError(child: Child, what: string): Error {
  const tail = child.recent.length > 0 ? `\n  last output:\n    ${child.recent.slice(-15).join("\n    ")}` : "";
  return new Error(`cluster: ${child.label} ${what}${tail}`);
}

/** Sends `signal`, then SIGKILL if the child is still there after `timeoutMs`. Resolves on exit. */
export async function stopChild(child: Child, signal: NodeJS.Signals, timeoutMs: number): Promise<ExitStatus> {
  if (!isRunning(child)) return child.exited;
  child.process.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      if (isRunning(child)) killGroup(child.process);
      resolve();
    }, timeoutMs);
  });
  await Promise.race([child.exited, killed]);
  clearTimeout(timer);
  return child.exited;
}

/** Polls `probe` until it returns true; fails early when `child` exits and after `timeoutMs`. */
export async function waitUntil(child: Child, what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: ExitStatus | undefined;
  void child.exited.then((status) => { exited = status; });
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (exited) throw startupError(child, `${describeExit(exited)} before ${what}`);
    if (Date.now() > deadline) throw startupError(child, `did not get to ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** SIGKILL for every child still running in this process: the last resort on exit. */
export function killAllChildren(): void {
  for (const child of liveChildren) killGroup(child);
}

/** The parent's environment without the server's own variables, so a stray PORT or REDIS_URL in the shell cannot leak into replicas. */
export function inheritedEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const spec of ENV_VARS) delete env[spec.name];
  return env;
}
