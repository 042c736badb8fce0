// Player seats and spectator seats in one Colyseus room. Colyseus counts every
// client against maxClients and locks a full room, and a locked room refuses
// joinById, so a room full of players would refuse its spectators too.
// Instead:
// - a game room never locks for being full (only on purpose, e.g. draining);
// - each seat reservation is checked against the limit of its own kind;
// - the room's listing says whether a player seat is free, and matchmaking
//   (joinOrCreate, join) picks only rooms where one is: matchPlayersToFreeSeats.

import type { RegisteredHandler, Room } from "@colyseus/core";
import type { RoomListingMetadata } from "./protocol.ts";

export interface Member {
  connected: boolean;
  spectator: boolean;
}

export interface SeatLimits {
  maxPlayers: number;
  maxSpectators: number;
}

/** Colyseus 0.18 internals this file reads and wraps (Room.ts). */
type ReservedSeat = [options: unknown, auth: unknown, consumed?: boolean, reconnecting?: boolean];
interface SeatInternals {
  _reservedSeats: Record<string, ReservedSeat>;
  _reserveSeat(sessionId: string, options?: unknown, auth?: unknown, seconds?: number, allowReconnection?: boolean, ...rest: unknown[]): Promise<boolean>;
}

export function isSpectating(options: unknown): boolean {
  return (options as { spectate?: unknown } | undefined)?.spectate === true;
}

/**
 * Pending spectator seats are bounded at twice the cap: the exact cap is
 * checked when the spectator arrives, where it can be refused with a clear
 * message (a refused reservation only says "full").
 */
const PENDING_SPECTATOR_FACTOR = 2;

export class Seats {
  /** Everyone holding a seat (in the room, reconnecting, or expected after a move), by sessionId. */
  readonly members = new Map<string, Member>();
  private readonly room: Room;
  private readonly limits: SeatLimits;
  private published = "";

  constructor(room: Room, limits: SeatLimits) {
    this.room = room;
    this.limits = limits;
  }

  /** Seats taken: members, plus reservations whose client has not arrived yet. */
  taken(): { players: number; spectators: number } {
    let players = 0;
    let spectators = 0;
    for (const member of this.members.values()) member.spectator ? spectators++ : players++;
    // Colyseus hides a reservation from enumeration once its client has joined.
    for (const [sessionId, [options, , , reconnecting]] of Object.entries(this.internals()._reservedSeats)) {
      if (reconnecting || this.members.has(sessionId)) continue;
      isSpectating(options) ? spectators++ : players++;
    }
    return { players, spectators };
  }

  /**
   * Wraps the room's seat reservation (matchmaking calls it, locally or over
   * presence). While `takesNewcomers` is false only members get a seat.
   */
  install(takesNewcomers: () => boolean): void {
    const internals = this.internals();
    const reserve = internals._reserveSeat.bind(this.room);
    internals._reserveSeat = async (sessionId, options, auth, seconds, allowReconnection, ...rest) => {
      // Reconnections and the seats of a moved room's members are theirs already.
      if (!allowReconnection && !this.members.has(sessionId) && (!takesNewcomers() || !this.hasRoomFor(options))) return false;
      const reserved = await reserve(sessionId, options, auth, seconds, allowReconnection, ...rest);
      if (reserved && !allowReconnection) {
        this.publish();
        // An unused reservation expires without telling the room: look again after it would have.
        this.room.clock.setTimeout(() => this.publish(), (seconds ?? this.room.seatReservationTimeout) * 1000 + 100);
      }
      return reserved;
    };
  }

  spectatorsFull(): boolean {
    let joined = 0;
    for (const member of this.members.values()) if (member.spectator) joined++;
    return joined >= this.limits.maxSpectators;
  }

  /** Updates the room's listing if its figures changed. */
  publish(): void {
    const { players, spectators } = this.taken();
    const metadata: RoomListingMetadata = { players, spectators, playerSeatFree: players < this.limits.maxPlayers };
    const text = JSON.stringify(metadata);
    if (text === this.published) return;
    this.published = text;
    // Writes to the driver; with Redis gone that fails, and the room goes on regardless.
    void this.room.setMetadata(metadata).catch(() => undefined);
  }

  private hasRoomFor(options: unknown): boolean {
    const { players, spectators } = this.taken();
    if (isSpectating(options)) return spectators < this.limits.maxSpectators * PENDING_SPECTATOR_FACTOR;
    return players < this.limits.maxPlayers;
  }

  private internals(): SeatInternals {
    return this.room as unknown as SeatInternals;
  }
}

/** Players' matchmaking (joinOrCreate, join) picks only rooms with a free player seat; spectators' any room. */
export function matchPlayersToFreeSeats(handler: RegisteredHandler): RegisteredHandler {
  const filterOf = handler.getFilterOptions.bind(handler);
  const free: Pick<RoomListingMetadata, "playerSeatFree"> = { playerSeatFree: true };
  handler.getFilterOptions = (options) => (isSpectating(options) ? filterOf(options) : { ...filterOf(options), ...free });
  return handler;
}
