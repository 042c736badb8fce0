// Colyseus answers matchmaking from its own 'request' listener on the HTTP
// server. To refuse or adjust those answers we must be the only listener and
// call the originals ourselves: a second listener cannot stop the first.

import type { IncomingMessage, Server as HttpServer, ServerResponse } from "node:http";

export type FrontDoorHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** Puts `handler` in front of every request listener the server has now. */
export function installFrontDoor(http: HttpServer, handler: FrontDoorHandler): void {
  const listeners = http.listeners("request") as ((req: IncomingMessage, res: ServerResponse) => void)[];
  http.removeAllListeners("request");
  http.on("request", (req: IncomingMessage, res: ServerResponse) => {
    handler(req, res, () => { for (const listener of listeners) listener.call(http, req, res); });
  });
}
