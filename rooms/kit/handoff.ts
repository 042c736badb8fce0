// A room's drain and its moves between replicas, the kit's half: on SIGTERM
// the room either moves or lets its members finish for DRAIN_SECONDS.
//
// A move is make-before-break. The successor is built on another replica from
// the game as it is now and reserves a seat for every member; the members are
// told (`migrate`) and open their sockets to it while the game plays on here.
// Once they are all there (or after PREPARE_MS), the room freezes right after a
// patch and sends the game as it is at that tick: the successor shows it to
// its members and plays on. The pause is that one round trip, not every
// member's reconnect. If the cut-over fails, the room plays on and moves the
// classic way (freeze, snapshot, a new successor, then the members follow).
// The successor's side is arriving.ts. GameRoom owns one; the game only sees
// `running`.

import type { Client, Room } from "@colyseus/core";
import type { Logger } from "pino";
import { ArrivingRoom, type ArrivingHost, type CutOverFrom } from "./arriving.ts";
import type { CutOver, MemberSnapshot, Move, Mover, RoomSnapshot } from "./moving.ts";
import { drainNotice, migrateNotice } from "./notices.ts";
import { CLOSE_CODES, SERVER_MESSAGES, type SeatReservation } from "./protocol.ts";

/** How long a moving room waits for its next patch before it freezes: a tick at the slowest rate a game uses, and a bound. */
const PATCH_WAIT_MS = 200;
/** How long the old room plays on while its members open sockets to the successor, at most. */
const PREPARE_MS = 2000;

export interface HandoffSettings {
  drainSeconds: number;
  reconnectSeconds: number;
  mover?: Mover;
}

/** What the room does for the handoff that only it can (a moving room, and an arriving one). */
export interface HandoffRoom extends ArrivingHost {
  /** The whole room: members and game. */
  snapshot(): RoomSnapshot;
}

export class Handoff {
  private readonly room: Room;
  private readonly settings: HandoffSettings;
  private readonly log: Logger;
  private readonly host: HandoffRoom;
  /** Set when the replica starts draining: when this room closes (clock ms). */
  private drainEndsAtMs: number | undefined;
  /** Set once a successor holds a seat for each member: that seat. */
  private forwarding: Map<string, SeatReservation> | undefined;
  /** The successor was made before break: it shows the game once this room has frozen and cut over. */
  private cutOverMove = false;
  /** Members who left for the successor before the cut-over: their players go with the game. */
  private readonly leftEarly = new Set<string>();
  /** Resolves the old room's wait once the successor says its members are there. */
  private membersHere: (() => void) | undefined;
  /** Set in a room that arrived from another replica. */
  private arriving: ArrivingRoom | undefined;
  /** No game while it is being moved out. */
  private frozen = false;
  /** Called after the room's next patch is sent (see freezeAndCutOver()). */
  private readonly patchWaiters: (() => void)[] = [];

  constructor(room: Room, settings: HandoffSettings, log: Logger, host: HandoffRoom) {
    this.room = room;
    this.settings = settings;
    this.log = log;
    this.host = host;
  }

  get running(): boolean {
    return !this.frozen && (this.arriving?.running ?? true);
  }

  get draining(): boolean {
    return this.drainEndsAtMs !== undefined;
  }

  /** A successor that shows no state yet: patches and first states wait for the cut-over. */
  get unseen(): boolean {
    return this.arriving?.unseen ?? false;
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
   * Moves the room, make-before-break (see the top of this file), in two
   * halves: this one makes the successor and waits for its members while the
   * game plays on, and resolves to the other, which freezes and cuts over.
   * Undefined, or false from the second half, if the room could not move: it
   * then plays on, and beginDrain() tells its players (the `draining` notice).
   */
  async prepareMove(): Promise<(() => Promise<boolean>) | undefined> {
    const mover = this.settings.mover;
    if (!mover) return undefined;
    // No one joins a room that is leaving (its listing says locked).
    this.room.lock().catch(() => undefined);
    const startedAt = performance.now();
    const now = this.host.snapshot();
    let move: Move;
    try {
      move = await mover.move(now, { liveAfterCutOver: true });
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, "room could not move; it drains here");
      return undefined;
    }
    this.forwarding = move.seats;
    this.cutOverMove = true;
    // With nobody connected there is nobody to wait for (and the successor has nothing to say).
    const membersHere = now.members.some((m) => m.connected) ? this.untilMembersHere() : Promise.resolve(true);
    for (const client of this.room.clients) this.sendMigrate(client);
    const allHere = await membersHere;
    const prepareMs = performance.now() - startedAt;
    return () => this.freezeAndCutOver(mover, move, allHere, prepareMs);
  }

