// The server-only path that creates a moving room's successor on another
// replica. The moving replica sends the room's snapshot over its own presence
// channel to the chosen process, which creates the room locally with an
// ArrivalOrder in its create options and reserves every seat in the same call.
// No HTTP matchmaking route reaches this path, and nothing a client sends can
// be an ArrivalOrder.

import { matchMaker, requestFromIPC, subscribeIPC, type IRoomCache } from "@colyseus/core";
import type { Arriving, RoomSnapshot } from "../kit/moving.ts";
import type { Logger } from "./logger.ts";
import type { Candidate } from "./placement.ts";

/** The create option that carries an ArrivalOrder. */
export const ARRIVAL_OPTION = "arrival";

/**
 * How a successor room learns it is one: a process-local object under
 * ARRIVAL_OPTION in its create options. JSON from a client can never be one,
 * and each order is valid once, in the process that issued it: there is no
 * key or value a client could send to reach this path.
 */
export class ArrivalOrder implements Arriving {
  private static readonly issued = new WeakSet<ArrivalOrder>();
  readonly snapshot: RoomSnapshot;
  readonly liveAfterCutOver: boolean;
  readonly origin: string;

  private constructor({ snapshot, liveAfterCutOver, origin }: Arriving) {
    this.snapshot = snapshot;
    this.liveAfterCutOver = liveAfterCutOver;
    this.origin = origin;
  }

  static issue(arriving: Arriving): ArrivalOrder {
    const order = new ArrivalOrder(arriving);
    ArrivalOrder.issued.add(order);
    return order;
  }

  /**
   * The order in a room's create options (consumed by this call), or
   * undefined for a room made by matchmaking. Anything else under
   * ARRIVAL_OPTION throws, so a forged option fails loudly.
   */
  static take(createOptions: Readonly<Record<string, unknown>>): ArrivalOrder | undefined {
    const value = createOptions[ARRIVAL_OPTION];
    if (value === undefined) return undefined;
    if (!(value instanceof ArrivalOrder) || !ArrivalOrder.issued.delete(value)) throw new Error(`${ARRIVAL_OPTION} is set by the server only`);
    return value;
  }
}

/** How long one candidate has to create the successor before the next is tried. */
export const SUCCESSOR_TIMEOUT_MS = 1500;

const channelOf = (processId: string) => `roomservice:successor:${processId}`;

/** What the moving replica sends: the snapshot (each member with its seat key), and whether the successor waits for a cut-over. */
export type SuccessorRequest = Arriving;

export interface Successor {
  roomId: string;
  processId: string;
  publicAddress?: string;
  /** Where the target spent its time, for the move's log line. */
  createMs: number;
  reserveMs: number;
}

/** Both halves of the path: serve() on every replica, create() on a moving one. */
export class SuccessorChannel {
  private readonly log: Logger;
  private accepting: () => boolean = () => false;

  constructor(log: Logger) {
    this.log = log;
  }

  /**
   * Listens for successor requests addressed to this process. While
   * `accepting` is false (draining, unready) it refuses them, and the mover
   * tries its next candidate.
   */
  async serve(accepting: () => boolean): Promise<void> {
    this.accepting = accepting;
    await subscribeIPC(matchMaker.presence, channelOf(matchMaker.processId), (method: string, args: unknown[]) => {
      if (method !== "create") throw new Error(`unknown successor request ${method}`);
      return this.createHere(args[0] as SuccessorRequest);
    });
  }

  private async createHere(request: SuccessorRequest): Promise<Successor> {
    const { snapshot } = request;
    if (!this.accepting()) throw new Error(`process ${matchMaker.processId} is not taking rooms`);
    const started = performance.now();
    const listing: IRoomCache = await matchMaker.handleCreateRoom(snapshot.roomName, { [ARRIVAL_OPTION]: ArrivalOrder.issue(request) });
    const created = performance.now();
    const seats = snapshot.members.map(({ sessionId }) => ({ sessionId, options: {}, auth: { sessionId } }));
    const reserved = await matchMaker.reserveMultipleSeatsFor(listing, seats) as boolean[];
    const missing = snapshot.members.filter((_, i) => !reserved[i]).map((m) => m.sessionId);
    if (missing.length > 0) throw new Error(`no seat for ${missing.join(", ")} in ${listing.roomId}`);
    return {
      roomId: listing.roomId, processId: listing.processId, publicAddress: listing.publicAddress,
      createMs: created - started, reserveMs: performance.now() - created,
    };
  }

  /**
   * Creates the successor on the first candidate that takes it, in the
   * order given, trying the next one when a candidate refuses or does not
   * answer in time. Throws when none did.
   */
  async create(request: SuccessorRequest, candidates: readonly Candidate[]): Promise<Successor & { replica: string | undefined; tried: number }> {
    const failures: string[] = [];
    for (const candidate of candidates) {
      if (candidate.processId === matchMaker.processId) continue;
      try {
        const successor = await requestFromIPC(matchMaker.presence, channelOf(candidate.processId), "create", [request], SUCCESSOR_TIMEOUT_MS) as Successor;
        return { ...successor, replica: candidate.replicaName, tried: failures.length + 1 };
      } catch (error) {
        const reason = (error as Error).message ?? String(error);
        failures.push(`${candidate.replicaName ?? candidate.processId}: ${reason}`);
        this.log.warn({ processId: candidate.processId, replica: candidate.replicaName, reason }, "successor not created there; trying the next replica");
      }
    }
    throw new Error(failures.length === 0 ? "no other ready replica" : `no replica took the room (${failures.join("; ")})`);
  }
}
