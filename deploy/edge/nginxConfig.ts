// The edge's routing rules, in one place. docker-compose mounts the generated
// deploy/edge/nginx.compose.conf and deploy/local/edge.ts renders its own copy at
// start; both come from renderEdgeConfig, so they cannot disagree.
//
// Why per-replica routes: a Colyseus seat reservation names the replica that
// owns the room, and the SDK opens its socket at that replica's public address
// (host/<replica>/<processId>/<roomId>). Only a route keyed by the replica name
// gets the socket there. Cookie or IP stickiness cannot: the owning replica is
// where the room was created, not where the player first landed, and the SDK's
// reconnects reopen the same URL.

import { ConfigError, loadConfig } from "../../rooms/server/config.ts";
import { MAX_MATCHMAKE_BODY_BYTES, REQUEST_TIMEOUT_MS } from "../../rooms/server/httpLimits.ts";

export type EdgeMode = "per-replica" | "round-robin";

export interface EdgeReplica {
  /** Stable replica name, the first path segment of its public address (e.g. game-0). */
  name: string;
  /** host:port nginx proxies to (e.g. game-0:2567 or 127.0.0.1:40123). */
  upstream: string;
}

export interface EdgeConfigOptions {
  /** A port (all interfaces) or address:port (e.g. 127.0.0.1:8080). */
  listen: number | string;
  replicas: EdgeReplica[];
  /**
   * per-replica (default): the correct topology. round-robin: the deliberately
   * broken contrast for the benchmark: everything, sockets included, goes to
   * any replica, so a socket often reaches a replica that does not own its room.
   */
  mode?: EdgeMode;
  /** Absolute directory for the pid file, temp files and the access log, so nginx runs unprivileged from a temp dir. Unset: nginx's compiled-in paths, access log to stdout (containers). */
  runtimeDir?: string;
  /** DNS resolver (e.g. 127.0.0.11 in Docker) to re-resolve upstream host names while running; needs nginx >= 1.27.3. */
  resolver?: string;
}

/** First path segments the edge sends to any replica; a replica with one of these names would shadow them. */
export const SHARED_PATHS = ["matchmake", "api", "assets", "healthz", "readyz", "metrics"] as const;

/** Access log file name under runtimeDir: one JSON object per request, upstream included, so routing is observable. */
export const ACCESS_LOG_FILE = "access.log";

/** Socket idle timeouts: players may sit in a quiet room; nginx's 60 s default would cut them. */
const SOCKET_TIMEOUT_SECONDS = 3600;
/** A replica that fails (refused, timed out, or 503 while draining) is skipped for this long. */
const FAIL_TIMEOUT_SECONDS = 5;
/** Node's HTTP server closes idle keep-alive sockets after 5 s; nginx must give them up first or it races the close. */
const UPSTREAM_KEEPALIVE_SECONDS = 4;

const HOST_PORT = /^(\[[0-9a-f:]+\]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?):\d{1,5}$/i;
const LISTEN = /^((\[[0-9a-f:]+\]|[a-z0-9.-]+):)?\d{1,5}$/i;
/** Paths land inside nginx directives unquoted. */
const SAFE_PATH = /^\/[A-Za-z0-9._\/-]*$/;
const RESOLVER = /^[a-z0-9.:\[\]-]+$/i;

