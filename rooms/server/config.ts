// The one reader of process.env. Every variable the server understands is
// declared in ENV_VARS; the README table is tested against this list.

export interface EnvVarSpec {
  name: string;
  /** Shown in the README and in error messages. */
  allowed: string;
  default: string;
  description: string;
}

export const ENV_VARS: readonly EnvVarSpec[] = [
  { name: "PORT", allowed: "integer 0-65535 (0 picks a free port)", default: "2567", description: "HTTP and WebSocket port." },
  { name: "HOST", allowed: "an address to bind", default: "0.0.0.0", description: "Interface to listen on." },
  { name: "TICK_HZ", allowed: "integer 1-60", default: "10", description: "Simulation ticks per second; one state patch is sent per tick." },
  { name: "MAX_PLAYERS", allowed: "integer 1-200", default: "32", description: "Players per room. The board grows with it (48x48 at 32). A full room sends new players to another room." },
  { name: "RECONNECT_SECONDS", allowed: "integer 0-300", default: "10", description: "How long a dropped player's snake waits for the same client to reconnect." },
  { name: "DRAIN_SECONDS", allowed: "integer 0-3600", default: "30", description: "On SIGTERM, how long players keep playing (after a notice) before they are disconnected with close code 4011." },
  { name: "MIGRATE_ON_DRAIN", allowed: "true, false", default: "true", description: "With Redis: on SIGTERM, move each live room to another ready replica (players keep their snake and score) instead of ending it after DRAIN_SECONDS." },
  { name: "LOG_LEVEL", allowed: "fatal, error, warn, info, debug, trace, silent", default: "info", description: "Structured JSON log level (pino)." },
  { name: "REDIS_URL", allowed: "redis://[user:pass@]host[:port][/db] or rediss://…", default: "(unset: single process, no Redis)", description: "Shared presence and matchmaking for several replicas. Needs a public address." },
  { name: "PUBLIC_ADDRESS", allowed: "host[:port][/path], no scheme", default: "(unset)", description: "Where clients reach this replica's WebSockets, e.g. games.example.com/game-0. Overrides PUBLIC_HOST + REPLICA_NAME." },
  { name: "PUBLIC_HOST", allowed: "host[:port], no scheme", default: "(unset)", description: "Public host of the edge. With REPLICA_NAME gives PUBLIC_ADDRESS = PUBLIC_HOST/REPLICA_NAME." },
  { name: "REPLICA_NAME", allowed: "lowercase letters, digits and '-', starting with a letter", default: "(unset)", description: "Stable replica name (the pod name in Kubernetes); the edge routes /REPLICA_NAME/… to this replica." },
  { name: "ROUTED_REPLICAS_FILE", allowed: "a file path; REPLICA_NAME must then end in -<ordinal>", default: "(unset: no route check)", description: "File holding how many pods (ordinals 0..N-1) the edge routes; the Helm chart mounts it. A replica whose ordinal has none stays unready (/readyz 503) until the count covers it. Re-read while running." },
  { name: "WEB_DIST", allowed: "a directory path", default: "web/dist", description: "Built web client to serve at /." },
];

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  port: number;
  host: string;
  tickHz: number;
  maxPlayers: number;
  reconnectSeconds: number;
  drainSeconds: number;
  migrateOnDrain: boolean;
  logLevel: LogLevel;
  redisUrl: string | undefined;
  /** host[:port][/path] clients use to reach this replica, or undefined for "same origin". */
  publicAddress: string | undefined;
  replicaName: string | undefined;
  /** Where the routed pod count is, and this pod's ordinal; undefined: every pod is routed. */
  routeGuard: { file: string; ordinal: number } | undefined;
  webDist: string;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

type Env = Record<string, string | undefined>;

function spec(name: string): EnvVarSpec {
  const found = ENV_VARS.find((v) => v.name === name);
  if (!found) throw new Error(`config: ${name} is not declared in ENV_VARS`);
  return found;
}

function fail(name: string, value: string, why?: string): never {
  const s = spec(name);
  throw new ConfigError(`${name}=${JSON.stringify(value)} is not valid${why ? ` (${why})` : ""}; allowed: ${s.allowed}`);
}

function read(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  return trimmed === "" ? undefined : trimmed;
}

function boolean(env: Env, name: string): boolean {
  const raw = (read(env, name) ?? spec(name).default).toLowerCase();
  if (raw !== "true" && raw !== "false") fail(name, raw);
  return raw === "true";
}

