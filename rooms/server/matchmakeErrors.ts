// Colyseus answers matchmaking errors with its own codes (520-526) as the HTTP
// status, which proxies and HTTP clients read as server faults. This maps them
// to the HTTP status that says what happened, and gives a "room is locked"
// answer a message a player understands. The JSON body keeps Colyseus' `code`.

import type { IncomingMessage, Server as HttpServer, ServerResponse } from "node:http";

const STATUS_BY_COLYSEUS_CODE: Record<number, number> = {
  520: 404, // no handler: unknown room name
  521: 404, // no room matched (join without create)
  522: 404, // room id not found (or locked: see below)
  523: 503, // unhandled: e.g. no process can create rooms, or shutting down
  524: 410, // reconnection token expired
  525: 401, // onAuth refused
  526: 500, // application error in onCreate/onJoin
};

export function mapMatchmakeErrors(http: HttpServer): void {
  http.prependListener("request", (req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.startsWith("/matchmake/")) return;
    const writeHead = res.writeHead as (...args: unknown[]) => ServerResponse;
    const write = res.write as (...args: unknown[]) => boolean;
    const end = res.end as (...args: unknown[]) => ServerResponse;
    // An error answer is held back until its body is complete: its status depends on the body.
    let heldStatus: number | undefined;
    const heldBody: Buffer[] = [];

    res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      if (typeof args[0] === "number" && STATUS_BY_COLYSEUS_CODE[args[0]] !== undefined) heldStatus = args[0];
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
      let status = STATUS_BY_COLYSEUS_CODE[heldStatus]!;
      if (heldStatus === 522 && body.includes("is locked")) {
        status = 409;
        body = body.replace("is locked", "is full or closing");
      }
      heldStatus = undefined;
      this.removeHeader("content-length");
      writeHead.call(this, status);
      return end.call(this, body);
    } as typeof res.end;
  });
}
