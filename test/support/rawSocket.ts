// A WebSocket client written on a bare TCP socket, for what the SDK and Node's
// WebSocket cannot do: stop reading while still sending (pongs included), as a
// client that lets the server's queue for it grow would.

import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";
import { nextEvent } from "./wait.ts";

const OPCODE_BINARY = 0x2;
const OPCODE_PONG = 0xa;

/** A masked client frame (payloads under 126 bytes, which is all these tests send). */
function frame(opcode: number, payload: Uint8Array): Buffer {
  if (payload.length >= 126) throw new Error("rawSocket: payloads of 126 bytes or more are not supported");
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length]), mask, masked]);
}

export interface RawSocket {
  socket: Socket;
  sendBinary(bytes: Uint8Array): void;
  /** An unsolicited pong, which keeps ws' heartbeat from dropping the connection. */
  sendPong(): void;
  /** From now on nothing is read: the kernel's receive buffer fills, then the server's send buffer. */
  stopReading(): void;
}

/** Opens a WebSocket at `path` on 127.0.0.1:`port` and resolves once the server accepted the upgrade. */
export async function openRawSocket(port: number, path: string): Promise<RawSocket> {
  const socket = connect(port, "127.0.0.1");
  const key = randomBytes(16).toString("base64");
  socket.write([
    `GET ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, "Upgrade: websocket", "Connection: Upgrade",
    `Sec-WebSocket-Key: ${key}`, "Sec-WebSocket-Version: 13", "", "",
  ].join("\r\n"));
  const [head] = await nextEvent<[string]>("the upgrade answer", (done) => {
    let received = "";
    const onData = (chunk: Buffer): void => {
      received += chunk.toString("latin1");
      if (!received.includes("\r\n\r\n")) return;
      socket.off("data", onData);
      done(received);
    };
    socket.on("data", onData);
  });
  if (!head.startsWith("HTTP/1.1 101")) throw new Error(`upgrade refused: ${head.split("\r\n")[0]}`);
  // Keep reading (and discarding) until told to stop.
  socket.on("data", () => undefined);
  socket.on("error", () => undefined);
  return {
    socket,
    sendBinary: (bytes) => { socket.write(frame(OPCODE_BINARY, bytes)); },
    sendPong: () => { socket.write(frame(OPCODE_PONG, new Uint8Array())); },
    stopReading: () => {
      socket.removeAllListeners("data");
      socket.pause();
    },
  };
}
