// One WebSocket frame per patch, shared by every client of a room.
//
// Colyseus encodes a room's patch once and hands the same bytes to each
// client; `ws` then frames them again for every socket (a header buffer, a
// corked pair of writes, a writev with its own arrays). Under load that framing
// was a third of everything the server allocated (a sampling heap profile with
// 1,000 players). Here the frame is built once per distinct payload and each
// socket gets one plain write of it: the same bytes on the wire.
//
// Only the simple case takes this path: an open socket, a binary payload, no
// callback, and `ws`'s sender idle (nothing queued; it queues only while
// compressing, which we never enable, or while reading a Blob, which we never
// send). Anything else goes through `ws.send` as before.

import { WebSocketClient } from "@colyseus/ws-transport";
import { WebSocket } from "ws";

/** What `ws` keeps private and this path relies on (ws 8): the socket and the sender's queue state. */
interface WsInternals {
  _socket: { write(chunk: Uint8Array): boolean };
  _sender: { _state: number; _queue: unknown[] };
}

const SENDER_IDLE = 0;
const FIN_BINARY = 0x82;

/** A server-to-client frame (unmasked, final, binary) holding `payload`. */
export function binaryFrame(payload: Uint8Array): Buffer {
  const length = payload.length;
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = FIN_BINARY;
  if (header === 2) frame[1] = length;
  else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.set(payload, header);
  return frame;
}

let installed = false;

/** Routes WebSocketClient.raw through the shared frame; idempotent. */
export function installFramedSends(): void {
  if (installed) return;
  installed = true;
  const send = WebSocketClient.prototype.raw;
  // The last payload framed, compared by content (cheap at patch sizes), so a
  // buffer reused for other bytes can never get a stale frame.
  let lastPayload: Buffer = Buffer.alloc(0);
  let lastFrame: Buffer = binaryFrame(lastPayload);
  WebSocketClient.prototype.raw = function raw(this: WebSocketClient, data: Uint8Array, options?: unknown, cb?: (err?: Error) => void): void {
    const ws = this.ref as WebSocket & Partial<WsInternals>;
    const sender = ws._sender;
    if (options !== undefined || cb !== undefined || !(data instanceof Uint8Array) || ws.readyState !== WebSocket.OPEN ||
        !ws._socket || !sender || sender._state !== SENDER_IDLE || sender._queue.length > 0) {
      send.call(this, data, options as never, cb);
      return;
    }
    if (data.length !== lastPayload.length || Buffer.compare(data, lastPayload) !== 0) {
      lastPayload = Buffer.from(data);
      lastFrame = binaryFrame(data);
    }
    ws._socket.write(lastFrame);
  };
}