function validate(opts: EdgeConfigOptions): void {
  if (!LISTEN.test(String(opts.listen))) throw new Error(`edge: listen ${JSON.stringify(opts.listen)} is not a port or address:port`);
  if (opts.replicas.length === 0) throw new Error("edge: at least one replica is needed");
  const seen = new Set<string>();
  for (const { name, upstream } of opts.replicas) {
    // The replica-name rule is the server's own (REPLICA_NAME in rooms/server/config.ts), so the edge accepts exactly the names a replica accepts.
    try {
      loadConfig({ REPLICA_NAME: name });
    } catch (error) {
      if (error instanceof ConfigError) throw new Error(`edge: replica name: ${error.message}`);
      throw error;
    }
    if ((SHARED_PATHS as readonly string[]).includes(name)) throw new Error(`edge: replica name ${name} would shadow the shared /${name} route`);
    if (seen.has(name)) throw new Error(`edge: replica name ${name} appears twice`);
    seen.add(name);
    if (!HOST_PORT.test(upstream)) throw new Error(`edge: upstream ${JSON.stringify(upstream)} of ${name} is not host:port`);
  }
  if (opts.runtimeDir !== undefined && !SAFE_PATH.test(opts.runtimeDir)) {
    throw new Error(`edge: runtimeDir ${JSON.stringify(opts.runtimeDir)} must be an absolute path of letters, digits, '.', '_', '-' and '/'`);
  }
  if (opts.resolver !== undefined && !RESOLVER.test(opts.resolver)) throw new Error(`edge: resolver ${JSON.stringify(opts.resolver)} is not an address`);
}

/** nginx upstream block name for one replica (nginx names allow no '-'). */
export function replicaUpstreamName(name: string): string {
  return `replica_${name.replaceAll("-", "_")}`;
}

const ANY_UPSTREAM = "roomservice_any";
/** The same replicas without passive health marks: the fallback when every replica is marked failed. */
const EVERY_UPSTREAM = "roomservice_every";

function indent(lines: string[], depth: number): string[] {
  return lines.map((line) => (line === "" ? "" : `${"    ".repeat(depth)}${line}`));
}

/**
 * Request headers every location sends upstream. proxy_set_header is not
 * inherited by a location that sets its own, so each location gets the full list.
 * `upgrade`: pass WebSocket upgrades through; otherwise an empty Connection keeps
 * upstream connections alive.
 */
function forwardedHeaders(upgrade: boolean): string[] {
  return [
    "proxy_http_version 1.1;",
    "proxy_set_header Host $http_host;",
    "proxy_set_header X-Real-IP $remote_addr;",
    "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
    "proxy_set_header X-Forwarded-Proto $scheme;",
    "proxy_set_header X-Forwarded-Host $http_host;",
    ...(upgrade
      ? ["proxy_set_header Upgrade $http_upgrade;", "proxy_set_header Connection $connection_upgrade;"]
      : ['proxy_set_header Connection "";']),
  ];
}

function socketTimeouts(): string[] {
  return [
    "proxy_connect_timeout 5s;",
    `proxy_read_timeout ${SOCKET_TIMEOUT_SECONDS}s;`,
    `proxy_send_timeout ${SOCKET_TIMEOUT_SECONDS}s;`,
  ];
}

function upstreamServer(upstream: string, resolve: boolean, extra = ""): string {
  return `server ${upstream}${extra}${resolve ? " resolve" : ""};`;
}

function anyUpstream(name: string, opts: EdgeConfigOptions, resolve: boolean, passiveHealth: boolean): string[] {
  // max_fails=0: never mark a replica down, so every one is asked every time.
  const health = passiveHealth ? ` max_fails=1 fail_timeout=${FAIL_TIMEOUT_SECONDS}s` : " max_fails=0";
  return [
    `upstream ${name} {`,
    ...indent([
      // Shared memory: needed by `resolve`, and lets every worker see which replica failed.
      `zone ${name} 64k;`,
      ...opts.replicas.map((r) => upstreamServer(r.upstream, resolve, health)),
      "keepalive 32;",
      `keepalive_timeout ${UPSTREAM_KEEPALIVE_SECONDS}s;`,
    ], 1),
    "}",
  ];
}

