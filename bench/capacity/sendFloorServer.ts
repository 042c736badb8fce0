// The send floor's sending side, run pinned to the server's core by
// sendFloor.ts: a `ws` server (the library the game server uses, with the same
// no-compression default) that sends one 175-byte binary message to every
// connected socket at 10 Hz, and reports its send count over IPC.

import { WebSocketServer } from "ws";
import type { AddressInfo } from "node:net";

const MESSAGE_BYTES = 175;
const TICK_MS = 100;

const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false });
const payload = Buffer.alloc(MESSAGE_BYTES, 7);
let sends = 0;

const timer = setInterval(() => {
  for (const socket of wss.clients) {
    socket.send(payload);
    sends += 1;
  }
}, TICK_MS);

wss.on("listening", () => process.send?.({ port: (wss.address() as AddressInfo).port }));
process.on("message", (message: { type?: string }) => {
  if (message.type === "count") process.send?.({ sends });
  if (message.type === "stop") {
    clearInterval(timer);
    for (const socket of wss.clients) socket.terminate();
    wss.close(() => process.exit(0));
  }
});
