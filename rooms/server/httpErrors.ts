// Every HTTP error this server answers is plain JSON, `{ code, error }`, like
// matchmaking's: no HTML page, no stack trace, no file path. Always, not only
// with NODE_ENV=production: nothing here needs a debug page, and the log has
// the details.

import { STATUS_CODES } from "node:http";
import type { ErrorRequestHandler, RequestHandler } from "express";
import type { Logger } from "./logger.ts";

export function jsonError(status: number, error: string): { code: number; error: string } {
  return { code: status, error };
}

/** Last route: what no route answered. */
export const notFound: RequestHandler = (_req, res) => {
  res.status(404).json(jsonError(404, "not found"));
};

/**
 * Last middleware: errors thrown by routes and middleware. A 4xx from a
 * middleware (a malformed URL, say) keeps its status with the standard
 * phrase; anything else is a 500 whose details go to the log only.
 */
export function errorAnswers(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const declared = (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
    const status = typeof declared === "number" && declared >= 400 && declared < 500 ? declared : 500;
    if (status === 500) log.error({ err: error, path: req.path }, "HTTP request failed");
    res.status(status).json(jsonError(status, STATUS_CODES[status]?.toLowerCase() ?? "error"));
  };
}