/** Proxying to any replica, trying the next one on failure; `onNoReplica` handles nginx's own 502 (none left to try). */
function anyReplicaProxy(upstream: string, tries: number, onNoReplica: string): string[] {
  return [
    `proxy_pass http://${upstream};`,
    // No upgrades here: room sockets go to /<replica>/ (every replica has a public address), so a socket arriving here is a misconfiguration and fails plainly.
    ...forwardedHeaders(false),
    "proxy_connect_timeout 2s;",
    // Matchmaking may wait ~5 s after a replica was killed: Colyseus' remote call to it times out, then it cleans up and retries.
    "proxy_read_timeout 15s;",
    // Matchmaking is a POST and a draining replica answers it 503: retry it elsewhere. A retried POST at worst leaves a spare seat reservation that expires.
    "proxy_next_upstream error timeout http_502 http_503 non_idempotent;",
    `proxy_next_upstream_tries ${tries};`,
    "proxy_next_upstream_timeout 15s;",
    // Only nginx's own errors: a replica's answer (its 503 included) passes through untouched, once every replica was tried.
    `error_page 502 = ${onNoReplica};`,
    // Timed out everywhere: asking again would only wait again.
    "error_page 504 = @no_replica;",
    // A location with error_page directives of its own inherits none from the server.
    "error_page 413 @too_large;",
  ];
}

function perReplicaServer(opts: EdgeConfigOptions, resolve: boolean): string[] {
  const upstreams = opts.replicas.flatMap((r) => [
    `upstream ${replicaUpstreamName(r.name)} {`,
    ...indent([`zone ${replicaUpstreamName(r.name)} 64k;`, upstreamServer(r.upstream, resolve)], 1),
    "}",
  ]);
  const replicaLocations = opts.replicas.flatMap((r) => [
    "",
    // The server reads only the last two path segments (/<processId>/<roomId>), so the /<replica> prefix passes through unchanged.
    `location /${r.name}/ {`,
    ...indent([
      `proxy_pass http://${replicaUpstreamName(r.name)};`,
      ...forwardedHeaders(true),
      ...socketTimeouts(),
      "error_page 413 @too_large;",
    ], 1),
    "}",
  ]);
  const tries = Math.max(2, opts.replicas.length);
  return [
    ...anyUpstream(ANY_UPSTREAM, opts, resolve, true),
    "",
    ...anyUpstream(EVERY_UPSTREAM, opts, resolve, false),
    "",
    ...upstreams,
    "",
    "server {",
    ...indent([
      `listen ${opts.listen};`,
      // @every_replica is reached through error_page and has an error_page of its own.
      "recursive_error_pages on;",
      "",
      // Matchmaking, the web client, health and the room list: any healthy replica.
      "location / {",
      ...indent(anyReplicaProxy(ANY_UPSTREAM, tries, "@every_replica"), 1),
      "}",
      "",
      // Every replica was marked failed (e.g. all answered 503 while Redis was away): ask them all again rather than
      // answer for them, so players get the replicas' own reason, and matchmaking recovers the moment they do.
      "location @every_replica {",
      ...indent(anyReplicaProxy(EVERY_UPSTREAM, tries, "@no_replica"), 1),
      "}",
      ...replicaLocations,
      "",
      ...notPublic(),
      "",
      ...bodyTooLarge(),
      "",
      // No replica answered at all.
      "location @no_replica {",
      ...indent([
        "default_type application/json;",
        'add_header Retry-After 2 always;',
        // The matchmaking error shape ({code, error}) the SDK reports to the player.
        `return 503 '{"code":503,"error":"no game server is reachable right now; try again in a few seconds"}';`,
      ], 1),
      "}",
    ], 1),
    "}",
  ];
}

/**
 * /metrics is for Prometheus on the pod network, not the public: it names rooms,
 * counts players and shows process internals. (The server also refuses it to
 * anything that came through a proxy.) Case-insensitive, like the server's routes.
 */
function notPublic(): string[] {
  return [
    "location ~* ^/metrics(/|$) {",
    ...indent([
      "default_type application/json;",
      `return 404 '{"code":404,"error":"not found"}';`,
    ], 1),
    "}",
  ];
}

