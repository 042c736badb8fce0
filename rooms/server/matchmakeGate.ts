// The front door for matchmaking (POST /matchmake/…):
// - refuses at once, with a message, while this replica cannot matchmake
//   (Redis unreachable, or draining) instead of letting the request hang;
// - maps Colyseus' own error codes (520-526), which it sends as the HTTP
//   status and which proxies read as server faults, to the HTTP status that
//   says what happened. The JSON body keeps Colyseus' `code`.

import type { ServerResponse } from "node:http";
import type { FrontDoorHandler } from "./frontDoor.ts";

const STATUS_BY_COLYSEUS_CODE: Record<number, number> = {
  520: 404, // no handler: unknown room name
  521: 404, // no room matched (join without create)
  522: 404, // room id not found (or locked: see below)
  523: 503, // unhandled: e.g. no process can create rooms, or shutting down
  524: 410, // reconnection token expired
  525: 401, // onAuth refused
  526: 500, // application error in onCreate/onJoin
};

export interface MatchmakeGateOptions {
  /** Why this replica cannot matchmake now, or undefined when it can. */
  unavailable: () => string | undefined;
}

export function matchmakeGate({ unavailable }: MatchmakeGateOptions): FrontDoorHandler {
  return (req, res, next) => {
    if (!req.url?.startsWith("/matchmake/")) return next();
    const reason = unavailable();
    if (reason !== undefined) {
      const body = JSON.stringify({ code: 503, error: `matchmaking unavailable: ${reason}; try again shortly` });
      res.writeHead(503, { "content-type": "application/json", "retry-after": "1" }).end(body);
      return;
    }
    holdErrorAnswers(res);
    next();
  };
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
    let body = Buffer.concat(heldBody).toString("utf8");
    let status = STATUS_BY_COLYSEUS_CODE[heldStatus] ?? heldStatus;
    if (heldStatus === 522 && body.includes("is locked")) {
      status = 409;
      body = body.replace("is locked", "is full or closing");
    }
    // Colyseus answers a matchmake request during shutdown with a bare 503.
    if (heldStatus === 503 && body.trim() === "") body = JSON.stringify({ code: 503, error: "this replica is draining; matchmaking continues on other replicas" });
    heldStatus = undefined;
    this.removeHeader("content-length");
    writeHead.call(this, status, { "content-type": "application/json" });
    return end.call(this, body);
  } as typeof res.end;
}
