// A client that stops reading must not make the server queue for it without
// bound: whatever it does not read waits in its socket's send buffer. A
// socket whose buffer stays over SEND_BUFFER_LIMIT_BYTES for
// SLOW_CONSUMER_GRACE_MS is cut (close code CLOSE_CODES.slowConsumer, then the
// TCP connection, since its close frame would wait behind the rest). Pongs and
// other frames it may still send change nothing. An honest client on a
// stalled network reconnects like after any drop.

import { slowConsumersCut } from "../kit/metrics.ts";
import { CLOSE_CODES } from "../kit/protocol.ts";
import type { Logger } from "./logger.ts";

/** Several full states of a large room; a healthy client drains it in well under the grace time. */
export const SEND_BUFFER_LIMIT_BYTES = 256 * 1024;
export const SLOW_CONSUMER_GRACE_MS = 2000;
const CHECK_EVERY_MS = 250;

/** What this needs of a ws WebSocket and its server. */
export interface WatchedSocket {
  readonly bufferedAmount: number;
  close(code: number, reason: string): void;
  terminate(): void;
}
export interface WatchedSockets {
  readonly clients: Iterable<WatchedSocket>;
}

/** Checks every socket of `sockets` a few times a second; stop() ends it. */
export function cutSlowConsumers(sockets: WatchedSockets, log: Logger): { stop(): void } {
  const overSince = new WeakMap<WatchedSocket, number>();
  const timer = setInterval(() => {
    const now = Date.now();
    for (const socket of sockets.clients) {
      if (socket.bufferedAmount <= SEND_BUFFER_LIMIT_BYTES) {
        overSince.delete(socket);
        continue;
      }
      const since = overSince.get(socket) ?? now;
      overSince.set(socket, since);
      if (now - since < SLOW_CONSUMER_GRACE_MS) continue;
      log.warn({ bufferedBytes: socket.bufferedAmount }, "cutting a client that does not read");
      slowConsumersCut.inc();
      socket.close(CLOSE_CODES.slowConsumer, "too slow: the server's send buffer for you is full");
      socket.terminate();
    }
  }, CHECK_EVERY_MS);
  // Never what keeps the process alive.
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
