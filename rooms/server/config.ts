// The one reader of process.env. Each variable the server understands is one
// entry in ENV below: its name, default, accepted values and description. The
// parser, the error messages, the README table (npm run docs:env), the
// `Config` type and the chart's range tests all derive from that entry.
//
// Adding a variable is a one-entry change: add it to ENV with the kind that
// parses it (integer, boolean, choice, text, list) and read it as
// `config.<key>`; then run `npm run docs:env`. Only rules that join several
// variables (PUBLIC_HOST with REPLICA_NAME, REDIS_URL with a public address)
// live in loadConfig.

export class ConfigError extends Error {
  override name = "ConfigError";
}

interface EnvVarCommon {
  name: string;
  description: string;
  /** "allowed" column of the README and the tail of every error message. */
  allowed: string;
  /** "default" column of the README. */
  defaultText: string;
}

export interface IntegerVar extends EnvVarCommon {
  kind: "integer";
  min: number;
  max: number;
  default: number;
  parse(raw: string | undefined): number;
}

export interface BooleanVar extends EnvVarCommon {
  kind: "boolean";
  default: boolean;
  parse(raw: string | undefined): boolean;
}

export interface ChoiceVar<T extends string = string> extends EnvVarCommon {
  kind: "choice";
  values: readonly T[];
  default: T;
  parse(raw: string | undefined): T;
}

export interface TextVar<T extends string | undefined = string | undefined> extends EnvVarCommon {
  kind: "text";
  default: T;
  parse(raw: string | undefined): string | T;
}

export interface ListVar extends EnvVarCommon {
  kind: "list";
  default: undefined;
  parse(raw: string | undefined): readonly string[] | undefined;
}

export type EnvVar = IntegerVar | BooleanVar | ChoiceVar | TextVar | ListVar;

function invalid(name: string, value: string, allowed: string, why?: string): never {
  throw new ConfigError(`${name}=${JSON.stringify(value)} is not valid${why ? ` (${why})` : ""}; allowed: ${allowed}`);
}

/** Unset and blank both mean "use the default". */
function present(raw: string | undefined): string | undefined {
  const trimmed = raw?.trim();
  return trimmed === "" ? undefined : trimmed;
}

function integer(spec: { name: string; min: number; max: number; default: number; note?: string; description: string }): IntegerVar {
  const allowed = `integer ${spec.min}-${spec.max}${spec.note ? ` (${spec.note})` : ""}`;
  return {
    ...spec, kind: "integer", allowed, defaultText: String(spec.default),
    parse(raw) {
      const value = present(raw);
      if (value === undefined) return spec.default;
      if (!/^-?\d+$/.test(value)) invalid(spec.name, value, allowed);
      const parsed = Number(value);
      if (parsed < spec.min || parsed > spec.max) invalid(spec.name, value, allowed);
      return parsed;
    },
  };
}

function boolean(spec: { name: string; default: boolean; description: string }): BooleanVar {
  const allowed = "true, false";
  return {
    ...spec, kind: "boolean", allowed, defaultText: String(spec.default),
    parse(raw) {
      const value = present(raw)?.toLowerCase();
      if (value === undefined) return spec.default;
      if (value !== "true" && value !== "false") invalid(spec.name, value, allowed);
      return value === "true";
    },
  };
}

function choice<const T extends string>(spec: { name: string; values: readonly T[]; default: NoInfer<T>; description: string }): ChoiceVar<T> {
  const allowed = spec.values.join(", ");
  return {
    ...spec, kind: "choice", allowed, defaultText: spec.default,
    parse(raw) {
      const value = present(raw);
      if (value === undefined) return spec.default;
      if (!(spec.values as readonly string[]).includes(value)) invalid(spec.name, value, allowed);
      return value as T;
    },
  };
}

/**
 * Free text described in prose. `check` returns true when the value is usable,
 * false when it is not, or a reason (shown in the error) why it is not.
 */
