// The base every game room extends. The game brings its state, its messages
// and a snapshot of itself as plain data; the kit does the rest that every
// room needs: join options, the message gate, reconnection, metrics, and the
// drain: moving the whole game to another replica (make before break: a
// successor with a seat for everyone while the game plays on, then freeze and
// cut over; see handoff.ts) and arriving there, or, if it cannot move,
// letting players finish for DRAIN_SECONDS.

import { Room, RoomInternalState, ServerError, type Client } from "@colyseus/core";
import type { Schema } from "@colyseus/schema";
import type { Logger } from "pino";
import { z } from "zod";
import { Handoff } from "./handoff.ts";
import { installMessageGate, type GameMessages, type MessageGate } from "./messageGate.ts";
import { clientsConnected, roomsActive } from "./metrics.ts";
import { SNAPSHOT_VERSION, type Arriving, type CutOver, type MovableRoom, type RoomSnapshot } from "./moving.ts";
import { meterPatches } from "./patchMeter.ts";
import { FLOOD_DISCONNECT_PER_SECOND, JoinOptions, SPECTATORS_FULL } from "./protocol.ts";
import { SeatKeys } from "./seatKeys.ts";
import { Seats } from "./seats.ts";
import type { CreateOptions, DrainingRoom, KitSettings, RoomOptions } from "./settings.ts";

// A game needs only this module; the settings live in settings.ts.
export { KIT_CONFIG, type DrainingRoom, type KitSettings, type RoomOptions } from "./settings.ts";

