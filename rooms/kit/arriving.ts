// The successor's side of a move: a room built on this replica from a moving
// room's snapshot. It holds the game still until the members are back (Arrival
// keeps the books). Made before break, it is also *unseen* until the cut-over:
// it seats only the members, sends them no state, and tells the old room once
// they all have a socket here; at the cut-over it rebuilds the game as it is
// then and shows it. If the old replica dies first, it plays on from the game
// as it was when the move began.

import { ClientState, type Client, type Room } from "@colyseus/core";
import type { Logger } from "pino";
import { Arrival } from "./arrival.ts";
import type { CutOver, MemberSnapshot, Mover } from "./moving.ts";

/** How often an arriving room checks whether its members are back. */
const ARRIVAL_CHECK_MS = 50;
/**
 * How long an unseen successor waits for the cut-over, at most, before it
 * plays on from the game as it was when the move began (the old replica died).
 * It plays on sooner once it learns the old room's replica is gone (checked
 * every ORIGIN_CHECK_MS). A replica with many rooms cuts them over one at a
 * time, so this bound is generous.
 */
const CUT_OVER_WAIT_MS = 30_000;
const ORIGIN_CHECK_MS = 1000;

/** The room a successor made before break waits on: its id (for the room calls) and its origin (see Mover.originGone). */
export interface CutOverFrom {
  roomId: string;
  origin: string;
}

/** What the room does for its arrival that only it can. */
export interface ArrivingHost {
  /** A member's seat here ran out without them (or they left the old room for good). */
  forget(sessionId: string): void;
  /** The cut-over: rebuild the game from the newer data, then send each waiting client its first state. */
  showGame(cutOver: CutOver, waiting: readonly Client[]): void;
  /** A client's first state, now. */
  sendFirstState(client: Client): void;
}

export class ArrivingRoom {
  private readonly room: Room;
  private readonly mover: Mover | undefined;
  private readonly log: Logger;
  private readonly host: ArrivingHost;
  private arrival: Arrival | undefined;
  /** True while the game stands still for its members. */
  private holding = true;
  /** Made before break: the room it comes from, until the cut-over. */
  private unseenFrom: string | undefined;
  /** The old room has been told its members are here (once is enough). */
  private toldMembersHere = false;
  /** Clients owed their first state at the cut-over. */
  private readonly owedState = new Set<Client>();
  /** Ends the wait for the cut-over (its timers). */
  private stopWaiting: () => void = () => undefined;

  constructor(room: Room, { mover, reconnectSeconds }: { mover?: Mover; reconnectSeconds: number }, log: Logger, host: ArrivingHost, members: readonly MemberSnapshot[], cutOverFrom?: CutOverFrom) {
    this.room = room;
    this.mover = mover;
    this.log = log;
    this.host = host;
    // A member who was reconnecting when the room moved needs its seat for the rest of its window.
    room.seatReservationTimeout = Math.max(room.seatReservationTimeout, reconnectSeconds + 5);
    this.arrival = new Arrival(members, room.clock.currentTime, room.seatReservationTimeout);
    if (cutOverFrom) this.awaitCutOver(cutOverFrom);
    const check = room.clock.setInterval(() => { if (this.settle()) check.clear(); }, ARRIVAL_CHECK_MS);
  }

  /** False while the game must stand still. */
  get running(): boolean {
    return !this.holding;
  }

  /** No state reaches the members yet: the game here is not the real one until the cut-over. */
  get unseen(): boolean {
    return this.unseenFrom !== undefined;
  }

  /** True if this session is a member of the moved room arriving now (once each). */
  arrived(sessionId: string): boolean {
    return this.arrival?.arrived(sessionId) ?? false;
  }

  /**
   * An unseen successor keeps a joining client's first state for the cut-over
   * (true if kept); once every connected member is that far, the old room is
   * told it can cut over.
   */
  owesState(client: Client): boolean {
    const from = this.unseenFrom;
    if (from === undefined) return false;
    this.owedState.add(client);
    if (!this.toldMembersHere && this.arrival && !this.arrival.holding(this.room.clock.currentTime, (id) => this.hasState(id))) {
      this.toldMembersHere = true;
      this.mover?.membersAreHere(from);
    }
    return true;
  }

  /** The cut-over: the game as it is now in the old room, shown to everyone here. */
  cutOver(cutOver: CutOver): void {
    const from = this.unseenFrom;
    if (from === undefined) throw new Error("this room is not waiting for a cut-over");
    const startedAt = performance.now();
    this.endWait();
    const waiting = [...this.owedState].filter((client) => client.state === ClientState.JOINED);
    this.owedState.clear();
    this.host.showGame(cutOver, waiting);
    this.arrival?.holdFrom(this.room.clock.currentTime);
    this.settle();
    // showMs (the game rebuilt and every waiting client's first state sent) is read by bench:migration.
    this.log.info({ from, shownTo: waiting.length, running: this.running, showMs: performance.now() - startedAt }, "cut over");
  }

  private awaitCutOver({ roomId, origin }: CutOverFrom): void {
    this.unseenFrom = roomId;
    const deadline = this.room.clock.setTimeout(() => this.playOnUncut("no cut-over came in time"), CUT_OVER_WAIT_MS);
    const watch = this.room.clock.setInterval(() => {
      void this.mover?.originGone(origin).then((gone) => { if (gone) this.playOnUncut("the replica it came from is gone"); });
    }, ORIGIN_CHECK_MS);
    this.stopWaiting = () => { deadline.clear(); watch.clear(); };
  }

  private endWait(): void {
    this.unseenFrom = undefined;
    this.stopWaiting();
  }

  /** The old replica never cut over (it died mid-move): play on from the game as it was when the move began. */
  private playOnUncut(why: string): void {
    if (this.unseenFrom === undefined) return;
    this.log.warn({ from: this.unseenFrom, why }, "no cut-over: the game plays on as it was when the move began");
    this.endWait();
    for (const client of this.owedState) if (client.state === ClientState.JOINED) this.host.sendFirstState(client);
    this.owedState.clear();
  }

  /** Resumes the game once its members are back and see it, and forgets those who never came. True when settled. */
  private settle(): boolean {
    const arrival = this.arrival;
    if (!arrival) return true;
    const now = this.room.clock.currentTime;
    for (const sessionId of arrival.expired(now)) this.host.forget(sessionId);
    if (this.unseenFrom !== undefined) return false;
    if (this.holding && !arrival.holding(now, (id) => this.hasState(id))) this.holding = false;
    if (!arrival.done || this.holding) return false;
    this.arrival = undefined;
    return true;
  }

  /** Colyseus marks a client JOINED right before it sends that client the full state (which an unseen successor keeps until the cut-over). */
  private hasState(sessionId: string): boolean {
    return this.room.clients.getById(sessionId)?.state === ClientState.JOINED;
  }
}
