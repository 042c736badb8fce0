// Quick play (HTTP joinOrCreate) that does not stall in a join storm.
//
// Colyseus' own joinOrCreate sends every request of a burst to the same room;
// those that lose the race for its last seats fail and retry after a random
// back-off that doubles each time (up to 0.8, 1.6, 3.2 s…), and requests that
// find no room wait up to 1.1 s on a creation lock. That is the 1-2 s tail.
// Here instead:
// - seat-aware: the fullest room that still has a free seat, counting the
//   reservations this process has in flight, so a process never sends more
//   requests at a room than it has seats;
// - a refused reservation moves on to the next room at once, no back-off;
// - one room creation at a time per process, which every request waiting for
//   a room shares (at most one per replica, instead of one per request);
// - while more requests are waiting than the open rooms have seats, the next
//   room is opened before the current one is full, so a burst rarely waits
//   for a creation at all (and a quiet lobby gets no empty spare rooms).
// Private rooms, spectators, filtered room types and the other matchmaking
// methods keep Colyseus' path. The HTTP front door (matchmakeGate.ts) calls
// answer() directly, skipping Colyseus' router; other callers of Colyseus'
// matchmaker reach the same code through install().

import type { IncomingMessage } from "node:http";
import { ErrorCode, ServerError, createAuthContext, matchMaker, type AuthContext, type IRoomCache } from "@colyseus/core";
import type { Logger } from "./logger.ts";

/** Distinct rooms one request tries before it gives up (503: try again). */
const MAX_ATTEMPTS = 8;

export interface QuickJoinOptions {
  log: Logger;
  /** False for a process whose rooms take no new players (draining, unready, dead). */
  seatsPlayers?: (processId: string) => boolean;
}

type ClientOptions = Record<string, unknown>;

/** Colyseus' own method, kept once: servers booted one after another in a process each install over it, not over each other. */
const colyseusInvoke = matchMaker.controller.invokeMethod.bind(matchMaker.controller);

export class QuickJoin {
  private readonly log: Logger;
  /** roomName -> quick-play requests this process is handling now. */
  private readonly waiting = new Map<string, number>();
  private readonly seatsPlayers: (processId: string) => boolean;
  /** roomId -> reservations this process has asked for and not heard back about. */
  private readonly inFlight = new Map<string, number>();
  /** roomName -> the room this process is creating now. */
  private readonly opening = new Map<string, Promise<IRoomCache>>();

  constructor({ log, seatsPlayers = () => true }: QuickJoinOptions) {
    this.log = log;
    this.seatsPlayers = seatsPlayers;
  }

  /** Routes Colyseus' matchmaking joinOrCreate through answer(); everything else stays Colyseus'. */
  install(): void {
    matchMaker.controller.invokeMethod = async (method: string, roomName: string, clientOptions: ClientOptions = {}, authContext?: AuthContext) =>
      this.answer(method, roomName, clientOptions, authContext) ?? colyseusInvoke(method, roomName, clientOptions, authContext);
  }

  /** As answer(), for an HTTP matchmaking request that reaches the front door. */
  answerHttp(method: string, roomName: string, options: ClientOptions, req: IncomingMessage): Promise<unknown> | undefined {
    // Node joins repeated request headers into one string, except Set-Cookie, which no auth step reads.
    const headers = req.headers as Record<string, string | undefined>;
    return this.answer(method, roomName, options, createAuthContext({ headers, remoteAddress: req.socket.remoteAddress, req }));
  }

  /** The seat reservation for a quick-play request, or undefined for a request this does not handle. Errors carry Colyseus' codes. */
  answer(method: string, roomName: string, options: ClientOptions, authContext?: AuthContext): Promise<unknown> | undefined {
    if (method !== "joinOrCreate" || !this.handles(roomName, options)) return undefined;
    if (matchMaker.state === matchMaker.MatchMakerState.SHUTTING_DOWN) return Promise.reject(new ServerError(503, "this replica is draining; matchmaking continues on other replicas"));
    return this.join(roomName, options, authContext).catch((error: { code?: number; message: string }) => {
      throw new ServerError(error.code ?? ErrorCode.MATCHMAKE_UNHANDLED, error.message);
    });
  }

  private handles(roomName: string, options: ClientOptions): boolean {
    const handler = matchMaker.getAllHandlers()[roomName];
    return handler !== undefined && handler.filterOptions.length === 0 && options["private"] !== true && options["spectate"] !== true;
  }

  async join(roomName: string, options: ClientOptions, authContext?: AuthContext): Promise<unknown> {
    this.waiting.set(roomName, (this.waiting.get(roomName) ?? 0) + 1);
    try {
      return await this.seat(roomName, options, authContext);
    } finally {
      this.waiting.set(roomName, (this.waiting.get(roomName) ?? 1) - 1);
    }
  }

