// The front door for matchmaking (POST /matchmake/…):
// - refuses at once, with a message, while this replica cannot matchmake
//   (Redis unreachable, or draining) instead of letting the request hang;
// - reads the body itself, at most MAX_MATCHMAKE_BODY_BYTES (413 past that,
//   before reading any of it when the length is declared), checks it
//   (matchmakeBody.ts) and hands Colyseus only the parsed result;
// - answers 429 to a client address past MAX_CREATES_PER_MINUTE `create`s;
// - maps Colyseus' own error codes (520-526), which it sends as the HTTP
//   status and which proxies read as server faults, to the HTTP status that
//   says what happened. The JSON body keeps Colyseus' `code`;
// - answers quick play (quickJoin.ts) itself, without Colyseus' HTTP router:
//   that router turns every request into a Fetch API Request and back, about
//   half a millisecond of CPU per join, most of a join's HTTP cost in a storm.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { CorsHeaders } from "./cors.ts";
import { clientAddress, type CreateLimit } from "./createLimit.ts";
import type { FrontDoorHandler } from "./frontDoor.ts";
import { MAX_MATCHMAKE_BODY_BYTES } from "./httpLimits.ts";
import { checkMatchmakeBody, type OptionsSchemas } from "./matchmakeBody.ts";

const STATUS_BY_COLYSEUS_CODE: Record<number, number> = {
  520: 404, // no handler: unknown room name
  521: 404, // no room matched (join without create)
  522: 404, // room id not found (or locked: see below)
  523: 503, // unhandled: e.g. no process can create rooms, or shutting down (or full: see below)
  524: 410, // reconnection token expired
  525: 401, // onAuth refused
  526: 500, // application error in onCreate/onJoin
};

export interface MatchmakeGateOptions {
  /** Why this replica cannot matchmake now, or undefined when it can. */
  unavailable: () => string | undefined;
  /** Join options schemas by room name. */
  optionsSchemas: OptionsSchemas;
  /** CORS headers for an answer given here rather than by Colyseus. */
  corsHeaders: (req: IncomingMessage) => CorsHeaders;
  /** MAX_CREATES_PER_MINUTE per client address. */
  creates: CreateLimit;
  /**
   * The seat reservation for a request answered here rather than by Colyseus'
   * router, or undefined for one left to Colyseus. Rejects as Colyseus'
   * matchmaker does (an error with a `code`).
   */
  quickPlay?: (method: string, roomName: string, options: Record<string, unknown>, req: IncomingMessage) => Promise<unknown> | undefined;
}