  private async freezeAndCutOver(mover: Mover, move: Move, allHere: boolean, prepareMs: number): Promise<boolean> {
    // Freeze right after a patch: the pause players see is then the cut-over itself, not also part of a tick.
    await this.nextPatchSent();
    this.frozen = true;
    const frozenAt = performance.now();
    // Behind this room's last patch on each socket: a client switches only after both this and the successor's first state.
    for (const client of this.room.clients) client.send(SERVER_MESSAGES.frozen, {});
    const { members, game } = this.host.snapshot();
    try {
      await mover.cutOver(move.successor.roomId, { members: members.map((m) => m.sessionId), game });
    } catch (error) {
      this.log.warn({ to: move.successor.roomId, err: (error as Error).message }, "cut-over failed; the room plays on and moves again");
      this.frozen = false;
      this.forwarding = undefined;
      this.cutOverMove = false;
      return this.moveClassic(mover);
    }
    // frozenMs (freeze to the successor showing the game) and prepareMs are read by bench:migration.
    this.log.info({ to: move.successor.roomId, processId: move.successor.processId, members: move.seats.size, allHere, prepareMs, frozenMs: performance.now() - frozenAt }, "room moved");
    for (const sessionId of this.leftEarly) this.host.forget(sessionId);
    this.leftEarly.clear();
    return true;
  }

  /**
   * The fallback when a cut-over fails: freeze, snapshot, a new successor that
   * is live at once, then the members follow (they see the whole reconnect as
   * the pause). Members who already left for the failed successor are lost.
   */
  private async moveClassic(mover: Mover): Promise<boolean> {
    await this.nextPatchSent();
    this.frozen = true;
    const frozenAt = performance.now();
    try {
      const move = await mover.move(this.host.snapshot(), { liveAfterCutOver: false });
      this.forwarding = move.seats;
      this.log.info({ to: move.successor.roomId, processId: move.successor.processId, members: move.seats.size, frozenMs: performance.now() - frozenAt }, "room moved");
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, "room could not move; it drains here");
      this.frozen = false;
      return false;
    }
    for (const client of this.room.clients) this.sendMigrate(client);
    return true;
  }

  /** True while a successor holds the members' seats but the game is still here: a member who leaves now goes with it. */
  get movingOut(): boolean {
    return this.forwarding !== undefined && !this.frozen;
  }

  /** A member left for the successor before the cut-over (a client that does not wait for the first state there). */
  leftForSuccessor(sessionId: string): void {
    this.leftEarly.add(sessionId);
  }

  /** The old room's side: the successor says every connected member has a socket there. */
  successorHasMembers(): void {
    this.membersHere?.();
  }

  /** True once the successor says its members are there; false after PREPARE_MS. */
  private untilMembersHere(): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.membersHere = undefined; resolve(false); }, PREPARE_MS);
      this.membersHere = () => { clearTimeout(timer); this.membersHere = undefined; resolve(true); };
    });
  }

  /** The successor's side: see arriving.ts. Made before break (`cutOverFrom` set), it is unseen until the cut-over. */
  arrive(members: readonly MemberSnapshot[], cutOverFrom?: CutOverFrom): void {
    this.arriving = new ArrivingRoom(this.room, this.settings, this.log, this.host, members, cutOverFrom);
  }

  /** True if this session is a member of the moved room arriving now (once each). */
  arrived(sessionId: string): boolean {
    return this.arriving?.arrived(sessionId) ?? false;
  }

  /** An unseen successor keeps a joining client's first state for the cut-over. True if kept. */
  owesState(client: Client): boolean {
    return this.arriving?.owesState(client) ?? false;
  }

  /** The successor's side of a cut-over (see arriving.ts). */
  cutOver(cutOver: CutOver): void {
    if (!this.arriving) throw new Error("this room is not waiting for a cut-over");
    this.arriving.cutOver(cutOver);
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
    if (this.forwarding) {
      this.sendMigrate(client);
      if (this.cutOverMove && this.frozen) client.send(SERVER_MESSAGES.frozen, {});
    } else if (this.drainEndsAtMs !== undefined) this.sendDrainNotice(client);
  }

  private sendMigrate(client: Client): void {
    client.send(SERVER_MESSAGES.migrate, migrateNotice(this.forwarding?.get(client.sessionId), this.cutOverMove));
  }

  private sendDrainNotice(client: Client): void {
    const seconds = Math.max(0, Math.ceil(((this.drainEndsAtMs ?? 0) - this.room.clock.currentTime) / 1000));
    client.send(SERVER_MESSAGES.draining, drainNotice(seconds, this.settings.mover !== undefined));
  }
}
