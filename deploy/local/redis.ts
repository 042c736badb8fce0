// The topology's redis-server: on loopback, persisting nothing, ready when it
// answers PING.

import { inheritedEnv, spawnChild, waitUntil, type Starting } from "./children.ts";
import { redisPong } from "./probes.ts";

/** How long redis-server may take to exit on SIGTERM before it is killed. */
export const REDIS_STOP_MS = 5000;

export interface RedisServerOptions {
  /** Path of the redis-server binary (see requireBinaries). */
  binary: string;
  port: number;
  /** Its working directory; nothing is written there (no RDB, no AOF). */
  dir: string;
  log: (line: string) => void;
  timeoutMs: number;
}

/**
 * Redis warns at start when the kernel's vm.overcommit_memory is 0: a
 * background save could then fail. This Redis never saves, so the warning is
 * noise here (it stays in the child's recent lines for error reports).
 */
const IRRELEVANT = /Memory overcommit must be enabled/;

export function startRedisServer({ binary, port, dir, log, timeoutMs }: RedisServerOptions): Starting {
  const child = spawnChild("redis", binary, [
    "--port", String(port),
    "--bind", "127.0.0.1",
    "--save", "",
    "--appendonly", "no",
    "--daemonize", "no",
    "--dir", dir,
    "--loglevel", "warning",
  ], inheritedEnv(), (line) => { if (!IRRELEVANT.test(line)) log(line); });
  return { child, ready: waitUntil(child, `answering PING on port ${port}`, () => redisPong(port), timeoutMs) };
}
