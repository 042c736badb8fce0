// `npm run edge:generate`: writes deploy/edge/nginx.compose.conf, the edge
// config docker-compose.yml mounts. test/deploy/edgeConfig.test.ts fails when
// the committed file differs from what this would write.

import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { renderEdgeConfig, type EdgeConfigOptions } from "./nginxConfig.ts";

export const COMPOSE_EDGE_FILE = fileURLToPath(new URL("nginx.compose.conf", import.meta.url));

/** The compose topology: services game-0 and game-1 on the server's default port, the edge on 8080. */
export const COMPOSE_EDGE: EdgeConfigOptions = {
  listen: 8080,
  replicas: [
    { name: "game-0", upstream: "game-0:2567" },
    { name: "game-1", upstream: "game-1:2567" },
  ],
  // Docker's embedded DNS: a recreated container gets a new address, and nginx follows it without a restart.
  resolver: "127.0.0.11",
};

export function renderComposeEdgeConfig(): string {
  return renderEdgeConfig(COMPOSE_EDGE);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(COMPOSE_EDGE_FILE, renderComposeEdgeConfig());
  console.log(`edge: wrote ${path.relative(process.cwd(), COMPOSE_EDGE_FILE)}`);
}
