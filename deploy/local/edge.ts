// The topology's nginx edge. Its config comes from deploy/edge/nginxConfig.ts,
// like compose's, so the routing is the same; it listens on loopback and keeps
// its pid, temp files and access log in the cluster's runtime directory.

import { writeFileSync } from "node:fs";
import path from "node:path";
import { ACCESS_LOG_FILE, renderEdgeConfig, type EdgeMode } from "../edge/nginxConfig.ts";
import { inheritedEnv, spawnChild, waitUntil, type Starting } from "./children.ts";
import { answers200 } from "./probes.ts";

/** How long nginx may take to exit on SIGTERM before it is killed. */
export const EDGE_STOP_MS = 5000;

export interface LocalEdge {
  port: number;
  mode: EdgeMode;
  /** Holds nginx.conf, the pid, temp files and the access log. */
  runtimeDir: string;
  replicas: readonly { name: string; port: number }[];
}

/** The edge's access log: one JSON object per request, with the upstream that served it. */
export function accessLogPathOf(runtimeDir: string): string {
  return path.join(runtimeDir, ACCESS_LOG_FILE);
}

/** nginx.conf for the edge; throws (prefixed "cluster:") on a name the edge refuses: duplicate, invalid, shadowing a shared path. */
export function renderLocalEdge(edge: LocalEdge): string {
  try {
    return renderEdgeConfig({
      listen: `127.0.0.1:${edge.port}`,
      replicas: edge.replicas.map((r) => ({ name: r.name, upstream: `127.0.0.1:${r.port}` })),
      mode: edge.mode,
      runtimeDir: edge.runtimeDir,
    });
  } catch (error) {
    throw new Error(`cluster: ${(error as Error).message}`);
  }
}

/** Writes the rendered config and starts nginx with it; ready when /healthz answers 200 through the edge. */
export function startEdge(options: { binary: string; runtimeDir: string; config: string; port: number; log: (line: string) => void; timeoutMs: number }): Starting {
  const { binary, runtimeDir, config, port, log, timeoutMs } = options;
  const configPath = path.join(runtimeDir, "nginx.conf");
  writeFileSync(configPath, config);
  // -e: errors to stderr from the first line, before the config is read (the compiled-in log path may not be writable).
  const child = spawnChild("edge", binary, ["-e", "stderr", "-p", runtimeDir, "-c", configPath], inheritedEnv(), log);
  return { child, ready: waitUntil(child, `answering /healthz through the edge on port ${port}`, () => answers200(`http://127.0.0.1:${port}/healthz`), timeoutMs) };
}