function integer(env: Env, name: string, min: number, max: number): number {
  const raw = read(env, name) ?? spec(name).default;
  if (!/^-?\d+$/.test(raw)) fail(name, raw);
  const value = Number(raw);
  if (value < min || value > max) fail(name, raw);
  return value;
}

const HOST_PORT = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/i;
const REPLICA = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

function publicAddressOf(env: Env): { publicAddress?: string; replicaName?: string } {
  const replicaName = read(env, "REPLICA_NAME");
  if (replicaName !== undefined && !REPLICA.test(replicaName)) fail("REPLICA_NAME", replicaName);

  const explicit = read(env, "PUBLIC_ADDRESS");
  if (explicit !== undefined) {
    if (/^[a-z]+:\/\//i.test(explicit)) fail("PUBLIC_ADDRESS", explicit, "no scheme: the client picks ws:// or wss:// from the page");
    const [hostPort = "", ...path] = explicit.split("/");
    if (!HOST_PORT.test(hostPort) || path.some((seg) => seg === "" || /[^A-Za-z0-9._~-]/.test(seg))) fail("PUBLIC_ADDRESS", explicit);
    return { publicAddress: explicit, replicaName };
  }

  const publicHost = read(env, "PUBLIC_HOST");
  if (publicHost === undefined) return { replicaName };
  if (!HOST_PORT.test(publicHost)) fail("PUBLIC_HOST", publicHost);
  if (replicaName === undefined) {
    throw new ConfigError("PUBLIC_HOST is set but REPLICA_NAME is not; set REPLICA_NAME (e.g. the pod name) or PUBLIC_ADDRESS");
  }
  return { publicAddress: `${publicHost}/${replicaName}`, replicaName };
}

/** The pod ordinal in a StatefulSet pod name: `game-12` → 12; undefined without a numeric suffix. */
export function ordinalOf(replicaName: string): number | undefined {
  const match = /-(\d{1,6})$/.exec(replicaName);
  return match ? Number(match[1]) : undefined;
}

function routeGuardOf(env: Env, replicaName: string | undefined): Config["routeGuard"] {
  const file = read(env, "ROUTED_REPLICAS_FILE");
  if (file === undefined) return undefined;
  const ordinal = replicaName === undefined ? undefined : ordinalOf(replicaName);
  if (ordinal === undefined) {
    throw new ConfigError(`ROUTED_REPLICAS_FILE is set but REPLICA_NAME (${JSON.stringify(replicaName ?? "")}) does not end in -<ordinal>; set REPLICA_NAME to the pod name, e.g. game-3`);
  }
  return { file, ordinal };
}

/** Reads and validates the environment once; throws ConfigError naming the variable. */
export function loadConfig(env: Env = process.env): Config {
  const logLevel = read(env, "LOG_LEVEL") ?? "info";
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) fail("LOG_LEVEL", logLevel);

  const redisUrl = read(env, "REDIS_URL");
  if (redisUrl !== undefined) {
    let url: URL | undefined;
    try { url = new URL(redisUrl); } catch { /* reported below */ }
    if (!url || (url.protocol !== "redis:" && url.protocol !== "rediss:") || !url.hostname) fail("REDIS_URL", redisUrl);
  }

  const { publicAddress, replicaName } = publicAddressOf(env);
  const routeGuard = routeGuardOf(env, replicaName);
  if (redisUrl !== undefined && publicAddress === undefined) {
    throw new ConfigError(
      "REDIS_URL is set but no public address is: with several replicas, clients would reach replicas that do not own their room. " +
      "Set PUBLIC_ADDRESS, or PUBLIC_HOST and REPLICA_NAME",
    );
  }

  return {
    port: integer(env, "PORT", 0, 65535),
    host: read(env, "HOST") ?? "0.0.0.0",
    tickHz: integer(env, "TICK_HZ", 1, 60),
    maxPlayers: integer(env, "MAX_PLAYERS", 1, 200),
    reconnectSeconds: integer(env, "RECONNECT_SECONDS", 0, 300),
    drainSeconds: integer(env, "DRAIN_SECONDS", 0, 3600),
    migrateOnDrain: boolean(env, "MIGRATE_ON_DRAIN"),
    logLevel: logLevel as LogLevel,
    redisUrl,
    publicAddress,
    replicaName,
    routeGuard,
    webDist: read(env, "WEB_DIST") ?? "web/dist",
  };
}
