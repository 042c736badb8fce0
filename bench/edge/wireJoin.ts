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
// or the state, and it writes HTTP and WebSocket frames itself on plain TCP
// sockets (one write per request or frame), since node:http and the ws
// library cost the load generator more than a join costs nginx.

import { connect, type Socket } from "node:net";
import { Protocol } from "@colyseus/sdk";
import { decode } from "@colyseus/schema";

/** A seat taken: the open socket, and when each step arrived (performance.now()). */
export interface WireSeat {
  roomId: string;
  joinedAtMs: number;
  /** Resolves when the first full state arrives (rejects if the socket closes first). */
  firstState: Promise<number>;
  /** Closes the WebSocket with `code` (a close frame, then the TCP end). */
  close(code: number): void;
}

interface SeatReservation {
  name: string;
  roomId: string;
  sessionId: string;
  processId: string;
  publicAddress?: string;
}

/** Bounds a matchmaking answer, or the WebSocket upgrade answer: a few hundred bytes each. */
const MAX_HEAD_BYTES = 64 * 1024;
/** Bounds one WebSocket frame from the server: a full state of a 32-player room is a few KB. */
const MAX_FRAME_BYTES = 1024 * 1024;
/** Any fixed key will do: the client need not check the server's answer to it. */
const WEBSOCKET_KEY = "dGhlIHNhbXBsZSBub25jZQ==";
const OPCODE_BINARY = 0x2;
const OPCODE_CLOSE = 0x8;

export class WireClient {
  private readonly host: string;
  private readonly port: number;
  /** Idle kept-alive HTTP connections to the edge. */
  private readonly idle: Socket[] = [];

  constructor(baseUrl: string) {
    const url = new URL(baseUrl);
    if (url.protocol !== "http:") throw new Error(`wire client: ${baseUrl} is not http://`);
    this.host = url.hostname;
    this.port = Number(url.port || 80);
  }

  /** One joinOrCreate, resolved at the JOIN_ROOM frame; rejects with the server's error otherwise. */
  async joinOrCreate(roomName: string, options: Record<string, unknown>): Promise<WireSeat> {
    const seat = await this.reserve(roomName, options);
    return this.connect(seat);
  }

  close(): void {
    for (const socket of this.idle.splice(0)) socket.destroy();
  }

  private reserve(roomName: string, options: Record<string, unknown>): Promise<SeatReservation> {
    const body = Buffer.from(JSON.stringify(options));
    const head = `POST /matchmake/joinOrCreate/${roomName} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\nAccept: application/json\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const socket = this.idle.pop() ?? this.openHttpConnection();
    return new Promise((resolve, reject) => {
      let buffered: Buffer = Buffer.alloc(0);
      const done = (error: Error | undefined, answer?: SeatReservation, keepAlive = false): void => {
        socket.off("data", onData).off("error", onError).off("close", onClose);
        if (keepAlive) this.idle.push(socket);
        else socket.destroy();
        if (error) reject(error);
        else resolve(answer!);
      };
      const onError = (error: Error): void => done(error);
      const onClose = (): void => done(new Error("matchmaking connection closed before an answer"));
      const onData = (chunk: Buffer): void => {
        buffered = Buffer.concat([buffered, chunk]);
        const response = parseHttpResponse(buffered);
        if (response === "incomplete") {
          if (buffered.length > MAX_HEAD_BYTES) done(new Error(`matchmaking answer over ${MAX_HEAD_BYTES} bytes`));
          return;
        }
        if (response instanceof Error) return done(response);
        let answer: Partial<SeatReservation> & { error?: string };
        try {
          answer = JSON.parse(response.body) as typeof answer;
        } catch {
          return done(new Error(`matchmaking answered ${response.status} without JSON`));
        }
        if (response.status !== 200 || answer.error !== undefined) return done(new Error(answer.error ?? `matchmaking answered ${response.status}`), undefined, response.keepAlive);
        if (!answer.roomId || !answer.sessionId || !answer.processId) return done(new Error("matchmaking answer without a seat"));
        done(undefined, answer as SeatReservation, response.keepAlive);
      };
      socket.on("data", onData).on("error", onError).on("close", onClose);
      socket.write(Buffer.concat([Buffer.from(head, "latin1"), body]));
    });
  }

  /** A connection for matchmaking requests, one at a time; while idle, a close or error just drops it. */
  private openHttpConnection(): Socket {
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      const at = this.idle.indexOf(socket);
      if (at >= 0) this.idle.splice(at, 1);
    });
    return socket;
  }

  private connect(seat: SeatReservation): Promise<WireSeat> {
    // The public address is host:port[/path]; without one the socket goes where matchmaking went.
    const address = seat.publicAddress ?? `${this.host}:${this.port}`;
    const slash = address.indexOf("/");
    const hostPort = slash < 0 ? address : address.slice(0, slash);
    const prefix = slash < 0 ? "" : address.slice(slash);
    const colon = hostPort.lastIndexOf(":");
    const path = `${prefix}/${seat.processId}/${seat.roomId}?sessionId=${encodeURIComponent(seat.sessionId)}`;
    const socket = connect({ host: hostPort.slice(0, colon), port: Number(hostPort.slice(colon + 1)), noDelay: true });
    socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostPort}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${WEBSOCKET_KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`, "latin1");