function text<T extends string | undefined>(spec: {
  name: string; allowed: string; default: T; unsetMeans?: string; description: string;
  check?: (value: string) => boolean | string;
}): TextVar<T> {
  const defaultText = spec.default ?? unsetText(spec.unsetMeans);
  return {
    name: spec.name, description: spec.description, allowed: spec.allowed, default: spec.default, kind: "text", defaultText,
    parse(raw) {
      const value = present(raw);
      if (value === undefined) return spec.default;
      const verdict = spec.check?.(value) ?? true;
      if (verdict !== true) invalid(spec.name, value, spec.allowed, verdict === false ? undefined : verdict);
      return value;
    },
  };
}

function unsetText(means: string | undefined): string {
  return `(unset${means ? `: ${means}` : ""})`;
}

/**
 * Comma-separated items (blanks around them dropped), each judged by `check`
 * as text() judges its value. Unset means undefined, never an empty list.
 */
function list(spec: {
  name: string; allowed: string; unsetMeans: string; description: string;
  /** What one item is, for "no <item> given". */
  item: string;
  check?: (item: string) => boolean | string;
}): ListVar {
  return {
    name: spec.name, description: spec.description, allowed: spec.allowed, default: undefined, kind: "list", defaultText: unsetText(spec.unsetMeans),
    parse(raw) {
      const value = present(raw);
      if (value === undefined) return undefined;
      const items = value.split(",").map((item) => item.trim()).filter((item) => item !== "");
      if (items.length === 0) invalid(spec.name, value, spec.allowed, `no ${spec.item} given`);
      for (const item of items) {
        const verdict = spec.check?.(item) ?? true;
        if (verdict !== true) invalid(spec.name, value, spec.allowed, verdict === false ? `${item} is not a valid ${spec.item}` : verdict);
      }
      return items;
    },
  };
}

const HOST_PORT = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/i;

function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "redis:" || url.protocol === "rediss:") && url.hostname !== "";
  } catch {
    return false;
  }
}

