import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { WebSocket, WebSocketServer } from "ws";
import { binaryFrame } from "./framedSends.ts";

/** Writes `binaryFrame(payload)` straight to a real server socket and returns what a real `ws` client decoded. */
async function roundTrip(payload: Uint8Array): Promise<Buffer> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise((resolve) => wss.once("listening", resolve));
  wss.on("connection", (socket) => (socket as unknown as { _socket: { write(b: Buffer): void } })._socket.write(binaryFrame(payload)));
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no message within 5 s")), 5000);
      client.once("message", (data, isBinary) => {
        clearTimeout(timer);
        assert.equal(isBinary, true);
        resolve(data as Buffer);
      });
      client.once("error", reject);
    });
  } finally {
    client.terminate();
    await new Promise((resolve) => wss.close(resolve));
  }
}

describe("binaryFrame", () => {
  for (const length of [0, 125, 126, 175, 65_535, 65_536]) {
    it(`frames a ${length}-byte payload that a ws client decodes byte for byte`, async () => {
      const payload = Buffer.alloc(length);
      for (let i = 0; i < length; i++) payload[i] = (i * 31 + 7) & 0xff;
      assert.deepEqual(await roundTrip(payload), payload);
    });
  }
});
