// A quick-play join spoken on the wire, for bench:edge --client wire: the
// documented protocol without the SDK, so a thousand joins a second cost the
// load generator little and what is measured is the edge and the replicas.
//
// The same steps as @colyseus/sdk's joinOrCreate: POST
// /matchmake/joinOrCreate/<room> with the JSON options (here over kept-alive
// HTTP connections, as a browser reuses its own), then a WebSocket to
// ws://<publicAddress>/<processId>/<roomId>?sessionId=…, joined when the
// JOIN_ROOM frame arrives (where the SDK resolves), which it then
// acknowledges, as the SDK does; the server sends the full state after that.
// What it skips is client work only: it does not decode the schema handshake
// or the state.

import { Agent, request } from "node:http";
import { Protocol } from "@colyseus/sdk";
import { decode } from "@colyseus/schema";
import WebSocket from "ws";

/** A seat taken: the open socket, and when each step arrived (performance.now()). */
export interface WireSeat {
  roomId: string;
  socket: WebSocket;
  joinedAtMs: number;
  /** Resolves when the first full state arrives (rejects if the socket closes first). */
  firstState: Promise<number>;
}

interface SeatReservation {
  name: string;
  roomId: string;
  sessionId: string;
  processId: string;
  publicAddress?: string;
}

/** Bounds the HTTP connections one load-generator thread keeps open to the edge. */
const MAX_HTTP_CONNECTIONS = 128;
/** Bounds a matchmaking answer: a seat reservation is a few hundred bytes. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export class WireClient {
  private readonly base: URL;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: MAX_HTTP_CONNECTIONS });

  constructor(baseUrl: string) {
    this.base = new URL(baseUrl);
  }

  /** One joinOrCreate, resolved at the JOIN_ROOM frame; rejects with the server's error otherwise. */
  async joinOrCreate(roomName: string, options: Record<string, unknown>): Promise<WireSeat> {
    const seat = await this.reserve(roomName, options);
    return this.connect(seat);
  }

  close(): void {
    this.agent.destroy();
  }

  private reserve(roomName: string, options: Record<string, unknown>): Promise<SeatReservation> {
    const body = JSON.stringify(options);
    return new Promise((resolve, reject) => {
      const req = request(new URL(`/matchmake/joinOrCreate/${roomName}`, this.base), {
        method: "POST",
        agent: this.agent,
        headers: { "Accept": "application/json", "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) },
      }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) res.destroy(new Error(`matchmaking answer over ${MAX_RESPONSE_BYTES} bytes`));
          else chunks.push(chunk);
        });
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let answer: Partial<SeatReservation> & { error?: string; code?: number };
          try {
            answer = JSON.parse(text) as typeof answer;
          } catch {
            reject(new Error(`matchmaking answered ${res.statusCode} without JSON`));
            return;
          }
          if (res.statusCode !== 200 || answer.error !== undefined) reject(new Error(answer.error ?? `matchmaking answered ${res.statusCode}`));
          else if (!answer.roomId || !answer.sessionId || !answer.processId) reject(new Error("matchmaking answer without a seat"));
          else resolve(answer as SeatReservation);
        });
      });
      req.on("error", reject);
      req.end(body);
    });
  }

  private connect(seat: SeatReservation): Promise<WireSeat> {
    const host = seat.publicAddress ?? `${this.base.host}${this.base.pathname.replace(/\/$/, "")}`;
    const socket = new WebSocket(`ws://${host}/${seat.processId}/${seat.roomId}?sessionId=${encodeURIComponent(seat.sessionId)}`, { perMessageDeflate: false });
    socket.binaryType = "nodebuffer";
    let stateArrived: (atMs: number) => void;
    let stateLost: (error: Error) => void;
    const firstState = new Promise<number>((resolve, reject) => { stateArrived = resolve; stateLost = reject; });
    // A caller that drops the seat before the state arrives does not care.
    firstState.catch(() => undefined);
    return new Promise((resolve, reject) => {
      let joined = false;
      socket.on("message", (data: Buffer) => {
        const code = data[0];
        if (code === Protocol.JOIN_ROOM && !joined) {
          joined = true;
          socket.send(Buffer.of(Protocol.JOIN_ROOM));
          resolve({ roomId: seat.roomId, socket, joinedAtMs: performance.now(), firstState });
        } else if (code === Protocol.ROOM_STATE) {
          stateArrived(performance.now());
        } else if (code === Protocol.ERROR) {
          const it = { offset: 1 };
          const errorCode = decode.number(data, it);
          reject(new Error(`server error ${errorCode}: ${decode.string(data, it)}`));
          socket.terminate();
        }
      });
      socket.on("error", (error) => reject(error));
      socket.on("close", (code, reason) => {
        const error = new Error(`socket closed (${code}) ${reason.toString()}`.trim());
        reject(error);
        stateLost(error);
      });
    });
  }
}