function publicAddressCheck(value: string): boolean | string {
  if (/^[a-z]+:\/\//i.test(value)) return "no scheme: the client picks ws:// or wss:// from the page";
  const [hostPort = "", ...path] = value.split("/");
  return HOST_PORT.test(hostPort) && !path.some((segment) => segment === "" || /[^A-Za-z0-9._~-]/.test(segment));
}

/** One web origin, exactly as a browser sends it: scheme://host[:port]. */
function originCheck(origin: string): boolean | string {
  let url: URL;
  try { url = new URL(origin); } catch { return `${origin} is not an origin`; }
  return url.origin === origin || `${origin} is not an origin (${url.origin} would be)`;
}

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Every variable, keyed by the `Config` field it becomes. Order is the README's order. */
export const ENV = {
  port: integer({ name: "PORT", min: 0, max: 65535, default: 2567, note: "0 picks a free port", description: "HTTP and WebSocket port." }),
  host: text({ name: "HOST", allowed: "an address to bind", default: "0.0.0.0", description: "Interface to listen on." }),
  tickHz: integer({ name: "TICK_HZ", min: 1, max: 60, default: 10, description: "Simulation ticks per second; one state patch is sent per tick." }),
  maxPlayers: integer({ name: "MAX_PLAYERS", min: 1, max: 200, default: 32, description: "Players per room. The board grows with it (48x48 at 32). A full room sends new players to another room." }),
  maxSpectators: integer({ name: "MAX_SPECTATORS", min: 0, max: 1000, default: 64, description: "Spectators per room (join option spectate): they watch, take no player seat and send no game messages. A room with this many refuses more." }),
  roomBots: integer({ name: "ROOM_BOTS", min: 0, max: 32, default: 6, description: "Snek: a public room keeps this many snakes with server-side bots (shown as bots, never counted as players); each joining player replaces one. 0 turns bots off; private rooms get them only with the join option bots: true." }),
  reconnectSeconds: integer({ name: "RECONNECT_SECONDS", min: 0, max: 300, default: 10, description: "How long a dropped player's snake waits for the same client to reconnect." }),
  fourTurnSeconds: integer({ name: "FOUR_TURN_SECONDS", min: 1, max: 3600, default: 60, description: "Four in a row: a player who does not move within this many seconds forfeits the game." }),
  drainSeconds: integer({ name: "DRAIN_SECONDS", min: 0, max: 3600, default: 30, description: "On SIGTERM, how long players keep playing (after a notice) before they are disconnected with close code 4011." }),
  migrateOnDrain: boolean({ name: "MIGRATE_ON_DRAIN", default: true, description: "With Redis: on SIGTERM, move each live room to another ready replica (players keep their snake and score) instead of ending it after DRAIN_SECONDS. A replica with false also takes no room moving from another one." }),
  logLevel: choice({ name: "LOG_LEVEL", values: LOG_LEVELS, default: "info", description: "Structured JSON log level (pino)." }),
  redisUrl: text({
    name: "REDIS_URL", allowed: "redis://[user:pass@]host[:port][/db] or rediss://…", default: undefined, unsetMeans: "single process, no Redis",
    description: "Shared presence and matchmaking for several replicas. Needs a public address.", check: isRedisUrl,
  }),
  redisCluster: boolean({
    name: "REDIS_CLUSTER", default: false,
    description: "REDIS_URL is one node of a Redis Cluster (cluster mode, e.g. ElastiCache Serverless, Memorystore for Redis Cluster); the client finds the other nodes from it. Database 0 only.",
  }),
  publicAddress: text({
    name: "PUBLIC_ADDRESS", allowed: "host[:port][/path], no scheme", default: undefined,
    description: "Where clients reach this replica's WebSockets, e.g. games.example.com/game-0. Overrides PUBLIC_HOST + REPLICA_NAME.", check: publicAddressCheck,
  }),
  publicHost: text({
    name: "PUBLIC_HOST", allowed: "host[:port], no scheme", default: undefined,
    description: "Public host of the edge. With REPLICA_NAME gives PUBLIC_ADDRESS = PUBLIC_HOST/REPLICA_NAME.", check: (value) => HOST_PORT.test(value),
  }),
  replicaName: text({
    name: "REPLICA_NAME", allowed: "lowercase letters, digits and '-', starting with a letter", default: undefined,
    description: "Stable replica name (the pod name in Kubernetes); the edge routes /REPLICA_NAME/… to this replica.", check: (value) => /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/.test(value),
  }),
  replicaVersion: text({
    name: "REPLICA_VERSION", allowed: "1-63 characters: letters, digits, '.', '_', '-'", default: undefined, unsetMeans: "every replica counts as the same version",
    description: "What this replica runs, new with every rollout (the chart passes the pod's controller-revision-hash). New rooms and room moves prefer the newest version, so a rollout moves each game at most twice.",
    check: (value) => /^[A-Za-z0-9._-]{1,63}$/.test(value),
  }),
  routedReplicasFile: text({
    name: "ROUTED_REPLICAS_FILE", allowed: "a file path; REPLICA_NAME must then end in -<ordinal>", default: undefined, unsetMeans: "no route check",
    description: "File holding how many pods (ordinals 0..N-1) the edge routes; the Helm chart mounts it. A replica whose ordinal has none stays unready (/readyz 503) until the count covers it. Re-read while running.",
  }),
  webDist: text({ name: "WEB_DIST", allowed: "a directory path", default: "web/dist", description: "Built web client to serve at /." }),
  maxRooms: integer({
    name: "MAX_ROOMS", min: 1, max: 100000, default: 1000,
    description: "Rooms this replica holds at most, every game counted. Creating one more is answered 503, so the edge tries another replica. A load test of many small rooms on few replicas needs more.",
  }),
  maxCreatesPerMinute: integer({
    name: "MAX_CREATES_PER_MINUTE", min: 0, max: 100000, default: 30, note: "0: no limit",
    description: "`create` requests (a new room each) per client address and minute; more are answered 429 with Retry-After. The address is the last X-Forwarded-For entry (the edge's view of the client), else the socket's. A load test from one address creating rooms needs 0.",
  }),
  allowedOrigins: list({
    name: "ALLOWED_ORIGINS", allowed: "comma-separated origins (scheme://host[:port])", item: "origin", unsetMeans: "any origin, without credentials",
    description: "Web origins whose pages may call matchmaking and the HTTP API from the browser. Never with credentials: nothing here uses cookies.", check: originCheck,
  }),
};

export const ENV_VARS: readonly EnvVar[] = Object.values(ENV);

/** The declaration of one variable by its name; throws when it is not declared. */
export function envVar(name: string): EnvVar {
  const found = ENV_VARS.find((v) => v.name === name);
  if (!found) throw new Error(`${name} is not declared in rooms/server/config.ts`);
  return found;
}

type Settings = { [K in keyof typeof ENV]: ReturnType<(typeof ENV)[K]["parse"]> };

/**
 * The parsed environment. `publicAddress` is PUBLIC_ADDRESS, or else
 * PUBLIC_HOST/REPLICA_NAME: host[:port][/path] clients use to reach this
 * replica, or undefined for "same origin".
 */
export type Config = Omit<Settings, "publicHost" | "routedReplicasFile"> & {
  /** Where the routed pod count is, and this pod's ordinal; undefined: every pod is routed. */
  routeGuard: { file: string; ordinal: number } | undefined;
};

/** The pod ordinal in a StatefulSet pod name: `game-12` → 12; undefined without a numeric suffix. */
export function ordinalOf(replicaName: string): number | undefined {
  const match = /-(\d{1,6})$/.exec(replicaName);
  return match ? Number(match[1]) : undefined;
}

function routeGuardOf(file: string | undefined, replicaName: string | undefined): Config["routeGuard"] {
  if (file === undefined) return undefined;
  const ordinal = replicaName === undefined ? undefined : ordinalOf(replicaName);
  if (ordinal === undefined) {
    throw new ConfigError(`ROUTED_REPLICAS_FILE is set but REPLICA_NAME (${JSON.stringify(replicaName ?? "")}) does not end in -<ordinal>; set REPLICA_NAME to the pod name, e.g. game-3`);
  }
  return { file, ordinal };
}

/** The named fields of a config, e.g. the ones a room reads (its settings derive from Config this way). */
export function pickConfig<const K extends keyof Config>(config: Config, keys: readonly K[]): Pick<Config, K> {
  return Object.fromEntries(keys.map((key) => [key, config[key]])) as Pick<Config, K>;
}

/** Reads and validates the environment once; throws ConfigError naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const settings = Object.fromEntries(Object.entries(ENV).map(([key, spec]) => [key, spec.parse(env[spec.name])])) as Settings;
  const { publicHost, routedReplicasFile, ...parsed } = settings;
  const config: Config = { ...parsed, routeGuard: routeGuardOf(routedReplicasFile, parsed.replicaName) };

  if (config.publicAddress === undefined && publicHost !== undefined) {
    if (config.replicaName === undefined) {
      throw new ConfigError("PUBLIC_HOST is set but REPLICA_NAME is not; set REPLICA_NAME (e.g. the pod name) or PUBLIC_ADDRESS");
    }
    config.publicAddress = `${publicHost}/${config.replicaName}`;
  }
  if (config.redisCluster) {
    if (config.redisUrl === undefined) throw new ConfigError("REDIS_CLUSTER=true needs REDIS_URL: the address of any one node of the cluster");
    const db = new URL(config.redisUrl).pathname.replace(/^\//, "");
    if (db !== "" && db !== "0") invalid("REDIS_URL", config.redisUrl, ENV.redisUrl.allowed, "a Redis Cluster has database 0 only");
  }
  if (config.redisUrl !== undefined && config.publicAddress === undefined) {
    throw new ConfigError(
      "REDIS_URL is set but no public address is: with several replicas, clients would reach replicas that do not own their room. " +
      "Set PUBLIC_ADDRESS, or PUBLIC_HOST and REPLICA_NAME",
    );
  }
  return config;
}