/** nginx's own 413 is an HTML page; players' clients read the matchmaking error shape. */
function bodyTooLarge(): string[] {
  return [
    "location @too_large {",
    ...indent([
      "default_type application/json;",
      `return 413 '{"code":413,"error":"request body over ${MAX_MATCHMAKE_BODY_BYTES} bytes"}';`,
    ], 1),
    "}",
  ];
}

function roundRobinServer(opts: EdgeConfigOptions, resolve: boolean): string[] {
  return [
    ...anyUpstream(ANY_UPSTREAM, opts, resolve, false),
    "",
    "server {",
    ...indent([
      `listen ${opts.listen};`,
      "",
      // Deliberately wrong (benchmark contrast): sockets reach whichever replica is next, owner or not.
      "location / {",
      ...indent([
        `proxy_pass http://${ANY_UPSTREAM};`,
        ...forwardedHeaders(true),
        ...socketTimeouts(),
      ], 1),
      "}",
    ], 1),
    "}",
  ];
}

/** Renders a complete nginx.conf for the edge. Throws on names or addresses that would make an unsafe or ambiguous config. */
export function renderEdgeConfig(opts: EdgeConfigOptions): string {
  validate(opts);
  const mode = opts.mode ?? "per-replica";
  const dir = opts.runtimeDir?.replace(/\/+$/, "");
  const resolve = opts.resolver !== undefined;

  const runtimePaths = dir === undefined ? [] : [
    `client_body_temp_path ${dir}/client_body;`,
    `proxy_temp_path ${dir}/proxy;`,
    `fastcgi_temp_path ${dir}/fastcgi;`,
    `uwsgi_temp_path ${dir}/uwsgi;`,
    `scgi_temp_path ${dir}/scgi;`,
  ];

  const http = [
    "server_tokens off;",
    ...runtimePaths,
    "",
    // The same bound as the server's: bodies over it never reach a replica.
    `client_max_body_size ${MAX_MATCHMAKE_BODY_BYTES};`,
    `client_header_timeout ${REQUEST_TIMEOUT_MS / 1000}s;`,
    `client_body_timeout ${REQUEST_TIMEOUT_MS / 1000}s;`,
    "",
    // Paths only, never query strings: a reconnect URL carries reconnectionToken, a bearer secret for a player's seat.
    "log_format edge escape=json",
    ...indent([
      `'{"time":"$time_iso8601","remote":"$remote_addr","request":"$request_method $uri $server_protocol","status":"$status",'`,
      `'"upstream":"$upstream_addr","upstreamStatus":"$upstream_status","seconds":"$request_time"}';`,
    ], 1),
    `access_log ${dir === undefined ? "/dev/stdout" : `${dir}/${ACCESS_LOG_FILE}`} edge;`,
    "",
    // Upgrade requests get "Connection: upgrade", plain requests "close".
    "map $http_upgrade $connection_upgrade {",
    ...indent(["default upgrade;", "'' close;"], 1),
    "}",
    ...(resolve ? ["", `resolver ${opts.resolver} valid=10s ipv6=off;`] : []),
    "",
    ...(mode === "round-robin" ? roundRobinServer(opts, resolve) : perReplicaServer(opts, resolve)),
  ];

  return [
    "# Generated by deploy/edge/nginxConfig.ts (renderEdgeConfig). Do not edit by hand.",
    `# mode: ${mode}; replicas: ${opts.replicas.map((r) => `${r.name}=${r.upstream}`).join(", ")}`,
    "",
    // Runs in the foreground as its launcher's child (compose, deploy/local/edge.ts), logging errors to stderr.
    "daemon off;",
    "worker_processes auto;",
    ...(dir === undefined ? [] : [`pid ${dir}/nginx.pid;`]),
    "error_log stderr warn;",
    "",
    "events {",
    // Each player socket holds two connections (client and upstream).
    ...indent(["worker_connections 4096;"], 1),
    "}",
    "",
    "http {",
    ...indent(http, 1),
    "}",
    "",
  ].join("\n");
}
