// Helpers for tests that talk to replicas in other processes: nothing here
// reaches into a server, everything is what a client or an operator sees.

import type { ChildProcess } from "node:child_process";
import type { Room } from "@colyseus/sdk";
import { waitFor } from "./wait.ts";

/** sessionIds in the state this client decoded. */
export function playersOf(room: Room): string[] {
  const players = (room.state as { players?: Map<string, unknown> } | undefined)?.players;
  return players ? [...players.keys()] : [];
}

export function tickOf(room: Room): number {
  return ((room.state as { tick?: number } | undefined)?.tick) ?? -1;
}

/** Groups clients by room, and waits until each has decoded exactly its room mates. Returns the groups. */
export async function roomsSeeEachOther(clients: Room[]): Promise<Map<string, Room[]>> {
  const byRoom = new Map<string, Room[]>();
  for (const room of clients) byRoom.set(room.roomId, [...(byRoom.get(room.roomId) ?? []), room]);
  for (const [roomId, members] of byRoom) {
    const ids = members.map((m) => m.sessionId).sort();
    for (const member of members) {
      await waitFor(`${member.sessionId} sees all of room ${roomId}`, () => {
        const seen = playersOf(member).sort();
        return seen.length === ids.length && seen.every((id, i) => id === ids[i]);
      });
    }
  }
  return byRoom;
}

/** The replica a client's socket is routed to: the edge path prefix of its URL. */
export function replicaOf(room: Room): string | undefined {
  return /\/(game-\d+)\//.exec(room.connection.url ?? "")?.[1];
}

/** Waits until this client has decoded `ticks` more patches. */
export async function stillTicking(room: Room, ticks: number, timeoutMs = 5000): Promise<void> {
  const start = tickOf(room);
  await waitFor(`${ticks} more ticks in room ${room.roomId} (from ${start})`, () => tickOf(room) >= start + ticks, timeoutMs);
}

/**
 * Drops the socket the way the SDK treats as a network failure (it then
 * reconnects). Node's WebSocket cannot cut TCP, so this closes with Colyseus'
 * 4010 "may try reconnect", which both sides handle as a drop.
 */
export function terminateSocket(room: Room): void {
  (room.connection.transport as unknown as { ws: WebSocket }).ws.close(4010, "test: network drop");
}

export function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

export async function withTimeout<T>(what: string, promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms); });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
