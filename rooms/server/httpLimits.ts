// Bounds on what one HTTP request may hold, shared by the server and the edges
// generated from deploy/edge/nginxConfig.ts, so both refuse the same requests.

/** Join options are a name and a flag; a few KB is generous and keeps bodies from holding memory. */
export const MAX_MATCHMAKE_BODY_BYTES = 4096;

/**
 * How long a client may take to send a whole HTTP request (headers and body).
 * Node's default (5 minutes) let unfinished bodies hold memory that long.
 */
export const REQUEST_TIMEOUT_MS = 10_000;
