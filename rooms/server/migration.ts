// The kit's Mover, with Redis: a moving room's successor goes to the best
// live, ready replica other than this one (newest version first, then fewest
// rooms: see replicas.ts), created there over the server-only successor
// channel with a seat for every member. Each seat gets its own key, told only
// to its owner in the `migrate` notice, so a room mate who knows the public
// sessionId cannot take it.

import { matchMaker } from "@colyseus/core";
import type { Move, Mover, RoomSnapshot } from "../kit/moving.ts";
import type { SeatReservation } from "../kit/protocol.ts";
import { newSeatKey } from "../kit/seatKeys.ts";
import type { Logger } from "./logger.ts";
import type { Candidate } from "./placement.ts";
import type { ReplicaRegistry } from "./replicas.ts";
import { ArrivalOrder, type SuccessorChannel } from "./successors.ts";

export class RoomMover implements Mover {
  private readonly replicas: ReplicaRegistry;
  private readonly channel: SuccessorChannel;
  private readonly log: Logger;

  constructor(replicas: ReplicaRegistry, channel: SuccessorChannel, log: Logger) {
    this.replicas = replicas;
    this.channel = channel;
    this.log = log;
  }

  /** Replicas a room could move to now, best first; empty when there is none (or Redis cannot say). */
  async destinations(): Promise<Candidate[]> {
    return this.replicas.candidates(matchMaker.processId);
  }

  async move(snapshot: RoomSnapshot): Promise<Move> {
    const started = performance.now();
    const members = snapshot.members.map((member) => ({ ...member, seatKey: newSeatKey() }));
    const candidates = await this.destinations();
    const listed = performance.now();
    const successor = await this.channel.create({ snapshot: { ...snapshot, members } }, candidates);
    this.replicas.placed(successor.processId);
    const seats = new Map<string, SeatReservation>(members.map(({ sessionId, seatKey }) => [sessionId, {
      name: snapshot.roomName, sessionId, roomId: successor.roomId, processId: successor.processId, publicAddress: successor.publicAddress,
      // The SDK sends it as the reconnectionToken of the WebSocket URL; the successor admits the seat only with it.
      reconnectionToken: seatKey,
    }]));
    // Where the time went, for bench:migration (never the keys).
    this.log.info({
      roomId: snapshot.roomId, to: successor.roomId, replica: successor.replica, tried: successor.tried, members: members.length,
      candidatesMs: round(listed - started), createMs: round(successor.createMs), reserveMs: round(successor.reserveMs),
      roundTripMs: round(performance.now() - listed),
    }, "successor created");
    return { successor: { roomId: successor.roomId, processId: successor.processId }, seats };
  }

  /** A successor's snapshot, from the ArrivalOrder the successor channel created it with; undefined for a new game. */
  async arriving(createOptions: Readonly<Record<string, unknown>>): Promise<RoomSnapshot | undefined> {
    return ArrivalOrder.take(createOptions)?.snapshot;
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;
