// The server-only path that creates a moving room's successor on another
// replica. The moving replica sends the game over its own presence channel to
// the chosen process, which creates the room locally and reserves every seat;
// no HTTP matchmaking route reaches this path. The room learns it is a
// successor from an ArrivalOrder object in its create options: JSON from a
// client can never be one (the room checks the instance, and that this
// process issued it and it was not used yet).

import { matchMaker, requestFromIPC, subscribeIPC, type IRoomCache } from "@colyseus/core";
import type { Logger } from "./logger.ts";
import { orderCandidates, type Candidate } from "./placement.ts";

/** The create option that carries an ArrivalOrder. */
export const ARRIVAL_OPTION = "arrival";
/** How long one candidate has to create the successor before the next is tried. */
export const SUCCESSOR_TIMEOUT_MS = 1500;

const channelOf = (processId: string) => `roomservice:successor:${processId}`;

export interface ArrivingPlayer {
  sessionId: string;
  /** The secret the player must present to take its seat (see seatKeys.ts). */
  seatKey: string;
}

/** What the moving replica sends: the game as the room's own snapshot, and who takes a seat. */
export interface SuccessorRequest<Snapshot = unknown> {
  roomName: string;
  snapshot: Snapshot;
  players: ArrivingPlayer[];
}

export interface Successor {
  roomId: string;
  processId: string;
  publicAddress?: string;
}

/** Handed to the successor room's onCreate; valid once, in this process only. */
export class ArrivalOrder<Snapshot = unknown> {
  readonly snapshot: Snapshot;
  readonly players: readonly ArrivingPlayer[];
  constructor(request: SuccessorRequest<Snapshot>) {
    this.snapshot = request.snapshot;
    this.players = request.players;
  }
}

const issued = new WeakSet<ArrivalOrder>();

/**
 * The order in a room's create options, if it is a genuine one from this
 * process (consumed by the call); undefined for a room created by matchmaking.
 * Throws on anything else under ARRIVAL_OPTION, so a forged option fails loudly.
 */
export function takeArrivalOrder<Snapshot>(options: unknown): ArrivalOrder<Snapshot> | undefined {
  const value = (options as Record<string, unknown> | undefined)?.[ARRIVAL_OPTION];
  if (value === undefined) return undefined;
  if (!(value instanceof ArrivalOrder) || !issued.delete(value)) throw new Error(`${ARRIVAL_OPTION} is set by the server only`);
  return value as ArrivalOrder<Snapshot>;
}

export interface SuccessorChannelOptions {
  log: Logger;
  /** False while this replica drains: it then refuses successors, and the mover tries the next replica. */
  accepting: () => boolean;
}

/** Both halves of the path: serve() on every replica, create() on a moving one. */
export class SuccessorChannel {
  private readonly log: Logger;
  private readonly accepting: () => boolean;

  constructor({ log, accepting }: SuccessorChannelOptions) {
    this.log = log;
    this.accepting = accepting;
  }

  /** Listens for successor requests addressed to this process. */
  async serve(): Promise<void> {
    await subscribeIPC(matchMaker.presence, channelOf(matchMaker.processId), (method: string, args: unknown[]) => {
      if (method !== "create") throw new Error(`unknown successor request ${method}`);
      return this.createHere(args[0] as SuccessorRequest);
    });
  }

  private async createHere(request: SuccessorRequest): Promise<Successor> {
    if (!this.accepting()) throw new Error(`process ${matchMaker.processId} is not taking rooms`);
    const order = new ArrivalOrder(request);
    issued.add(order);
    const listing: IRoomCache = await matchMaker.handleCreateRoom(request.roomName, { [ARRIVAL_OPTION]: order });
    // Seats are taken here, in the same call: one round trip for the whole move.
    const players = request.players.map(({ sessionId }) => ({ sessionId, options: {}, auth: { sessionId } }));
    const reserved = await matchMaker.reserveMultipleSeatsFor(listing, players) as boolean[];
    const missing = request.players.filter((_, i) => !reserved[i]).map((p) => p.sessionId);
    if (missing.length > 0) throw new Error(`no seat for ${missing.join(", ")} in ${listing.roomId}`);
    return { roomId: listing.roomId, processId: listing.processId, publicAddress: listing.publicAddress };
  }

  /**
   * Creates the successor on the first candidate that takes it, trying the
   * next one when a candidate fails or does not answer in time. Never this
   * process, never a replica without a live heartbeat (the caller's list).
   */
  async create(request: SuccessorRequest, candidates: readonly Candidate[]): Promise<Successor> {
    const tried: string[] = [];
    for (const candidate of orderCandidates(candidates, matchMaker.processId)) {
      try {
        return await requestFromIPC(matchMaker.presence, channelOf(candidate.processId), "create", [request], SUCCESSOR_TIMEOUT_MS) as Successor;
      } catch (error) {
        const reason = (error as Error).message ?? String(error);
        tried.push(`${candidate.replicaName ?? candidate.processId}: ${reason}`);
        this.log.warn({ processId: candidate.processId, replica: candidate.replicaName, reason }, "successor not created there; trying the next replica");
      }
    }
    throw new Error(tried.length === 0 ? "no other ready replica" : `no replica took the room (${tried.join("; ")})`);
  }
}
