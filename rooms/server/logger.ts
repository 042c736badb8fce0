// Structured JSON logs. The level comes from the config module, not from env.

import { pino, type Logger } from "pino";
import type { LogLevel } from "./config.ts";

export type { Logger };

export function createLogger(level: LogLevel, base: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { ...base }, timestamp: pino.stdTimeFunctions.isoTime });
}