const MATCHMAKE_PATH = /^\/matchmake\/(\w+)\/([^/?#]+)/;

export function matchmakeGate({ unavailable, optionsSchemas, corsHeaders, creates, quickPlay }: MatchmakeGateOptions): FrontDoorHandler {
  return (req, res, next) => {
    if (!req.url?.startsWith("/matchmake/")) return next();
    const answer = (status: number, error: string, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { ...corsHeaders(req), ...headers, "content-type": "application/json" }).end(JSON.stringify({ code: status, error }));
    };
    const reason = unavailable();
    if (reason !== undefined) return answer(503, `matchmaking unavailable: ${reason}; try again shortly`, { "retry-after": "1" });
    const route = MATCHMAKE_PATH.exec(req.url);
    if (req.method !== "POST" || !route) return next();
    if (route[1] === "create") {
      const retryAfterSeconds = creates.take(clientAddress(req));
      if (retryAfterSeconds !== undefined) {
        return answer(429, "too many new rooms from your address (MAX_CREATES_PER_MINUTE); join one instead, or try again later", { "retry-after": String(retryAfterSeconds) });
      }
    }

    const tooLarge = (): void => answer(413, `request body over ${MAX_MATCHMAKE_BODY_BYTES} bytes`, { connection: "close" });
    if (Number(req.headers["content-length"] ?? 0) > MAX_MATCHMAKE_BODY_BYTES) return tooLarge();
    void readBody(req, MAX_MATCHMAKE_BODY_BYTES).then((text) => {
      if (text === undefined) return tooLarge();
      const verdict = checkMatchmakeBody(route[1]!, route[2]!, text, optionsSchemas);
      if (!verdict.ok) return answer(verdict.status, verdict.error);
      const seat = quickPlay?.(route[1]!, route[2]!, verdict.body, req);
      if (seat) {
        // With a length, not chunked, as Colyseus answers (some clients read no chunked answer).
        const send = (status: number, body: string): void => {
          res.writeHead(status, { ...corsHeaders(req), "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
        };
        seat.then((reservation) => send(200, JSON.stringify(reservation)), (error: { code?: unknown; message?: string }) => {
          const code = typeof error.code === "number" && error.code >= 400 && error.code < 600 ? error.code : 500;
          const mapped = answerFor(code, JSON.stringify({ code, error: error.message ?? "matchmaking failed" }));
          send(mapped.status, mapped.body);
        });
        return;
      }
      // Colyseus reads a body already on the request instead of the stream.
      (req as IncomingMessage & { body?: unknown }).body = verdict.body;
      holdErrorAnswers(res);
      next();
    }, () => res.destroy());
  };
}

/** The body as text, or undefined as soon as it passes `maxBytes` (then nothing more is kept). */
function readBody(req: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        req.off("data", onData);
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.once("error", reject);
  });
}

/** An error answer is held back until its body is complete: its status depends on the body. */
function holdErrorAnswers(res: ServerResponse): void {
  const writeHead = res.writeHead as (...args: unknown[]) => ServerResponse;
  const write = res.write as (...args: unknown[]) => boolean;
  const end = res.end as (...args: unknown[]) => ServerResponse;
  let heldStatus: number | undefined;
  const heldBody: Buffer[] = [];

  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    const status = args[0];
    if (typeof status === "number" && (STATUS_BY_COLYSEUS_CODE[status] !== undefined || status === 503)) heldStatus = status;
    else writeHead.apply(this, args);
    return this;
  } as typeof res.writeHead;

  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    if (heldStatus === undefined) return write.call(this, chunk, ...rest);
    heldBody.push(Buffer.from(chunk as Uint8Array));
    return true;
  } as typeof res.write;

  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    if (heldStatus === undefined) return end.call(this, chunk, ...rest);
    if (chunk !== undefined && typeof chunk !== "function") heldBody.push(Buffer.from(chunk as Uint8Array));
    const { status, body } = answerFor(heldStatus, Buffer.concat(heldBody).toString("utf8"));
    heldStatus = undefined;
    this.removeHeader("content-length");
    writeHead.call(this, status, { "content-type": "application/json" });
    return end.call(this, body);
  } as typeof res.end;
}

/** The HTTP status and body for an error answer Colyseus gave as `colyseusStatus` with `colyseusBody`. */
function answerFor(colyseusStatus: number, colyseusBody: string): { status: number; body: string } {
  let body = colyseusBody;
  let status = STATUS_BY_COLYSEUS_CODE[colyseusStatus] ?? colyseusStatus;
  if (colyseusStatus === 522 && body.includes("is locked")) {
    status = 409;
    body = body.replace("is locked", "is full or closing");
  }
  // A game room refuses a seat of a kind it has no more of (rooms/kit/seats.ts); Colyseus calls that unhandled.
  if (colyseusStatus === 523 && body.includes("is already full")) {
    status = 409;
    body = body.replace("is already full", "is full");
  }
  // Colyseus' message for a failed onCreate/onJoin is the room's own error text: keep it in the log only.
  if (status === 500) body = JSON.stringify({ code: 500, error: "the room could not be started" });
  // Colyseus answers a matchmake request during shutdown with a bare 503.
  if (colyseusStatus === 503 && body.trim() === "") body = JSON.stringify({ code: 503, error: "this replica is draining; matchmaking continues on other replicas" });
  return { status, body };
}
