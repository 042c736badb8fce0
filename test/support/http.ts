// Raw HTTP for tests that must control exactly what goes on the wire (a
// declared length with no body, an unfinished request), which fetch hides.

import { request, type IncomingHttpHeaders } from "node:http";
import { connect } from "node:net";
import { nextEvent } from "./wait.ts";

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * Sends the headers and `firstChunk` (if any) of a POST whose declared length
 * may be far larger, then waits for the answer without sending more.
 */
export function postWithoutFinishing(url: string, path: string, headers: Record<string, string>, firstChunk?: string, timeoutMs = 5000): Promise<RawAnswer> {
  return nextEvent<[RawAnswer]>(`an answer to POST ${path}`, (done) => {
    const req = request(`${url}${path}`, { method: "POST", headers });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => { body += chunk; });
      res.on("end", () => { done({ status: res.statusCode ?? 0, headers: res.headers, body }); req.destroy(); });
    });
    // The server may close the connection once it has answered; that is not a test failure.
    req.on("error", () => undefined);
    req.flushHeaders();
    if (firstChunk !== undefined) req.write(firstChunk);
  }, timeoutMs).then(([answer]) => answer);
}

/** Opens a TCP connection, writes `text`, and resolves with everything the server sends until it closes. */
export function untilServerCloses(port: number, text: string, timeoutMs: number): Promise<string> {
  return nextEvent<[string]>("the server to close the connection", (done) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(text));
    let received = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => { received += chunk; });
    socket.on("close", () => done(received));
    socket.on("error", () => undefined);
  }, timeoutMs).then(([received]) => received);
}
