// Container liveness probe: exits 0 when this replica's /healthz answers 200.
// The image has no curl, so it uses Node's fetch. The port comes from the same
// config module the server reads, so the probe follows PORT and HOST.
//
//   node deploy/healthcheck.ts

import { loadConfig } from "../rooms/server/config.ts";

const PROBE_TIMEOUT_MS = 2000;

/** A wildcard bind is reachable on loopback; a specific address is probed where it listens. */
function probeHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

try {
  const config = loadConfig();
  const res = await fetch(`http://${probeHost(config.host)}:${config.port}/healthz`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
  if (res.status !== 200) throw new Error(`/healthz answered ${res.status}`);
  process.exit(0);
} catch (error) {
  console.error(`healthcheck: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
