// Entry point: read the config once, start, and drain on SIGTERM/SIGINT.
// Lines for the person at the terminal go to stderr; stdout stays JSON logs.

import { constants as osConstants } from "node:os";
import { ConfigError, loadConfig, type Config } from "./config.ts";
import { createLogger } from "./logger.ts";
import { PortInUseError } from "./port.ts";
import { startServer } from "./server.ts";

const say = (line: string): void => void process.stderr.write(`roomservice: ${line}\n`);

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  say(`configuration error: ${error.message}`);
  process.exit(2);
}

const log = createLogger(config.logLevel, { replica: config.replicaName ?? null });
let running;
try {
  running = await startServer(config, log);
} catch (error) {
  if (!(error instanceof PortInUseError)) throw error;
  say(error.message);
  process.exit(1);
}
const { lifecycle } = running;

if (config.publicAddress) {
  // Behind an edge, players come in through it, not to this port.
  say(`listening on port ${running.port}; players reach this replica through the edge at ${config.publicAddress.split("/")[0]}`);
} else {
  const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  say(`open http://${host}:${running.port} to play; Ctrl-C stops (set DRAIN_SECONDS=0 to skip the drain)`);
}

function drainLine(signal: NodeJS.Signals): string {
  const again = signal === "SIGINT" ? "press Ctrl-C again to stop now" : `send ${signal} again to stop now`;
  const players = lifecycle.players;
  if (players === 0) return "stopping: no players connected";
  const who = players === 1 ? "1 player has" : `${players} players have`;
  const moving = config.redisUrl && config.migrateOnDrain ? " (or moves to another replica)" : "";
  return `draining: ${who} ${config.drainSeconds} s${moving}; ${again}`;
}

// npm forwards the terminal's Ctrl-C to its script, which the terminal has
// already signalled: under npm one press arrives twice within milliseconds.
const SAME_PRESS_MS = 300;
let firstSignalAt: number | undefined;

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, async () => {
    if (firstSignalAt !== undefined) {
      if (process.env.npm_lifecycle_event && performance.now() - firstSignalAt < SAME_PRESS_MS) return;
      log.warn({ signal }, `second ${signal}: stopping now without draining`);
      say(`second ${signal === "SIGINT" ? "Ctrl-C" : signal}: stopping now`);
      process.exit(128 + osConstants.signals[signal]);
    }
    firstSignalAt = performance.now();
    say(drainLine(signal));
    const result = await lifecycle.drain(signal);
    process.exit(result === "drained" ? 0 : 1);
  });
}