  private async seat(roomName: string, options: ClientOptions, authContext?: AuthContext): Promise<unknown> {
    const authData = await this.auth(roomName, options, authContext);
    const refused = new Set<string>();
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const open = await this.openRooms(roomName, options, refused);
      const room = open[0] ?? await this.openRoom(roomName, options);
      this.inFlight.set(room.roomId, (this.inFlight.get(room.roomId) ?? 0) + 1);
      try {
        const reservation = await matchMaker.reserveSeatFor(room, options, authData);
        this.openAheadOfDemand(roomName, options, room, open);
        return reservation;
      } catch (error) {
        // Full since the listing was read, locked, or its process is gone: the next room, at once.
        refused.add(room.roomId);
        this.log.debug({ roomId: room.roomId, err: (error as Error).message }, "quick play: seat refused; trying the next room");
      } finally {
        const left = (this.inFlight.get(room.roomId) ?? 1) - 1;
        if (left > 0) this.inFlight.set(room.roomId, left);
        else this.inFlight.delete(room.roomId);
      }
    }
    throw new ServerError(ErrorCode.MATCHMAKE_UNHANDLED, "every room tried was full; try again");
  }

  /** Colyseus' onAuth step for HTTP matchmaking (its own helper is not exported). */
  private async auth(roomName: string, options: ClientOptions, authContext?: AuthContext): Promise<unknown> {
    const onAuth = (matchMaker.getRoomClass(roomName) as unknown as { onAuth?: (token: string | undefined, options: unknown, context: AuthContext) => unknown }).onAuth;
    if (!onAuth || !authContext) return undefined;
    const result = await onAuth(authContext.token, options, authContext);
    if (result === false || result === null || result === undefined) throw new ServerError(ErrorCode.AUTH_FAILED, "onAuth failed");
    return result === true ? undefined : result;
  }

  /**
   * Public, unlocked rooms with a seat this process has not already promised,
   * on replicas that take players (not one that drains, even for a moment):
   * this process's own first (a seat there needs no call through Redis), then
   * fullest first, so rooms fill one at a time.
   */
  private async openRooms(roomName: string, options: ClientOptions, refused: ReadonlySet<string>): Promise<IRoomCache[]> {
    // The handler's filter says which rooms have a player seat free (the kit's matchPlayersToFreeSeats).
    const filter = matchMaker.getHandler(roomName).getFilterOptions(options);
    const listed = await matchMaker.query({ ...filter, name: roomName, locked: false, private: false });
    const taken = (room: IRoomCache) => playerSeatsTaken(room) + (this.inFlight.get(room.roomId) ?? 0);
    const remote = (room: IRoomCache) => (room.processId === matchMaker.processId ? 0 : 1);
    return listed
      .filter((room) => !refused.has(room.roomId) && taken(room) < room.maxClients && this.seatsPlayers(room.processId))
      .sort((a, b) => remote(a) - remote(b) || taken(b) - taken(a) || a.roomId.localeCompare(b.roomId));
  }

  /** A new room; concurrent callers in this process share one creation. */
  private openRoom(roomName: string, options: ClientOptions): Promise<IRoomCache> {
    let opening = this.opening.get(roomName);
    if (!opening) {
      opening = matchMaker.createRoom(roomName, options).finally(() => this.opening.delete(roomName));
      this.opening.set(roomName, opening);
    }
    return opening;
  }

  /**
   * After a seat in `room`: if more requests are waiting here than the open
   * rooms have seats left, open the next room now rather than when they find
   * none. A lone join never opens a spare.
   */
  private openAheadOfDemand(roomName: string, options: ClientOptions, room: IRoomCache, open: readonly IRoomCache[]): void {
    if (this.opening.has(roomName)) return;
    const othersWaiting = (this.waiting.get(roomName) ?? 1) - 1;
    const seatsLeft = open.reduce((sum, r) => sum + Math.max(0, r.maxClients - playerSeatsTaken(r) - (r.roomId === room.roomId ? 1 : 0)), 0);
    if (othersWaiting <= seatsLeft) return;
    this.openRoom(roomName, options).catch((error: Error) => this.log.debug({ err: error.message }, "quick play: next room not opened"));
  }

}

/** Player seats taken, as the room lists them (spectators hold no player seat); Colyseus' client count otherwise. */
function playerSeatsTaken(room: IRoomCache): number {
  const players = (room.metadata as { players?: unknown } | undefined)?.players;
  return typeof players === "number" ? players : room.clients;
}
