// Cross-origin access to matchmaking and the HTTP API. Nothing here uses
// cookies, so no answer ever allows credentials: a page on another origin may
// call matchmaking (by default any origin may), but never with the player's
// cookies. ALLOWED_ORIGINS narrows the origins.

import { matchMaker } from "@colyseus/core";

export type CorsHeaders = Record<string, string>;

const PREFLIGHT_HEADERS: CorsHeaders = {
  "Access-Control-Allow-Headers": "Origin, X-Requested-With, Content-Type, Accept, Authorization",
  "Access-Control-Allow-Methods": "GET,HEAD,POST,OPTIONS",
  "Access-Control-Max-Age": "86400",
};

/**
 * The origin headers for one request. `allowedOrigins` undefined: any origin,
 * answered with "*". A list: only those origins, echoed back (with
 * Vary: Origin, so caches keep answers apart); others get no
 * Access-Control-Allow-Origin, and the browser refuses the answer to the page.
 */
export function corsHeadersFor(allowedOrigins: readonly string[] | undefined, origin: string | null | undefined): CorsHeaders {
  if (allowedOrigins === undefined) return { "Access-Control-Allow-Origin": "*" };
  if (origin && allowedOrigins.includes(origin)) return { "Access-Control-Allow-Origin": origin, Vary: "Origin" };
  return { Vary: "Origin" };
}

/**
 * Colyseus adds its CORS headers to every HTTP answer, by default echoing any
 * Origin with Access-Control-Allow-Credentials: true. Its controller is
 * process-wide, like the rest of the matchmaker: replace both parts here.
 */
export function applyCorsPolicy(allowedOrigins: readonly string[] | undefined): void {
  const controller = matchMaker.controller as { DEFAULT_CORS_HEADERS: CorsHeaders; getCorsHeaders(headers: Headers): CorsHeaders };
  controller.DEFAULT_CORS_HEADERS = { ...PREFLIGHT_HEADERS };
  controller.getCorsHeaders = (headers) => corsHeadersFor(allowedOrigins, headers.get("origin"));
}
