// The kit's Mover, with Redis: a moving room's successor goes to the best
// live, ready replica other than this one (newest version first, then fewest
// rooms: see replicas.ts), created there over the server-only successor
// channel with a seat for every member. Each seat gets its own key, told only
// to its owner in the `migrate` notice, so a room mate who knows the public
// sessionId cannot take it.

import { matchMaker } from "@colyseus/core";
import { ROOM_CALLS, type Arriving, type CutOver, type Move, type MoveOptions, type Mover, type RoomSnapshot } from "../kit/moving.ts";
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

  async move(snapshot: RoomSnapshot, { liveAfterCutOver }: MoveOptions = { liveAfterCutOver: false }): Promise<Move> {
    const started = performance.now();
    const members = snapshot.members.map((member) => ({ ...member, seatKey: newSeatKey() }));
    const candidates = await this.destinations();
    const listed = performance.now();
    const successor = await this.channel.create({ snapshot: { ...snapshot, members }, liveAfterCutOver, origin: matchMaker.processId }, candidates);
    this.replicas.placed(successor.processId);
    const seats = new Map<string, SeatReservation>(members.map(({ sessionId, seatKey }) => [sessionId, {
      name: snapshot.roomName, sessionId, roomId: successor.roomId, processId: successor.processId, publicAddress: successor.publicAddress,
      // The SDK sends it as the reconnectionToken of the WebSocket URL; the successor admits the seat only with it.
      reconnectionToken: seatKey,
    }]));
    // Where the time went, for bench:migration (never the keys).
    this.log.info({
      roomId: snapshot.roomId, to: successor.roomId, liveAfterCutOver, replica: successor.replica, tried: successor.tried, members: members.length,
      candidatesMs: round(listed - started), createMs: round(successor.createMs), reserveMs: round(successor.reserveMs),
      roundTripMs: round(performance.now() - listed),
    }, "successor created");
    return { successor: { roomId: successor.roomId, processId: successor.processId }, seats };
  }

  /** A successor's snapshot, from the ArrivalOrder the successor channel created it with; undefined for a new game. */
  async arriving(createOptions: Readonly<Record<string, unknown>>): Promise<Arriving | undefined> {
    return ArrivalOrder.take(createOptions);
  }

  /**
   * The frozen game to the successor, wherever it runs (Colyseus' room call
   * over presence: only server code can make one). Its own message on
   * failure: Colyseus' would quote the whole game.
   */
  async cutOver(successorRoomId: string, cutOver: CutOver): Promise<void> {
    try {
      await matchMaker.remoteRoomCall(successorRoomId, ROOM_CALLS.cutOver, [cutOver], CUT_OVER_TIMEOUT_MS);
    } catch (error) {
      const reason = (error as Error).message?.startsWith("remote room") ? "no answer in time" : (error as Error).message;
      throw new Error(`successor ${successorRoomId} did not take the game: ${reason}`);
    }
  }

  /** The origin is the moving replica's process: gone once its heartbeat is. */
  async originGone(origin: string): Promise<boolean> {
    try {
      return !(await this.replicas.isAlive(origin));
    } catch {
      return false;
    }
  }

  membersAreHere(fromRoomId: string): void {
    matchMaker.remoteRoomCall(fromRoomId, ROOM_CALLS.membersAreHere, []).catch((error: Error) => {
      // The old room then cuts over at its own deadline.
      this.log.debug({ fromRoomId, err: error.message }, "could not tell the moving room its members are here");
    });
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** A frozen game waits this long for its successor's answer before it plays on and moves the classic way. */
const CUT_OVER_TIMEOUT_MS = 1500;
