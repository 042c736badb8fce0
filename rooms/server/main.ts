// Entry point: read the config once, start, and drain on SIGTERM/SIGINT.

import { ConfigError, loadConfig } from "./config.ts";
import { createLogger } from "./logger.ts";
import { startServer } from "./server.ts";

let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`roomservice: configuration error: ${error.message}`);
  process.exit(2);
}

const log = createLogger(config.logLevel, { replica: config.replicaName ?? null });
const running = await startServer(config, log);

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    const result = await running.lifecycle.drain();
    process.exit(result === "drained" ? 0 : 1);
  });
}
