// MAX_CREATES_PER_MINUTE: how many `create` requests (a new room each) one
// client address may make per minute. One minute window per address; the
// table forgets windows that have ended, so it holds at most the addresses
// seen in the last minute.

import type { IncomingMessage } from "node:http";

const WINDOW_MS = 60_000;
/** Past this many addresses, ended windows are swept out before a new one is added. */
const SWEEP_AT = 10_000;

/**
 * The client's address: the last X-Forwarded-For entry, which the edge in
 * front of the replica appends (what came before it, the client may have
 * written), else the socket's peer.
 */
export function clientAddress(req: IncomingMessage): string {
  const forwarded = req.headers["x-forwarded-for"];
  const last = (Array.isArray(forwarded) ? forwarded.join(",") : forwarded)?.split(",").at(-1)?.trim();
  return last || req.socket.remoteAddress || "unknown";
}

export class CreateLimit {
  private readonly perMinute: number;
  private readonly windows = new Map<string, { endsAtMs: number; count: number }>();

  /** `perMinute` 0: no limit. */
  constructor(perMinute: number) {
    this.perMinute = perMinute;
  }

  /** Counts one create for `address`; undefined if allowed, else seconds until it would be. */
  take(address: string, nowMs: number = Date.now()): number | undefined {
    if (this.perMinute === 0) return undefined;
    let window = this.windows.get(address);
    if (!window || nowMs >= window.endsAtMs) {
      if (this.windows.size >= SWEEP_AT) this.sweep(nowMs);
      window = { endsAtMs: nowMs + WINDOW_MS, count: 0 };
      this.windows.set(address, window);
    }
    if (window.count >= this.perMinute) return Math.max(1, Math.ceil((window.endsAtMs - nowMs) / 1000));
    window.count++;
    return undefined;
  }

  private sweep(nowMs: number): void {
    for (const [address, window] of this.windows) if (nowMs >= window.endsAtMs) this.windows.delete(address);
  }
}