export abstract class GameRoom<S extends Schema, G, Settings extends KitSettings = KitSettings>
  extends Room<{ state: S }> implements DrainingRoom, MovableRoom {
  settings!: Settings;
  protected log!: Logger;
  private gate!: MessageGate;
  private unlisted = false;
  /** Who holds a seat, player or spectator, and the room's listing. */
  private seats!: Seats;
  /** The drain, and moving the room to another replica. */
  private handoff!: Handoff;
  /** In roomservice_rooms_active: set once onCreate has finished. */
  private counted = false;
  /** Colyseus' own (private) sendFullState: a joining client's first state. */
  private sendFirstState!: (client: Client) => void;
  /** In a successor: the key each arriving member must present (see seatKeys.ts). */
  private seatKeys = new SeatKeys();

  // ---- what a game provides ------------------------------------------------

  /** A new game: assign this.state (and start a tick, if the game has one). */
  protected abstract createGame(options: RoomOptions): void;
  /**
   * The game from snapshotGame() on another replica: assign this.state with
   * every player in it. A successor calls it again at the cut-over with the
   * newer data: replace everything then, keep nothing from the first call.
   */
  protected abstract restoreGame(snapshot: G): void;
  /** The whole game as plain JSON data, players included. */
  protected abstract snapshotGame(): G;
  /** The game's client messages (see gameMessages()). */
  protected abstract clientMessages(): GameMessages;
  /** A new player joined (spectators are the kit's: the game never sees them). */
  protected abstract addPlayer(client: Client, options: JoinOptions): void;
  /** A player's socket dropped, came back, or arrived after a move. */
  protected abstract setConnected(sessionId: string, connected: boolean): void;
  /** A player is gone for good. */
  protected abstract removePlayer(sessionId: string): void;

  /** False while the game must stand still: moving out, or waiting for its players to arrive. */
  protected get running(): boolean {
    return this.handoff.running;
  }

  // ---- Colyseus hooks --------------------------------------------------------

  /** Runs during HTTP matchmaking, so unusable options get an HTTP 400 before any seat is taken. */
  static override async onAuth(_token: string, options: unknown): Promise<boolean> {
    const parsed = JoinOptions.safeParse(options ?? {});
    if (!parsed.success) throw new ServerError(400, `invalid join options: ${z.prettifyError(parsed.error)}`);
    return true;
  }

  override async onCreate(options: CreateOptions): Promise<void> {
    this.log = this.settings.log.child({ room: this.roomName, roomId: this.roomId });
    const arriving = await this.arrivingSnapshot(options);
    const snapshot = arriving?.snapshot;
    // A moving room brings its players along, so only new games count against the cap.
    if (!snapshot && this.settings.rooms.size >= this.settings.maxRooms) {
      throw new ServerError(503, `this replica holds its maximum of ${this.settings.maxRooms} rooms (MAX_ROOMS); try again shortly`);
    }
    this.maxClients = this.settings.maxPlayers;
    this.maxMessagesPerSecond = FLOOD_DISCONNECT_PER_SECOND;
    this.seats = new Seats(this, this.settings);
    // A successor made before break seats only its members until the cut-over: its game is not the real one yet.
    this.seats.install(() => !this.handoff.unseen);
    this.handoff = new Handoff(this, this.settings, this.log, {
      snapshot: () => this.snapshot(),
      forget: (sessionId) => this.removeMember(sessionId),
      showGame: (cutOver, waiting) => this.showGame(cutOver, waiting),
      sendFirstState: (client) => this.sendFirstState(client),
    });
    this.holdFirstStates();

    this.unlisted = snapshot?.private ?? options.private === true;
    if (this.unlisted) await this.setPrivate(true);
    if (snapshot) this.restoreGame(snapshot.game as G);
    else this.createGame(options);
    meterPatches(this);
    if (arriving) this.arrive(arriving);

    this.gate = installMessageGate(this, this.clientMessages(), (client) => this.seats.members.get(client.sessionId)?.spectator === true);
    this.seats.publish();
    this.settings.rooms.add(this);
    roomsActive.inc();
    this.counted = true;
    this.log.info({ private: this.unlisted, movedFrom: snapshot?.roomId }, "room created");
  }

  /** A full room is never locked, or its spectators could not join it by id (see seats.ts). */
  override hasReachedMaxClients(): boolean {
    return (this as unknown as { _internalState: RoomInternalState })._internalState === RoomInternalState.DISPOSING;
  }

  /** Colyseus asks this before a socket may take a seat: a moved member's seat also needs its key. */
  override hasReservedSeat(sessionId: string, reconnectionToken?: string): boolean {
    return this.seatKeys.admits(sessionId, reconnectionToken) && super.hasReservedSeat(sessionId, reconnectionToken);
  }

  override onJoin(client: Client, options: JoinOptions): void {
    const { sessionId } = client;
    this.seatKeys.forget(sessionId);
    const arrived = this.handoff.arrived(sessionId);
    const spectator = arrived ? this.seats.members.get(sessionId)?.spectator === true : options?.spectate === true;
    if (!arrived && spectator && this.seats.spectatorsFull()) {
      throw new ServerError(SPECTATORS_FULL, `room ${this.roomId} already has ${this.settings.maxSpectators} spectators (MAX_SPECTATORS); try again later`);
    }
    this.gate.watch(client);
    clientsConnected.inc();
    this.seats.members.set(sessionId, { connected: true, spectator });
    if (arrived) {
      if (!spectator) this.setConnected(sessionId, true);
      this.log.debug({ sessionId, spectator }, "member followed the room");
    } else if (!spectator) {
      this.addPlayer(client, options ?? {});
    }
    this.seats.publish();
    // A seat reserved before the drain and taken after it: this one hears about it too.
    this.handoff.greet(client);
  }

  override async onDrop(client: Client, code?: number): Promise<void> {
    // Not a member: its join was refused (Colyseus then drops it like any client).
    if (!this.seats.members.has(client.sessionId)) return;
    this.markConnected(client.sessionId, false);
    clientsConnected.dec();
    // A client closed for bad input does not get its seat back; anyone else does, for a while.
    if (this.gate.closedForAbuse(client, code) || this.settings.reconnectSeconds === 0) return;
    await this.allowReconnection(client, this.settings.reconnectSeconds);
  }

  override onReconnect(client: Client): void {
    this.markConnected(client.sessionId, true);
    clientsConnected.inc();
    this.handoff.tellAgain(client);
  }

  override onLeave(client: Client): void {
    const member = this.seats.members.get(client.sessionId);
    if (!member) return;
    if (member.connected) clientsConnected.dec();
    if (this.handoff.movingOut) {
      // Gone to the successor before the cut-over: the player goes there with the game.
      this.markConnected(client.sessionId, false);
      this.handoff.leftForSuccessor(client.sessionId);
      return;
    }
    this.removeMember(client.sessionId);
  }

  override onDispose(): void {
    this.settings.rooms.delete(this);
    // Colyseus disposes a room whose onCreate failed, too; it was never counted.
    if (this.counted) roomsActive.dec();
    this.log.info("room disposed");
  }

  override onBeforeShutdown(): void {
    this.beginDrain();
  }

  // ---- the drain (see handoff.ts) ---------------------------------------------

  /**
   * SIGTERM without a move: players are told and keep playing for
   * DRAIN_SECONDS, then are closed with CLOSE_CODES.drained. Called by the
   * lifecycle (which must not depend on Redis) and again by Colyseus' shutdown.
   */
  beginDrain(): void {
    this.handoff.beginDrain();
  }

  /** Moves the game, its players and its spectators to a room on another replica (see DrainingRoom). */
  prepareMove(): Promise<(() => Promise<boolean>) | undefined> {
    return this.handoff.prepareMove();
  }

  /** Called by the Mover from the old room's replica (see moving.ts). */
  cutOver(cutOver: CutOver): void {
    this.handoff.cutOver(cutOver);
  }

  /** Called by the Mover from the successor's replica (see moving.ts). */
  membersAreHere(): void {
    this.handoff.successorHasMembers();
  }

  /** Every patch, the game's own or Colyseus' interval: a room about to move freezes right after one. */
  override broadcastPatch(): boolean {
    // A successor made before break shows nothing until the cut-over replaces its game.
    if (this.handoff?.unseen) return false;
    const sent = super.broadcastPatch();
    // Colyseus' patch interval may run before onCreate has made the handoff.
    this.handoff?.patchSent();
    return sent;
  }

  /**
   * Colyseus sends a joining client its first state when the client confirms
   * the join (sendFullState, private to its Room); an unseen successor keeps
   * it for the cut-over instead.
   */
  private holdFirstStates(): void {
    const room = this as unknown as { sendFullState: (client: Client) => void };
    this.sendFirstState = room.sendFullState.bind(this);
    room.sendFullState = (client) => {
      if (!this.handoff.owesState(client)) this.sendFirstState(client);
    };
  }

  /** The snapshot a successor is built from (the Mover knows its create options); undefined for a new game. */
  private async arrivingSnapshot(options: CreateOptions): Promise<Arriving | undefined> {
    const arriving = await this.settings.mover?.arriving(options);
    const snapshot = arriving?.snapshot;
    if (snapshot && snapshot.version !== SNAPSHOT_VERSION) {
      throw new Error(`snapshot version ${String(snapshot.version)} from room ${snapshot.roomId}; this replica reads ${SNAPSHOT_VERSION}`);
    }
    if (snapshot) this.seatKeys = new SeatKeys(snapshot.members);
    return arriving;
  }

  /** The whole room as plain data, for a move. */
  private snapshot(): RoomSnapshot {
    return {
      version: SNAPSHOT_VERSION,
      roomName: this.roomName,
      roomId: this.roomId,
      private: this.unlisted,
      members: [...this.seats.members].map(([sessionId, { connected, spectator }]) => ({ sessionId, connected, spectator })),
      game: this.snapshotGame(),
    };
  }

  /** The successor's side of a move: the members of the snapshot, holding their seats; made before break, unseen until the cut-over. */
  private arrive({ snapshot, liveAfterCutOver, origin }: Arriving): void {
    for (const { sessionId, spectator } of snapshot.members) {
      this.seats.members.set(sessionId, { connected: false, spectator });
      if (!spectator) this.setConnected(sessionId, false);
    }
    this.handoff.arrive(snapshot.members, liveAfterCutOver ? { roomId: snapshot.roomId, origin } : undefined);
  }

  /** The cut-over: members who left the old room for good meanwhile are forgotten, the game rebuilt as it is now, and shown. */
  private showGame({ members, game }: CutOver, waiting: readonly Client[]): void {
    const stillMembers = new Set(members);
    for (const sessionId of [...this.seats.members.keys()]) if (!stillMembers.has(sessionId)) this.removeMember(sessionId);
    this.restoreGame(game as G);
    // A new state has a new serializer: count its patches too.
    meterPatches(this);
    for (const [sessionId, { connected, spectator }] of this.seats.members) if (!spectator) this.setConnected(sessionId, connected);
    for (const client of waiting) this.sendFirstState(client);
    this.seats.publish();
  }

  private markConnected(sessionId: string, connected: boolean): void {
    const member = this.seats.members.get(sessionId);
    if (!member) return;
    member.connected = connected;
    if (!member.spectator) this.setConnected(sessionId, connected);
  }

  private removeMember(sessionId: string): void {
    const member = this.seats.members.get(sessionId);
    this.seats.members.delete(sessionId);
    this.seatKeys.forget(sessionId);
    if (member && !member.spectator) this.removePlayer(sessionId);
    this.seats.publish();
    // A draining room is done once its last member (connected or holding a seat) has gone,
    // even if disposing it then fails on an unreachable Redis.
    if (this.handoff.draining && this.seats.members.size === 0) this.settings.rooms.delete(this);
  }
}

/** Binds settings to a room class; Colyseus constructs rooms without arguments. */
// Mixins need a constructor type with `any[]` arguments (TS2545).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function roomWith<Settings extends KitSettings, C extends new (...args: any[]) => { settings: Settings }>(roomClass: C, settings: Settings): C {
  return class extends roomClass {
    override settings = settings;
  };
}

/** A game as the server's games list names it (rooms/games.ts). */
export interface GameDefinition<Config> {
  /** The room name clients join, e.g. "snek". */
  name: string;
  /** The room class with its settings bound: the kit's, plus what the game reads from the server's config. */
  room(kit: KitSettings, config: Config): new () => GameRoom<Schema, unknown, KitSettings>;
  /**
   * The game's join options, checked during matchmaking (HTTP 400 when they fail).
   * Default: the kit's JoinOptions. A game's own must accept what the kit's accepts.
   */
  joinOptions?: z.ZodType<Record<string, unknown>>;
}