    let stateArrived: (atMs: number) => void;
    let stateLost: (error: Error) => void;
    const firstState = new Promise<number>((resolve, reject) => { stateArrived = resolve; stateLost = reject; });
    // A caller that drops the seat before the state arrives does not care.
    firstState.catch(() => undefined);

    return new Promise((resolve, reject) => {
      let upgraded = false;
      let joined = false;
      let buffered: Buffer = Buffer.alloc(0);
      const fail = (error: Error): void => {
        reject(error);
        stateLost(error);
        socket.destroy();
      };
      const onMessage = (data: Buffer): void => {
        const code = data[0];
        if (code === Protocol.JOIN_ROOM && !joined) {
          joined = true;
          socket.write(clientFrame(OPCODE_BINARY, Buffer.of(Protocol.JOIN_ROOM)));
          resolve({ roomId: seat.roomId, joinedAtMs: performance.now(), firstState, close: (closeCode) => closeSocket(socket, closeCode) });
        } else if (code === Protocol.ROOM_STATE) {
          stateArrived(performance.now());
        } else if (code === Protocol.ERROR) {
          const it = { offset: 1 };
          const errorCode = decode.number(data, it);
          fail(new Error(`server error ${errorCode}: ${decode.string(data, it)}`));
        }
      };
      socket.on("data", (chunk: Buffer) => {
        buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
        if (!upgraded) {
          const end = buffered.indexOf("\r\n\r\n");
          if (end < 0) {
            if (buffered.length > MAX_HEAD_BYTES) fail(new Error("upgrade answer too long"));
            return;
          }
          const statusLine = buffered.subarray(0, buffered.indexOf("\r\n")).toString("latin1");
          if (!/^HTTP\/1\.1 101 /.test(statusLine)) return fail(new Error(`upgrade refused: ${statusLine}`));
          upgraded = true;
          buffered = buffered.subarray(end + 4);
        }
        for (let frame = readFrame(buffered); frame !== undefined; frame = readFrame(buffered)) {
          if (frame instanceof Error) return fail(frame);
          buffered = buffered.subarray(frame.length);
          if (frame.opcode === OPCODE_CLOSE) {
            const closeCode = frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1005;
            return fail(new Error(`socket closed (${closeCode}) ${frame.payload.subarray(2).toString("utf8")}`.trim()));
          }
          if (frame.opcode === OPCODE_BINARY) onMessage(frame.payload);
        }
      });
      socket.on("error", fail);
      socket.on("close", () => fail(new Error("socket closed")));
    });
  }
}

type HttpResponse = { status: number; body: string; keepAlive: boolean };

/** A whole HTTP/1.1 response with a Content-Length body, "incomplete", or an error for one this client does not read. */
function parseHttpResponse(buffered: Buffer): HttpResponse | "incomplete" | Error {
  const end = buffered.indexOf("\r\n\r\n");
  if (end < 0) return "incomplete";
  const head = buffered.subarray(0, end).toString("latin1");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1]);
  const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
  if (!status) return new Error("matchmaking answer without a status line");
  if (length === undefined) return new Error(`matchmaking answered ${status} without Content-Length`);
  if (buffered.length < end + 4 + Number(length)) return "incomplete";
  return { status, body: buffered.subarray(end + 4, end + 4 + Number(length)).toString("utf8"), keepAlive: !/\r\nconnection: *close/i.test(head) };
}

/** One complete server frame at the start of `buffered` (servers do not mask), undefined if incomplete. */
function readFrame(buffered: Buffer): { opcode: number; payload: Buffer; length: number } | Error | undefined {
  if (buffered.length < 2) return undefined;
  const opcode = buffered[0]! & 0x0f;
  let length = buffered[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffered.length < 4) return undefined;
    length = buffered.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buffered.length < 10) return undefined;
    length = Number(buffered.readBigUInt64BE(2));
    offset = 10;
  }
  if (length > MAX_FRAME_BYTES) return new Error(`frame of ${length} bytes`);
  if (buffered.length < offset + length) return undefined;
  return { opcode, payload: buffered.subarray(offset, offset + length), length: offset + length };
}

/** A masked client frame (RFC 6455 requires clients to mask; a zero mask is a valid one). */
function clientFrame(opcode: number, payload: Buffer): Buffer {
  if (payload.length > 125) throw new Error("wire client frames are short");
  return Buffer.concat([Buffer.of(0x80 | opcode, 0x80 | payload.length, 0, 0, 0, 0), payload]);
}

function closeSocket(socket: Socket, code: number): void {
  const payload = Buffer.alloc(2);
  payload.writeUInt16BE(code);
  socket.removeAllListeners("close");
  socket.removeAllListeners("data");
  socket.on("error", () => undefined);
  socket.end(clientFrame(OPCODE_CLOSE, payload));
}
