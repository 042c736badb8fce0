// For tests: runs the load tool as a user does, and the report keys issues name.

import { spawn } from "node:child_process";
import { REPO_ROOT } from "./serverProcess.ts";

export const REPORT_KEYS = [
  "bots_target", "bots_connected", "duration_s", "join_ms", "rtt_ms", "patch_interval_ms",
  "bytes_per_client_per_s", "json_full_state_bytes_per_client_per_s", "errors", "loadgen_cpu_percent",
  "migrations", "migration_pause_ms",
];

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run loadtest` the way a user does (node loadtest/main.ts), with a bounded wait. */
export function runCli(args: string[], timeoutMs: number): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["loadtest/main.ts", ...args], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`loadtest did not exit within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

