// A room's drain and its moves between replicas, the kit's half: on SIGTERM
// the room either moves (freeze, snapshot, a successor with a seat for every
// member, each client told to follow) or lets its members finish for
// DRAIN_SECONDS; a successor holds its game still until its members are back.
// GameRoom owns one; the game only sees `running`.

import { ClientState, type Client, type Room } from "@colyseus/core";
import type { Logger } from "pino";
import { Arrival } from "./arrival.ts";
import type { MemberSnapshot, Mover, RoomSnapshot } from "./moving.ts";
import { drainNotice, migrateNotice } from "./notices.ts";
import { CLOSE_CODES, SERVER_MESSAGES, type SeatReservation } from "./protocol.ts";

/** How long a moving room waits for its next patch before it freezes: a tick at the slowest rate a game uses, and a bound. */
const PATCH_WAIT_MS = 200;
/** How often an arriving room checks whether its members are back. */
const ARRIVAL_CHECK_MS = 50;

export interface HandoffSettings {
  drainSeconds: number;
  reconnectSeconds: number;
  mover?: Mover;
}

export class Handoff {
  private readonly room: Room;
  private readonly settings: HandoffSettings;
  private readonly log: Logger;
  /** Called for each member whose seat in an arriving room ran out. */
  private readonly forget: (sessionId: string) => void;
  /** Set when the replica starts draining: when this room closes (clock ms). */
  private drainEndsAtMs: number | undefined;
  /** Set once the room has moved: each member's seat in the successor. */
  private forwarding: Map<string, SeatReservation> | undefined;
  private arrival: Arrival | undefined;
  /** No game while it is being moved (out, or not yet back in). */
  private frozen = false;
  /** Called after the room's next patch is sent (see moveOut()). */
  private readonly patchWaiters: (() => void)[] = [];

  constructor(room: Room, settings: HandoffSettings, log: Logger, forget: (sessionId: string) => void) {
    this.room = room;
    this.settings = settings;
    this.log = log;
    this.forget = forget;
  }

  get running(): boolean {
    return !this.frozen;
  }

  get draining(): boolean {
    return this.drainEndsAtMs !== undefined;
  }

  /** Players are told and keep playing for DRAIN_SECONDS; a room that moved closes once they have followed. */
  beginDrain(): void {
    if (this.drainEndsAtMs !== undefined) return;
    // Locking writes to the driver; with Redis gone that fails, and the drain goes on regardless.
    this.room.lock().catch(() => undefined);
    const drainMs = this.settings.drainSeconds * 1000;
    this.drainEndsAtMs = this.room.clock.currentTime + drainMs;
    this.room.clock.setTimeout(() => void this.room.disconnect(CLOSE_CODES.drained).catch(() => undefined), drainMs);
    if (this.forwarding) return;
    for (const client of this.room.clients) this.sendDrainNotice(client);
    this.log.info({ clients: this.room.clients.length, drainSeconds: this.settings.drainSeconds }, "draining room");
  }

  /**
   * The game is frozen from here on; `snapshot` is called once, frozen. False
   * if the room could not move: it then plays on, and beginDrain() tells its
   * players (the `draining` notice).
   */
  async moveOut(snapshot: () => RoomSnapshot): Promise<boolean> {
    const mover = this.settings.mover;
    if (!mover) return false;
    // Freeze right after a patch: the pause players see is then the move itself, not also part of a tick.
    await this.nextPatchSent();
    // No one joins a room that is leaving (its listing says locked).
    this.room.lock().catch(() => undefined);
    this.frozen = true;
    const frozenAt = performance.now();
    try {
      const taken = snapshot();
      const snapshotMs = performance.now() - frozenAt;
      const move = await mover.move(taken);
      this.forwarding = move.seats;
      // snapshotMs and frozenMs (freeze to notices) are read by bench:migration.
      this.log.info({ to: move.successor.roomId, processId: move.successor.processId, members: move.seats.size, snapshotMs, frozenMs: performance.now() - frozenAt }, "room moved");
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, "room could not move; it drains here");
      this.frozen = false;
      return false;
    }
    for (const client of this.room.clients) this.sendMigrate(client);
    return true;
  }

  /** The successor's side: hold the game until these members are back (or their seats run out). */
  arrive(members: readonly MemberSnapshot[]): void {
    // A member who was reconnecting when the room moved needs its seat for the rest of its window.
    this.room.seatReservationTimeout = Math.max(this.room.seatReservationTimeout, this.settings.reconnectSeconds + 5);
    this.arrival = new Arrival(members, this.room.clock.currentTime, this.room.seatReservationTimeout);
    this.frozen = true;
    const check = this.room.clock.setInterval(() => { if (this.settleArrival()) check.clear(); }, ARRIVAL_CHECK_MS);
  }

  /** True if this session is a member of the moved room arriving now (once each). */
  arrived(sessionId: string): boolean {
    return this.arrival?.arrived(sessionId) ?? false;
  }

  /** The room sent a patch (GameRoom calls this from broadcastPatch). */
  patchSent(): void {
    for (const resolve of this.patchWaiters.splice(0)) resolve();
  }

  /** Resolves once the next patch has gone out, or after PATCH_WAIT_MS (a room with nothing to send). */
  private nextPatchSent(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, PATCH_WAIT_MS);
      this.patchWaiters.push(() => { clearTimeout(timer); resolve(); });
    });
  }

  /** A client that took a seat reserved before the drain: it hears about the drain like everyone else. */
  greet(client: Client): void {
    if (this.drainEndsAtMs !== undefined && !this.forwarding) this.sendDrainNotice(client);
  }

  /** A reconnected client: dropped while the room moved, it follows now; while draining, it hears about it again. */
  tellAgain(client: Client): void {
    if (this.forwarding) this.sendMigrate(client);
    else if (this.drainEndsAtMs !== undefined) this.sendDrainNotice(client);
  }

  /** Resumes the game once its members are back, and forgets those who never came. True when settled. */
  private settleArrival(): boolean {
    const arrival = this.arrival;
    if (!arrival) return true;
    const now = this.room.clock.currentTime;
    for (const sessionId of arrival.expired(now)) this.forget(sessionId);
    // Colyseus marks a client JOINED right before it sends that client the full state.
    const hasState = (sessionId: string) => this.room.clients.getById(sessionId)?.state === ClientState.JOINED;
    if (!this.forwarding && this.frozen && !arrival.holding(now, hasState)) this.frozen = false;
    if (!arrival.done || this.frozen) return false;
    this.arrival = undefined;
    return true;
  }

  private sendMigrate(client: Client): void {
    client.send(SERVER_MESSAGES.migrate, migrateNotice(this.forwarding?.get(client.sessionId)));
  }

  private sendDrainNotice(client: Client): void {
    const seconds = Math.max(0, Math.ceil(((this.drainEndsAtMs ?? 0) - this.room.clock.currentTime) / 1000));
    client.send(SERVER_MESSAGES.draining, drainNotice(seconds, this.settings.mover !== undefined));
  }
}
