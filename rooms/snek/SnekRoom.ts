// The Snek room: a thin adapter between Colyseus and the pure rules. It checks
// input, queues it into the world, steps the world on the tick and mirrors the
// result into the schema state, then sends one patch per tick. When its replica
// drains, it moves the whole game to another replica (migrate) or, failing
// that, lets players finish for DRAIN_SECONDS (onBeforeShutdown).

import { randomInt } from "node:crypto";
import { ClientState, Room, ServerError, type Client } from "@colyseus/core";
import type { Logger } from "pino";
import { z } from "zod";
import { clientsConnected, roomsActive, tickDuration } from "../server/metrics.ts";
import { installMessageGate, type MessageGate } from "../server/messageGate.ts";
import type { MigrationStore } from "../server/migration.ts";
import { meterPatches } from "../server/patchMeter.ts";
import { Arrival } from "./handoff.ts";
import { addPlayer, freeColor, mirrorFood, mirrorTick } from "./mirror.ts";
import { MOVE_FAILED, drainNotice, migrateNotice } from "./notices.ts";
import { CLOSE_CODES, FLOOD_DISCONNECT_PER_SECOND, JoinOptions, SERVER_MESSAGES, cleanName, type SeatReservation } from "./protocol.ts";
import { addSnake, createWorld, queueTurn, removeSnake, requestRespawn, rulesConfigFor, step, type World } from "./rules.ts";
import { restoreWorld, snapshotRoom, type RoomSnapshot } from "./snapshot.ts";
import { SnekState } from "./state.ts";

export interface SnekRoomSettings {
  tickHz: number;
  maxPlayers: number;
  reconnectSeconds: number;
  drainSeconds: number;
  log: Logger;
  /** Present with Redis: rooms can move to another replica. */
  migration?: MigrationStore;
  /** Every live room of this process, for the drain. */
  rooms: Set<SnekRoom>;
}

/** Binds settings to a room class; Colyseus constructs rooms without arguments. */
export function snekRoomWith(settings: SnekRoomSettings): typeof SnekRoom {
  return class extends SnekRoom {
    override settings = settings;
  };
}

/** Options only the server passes, when it creates a room's successor. */
type CreateOptions = Omit<JoinOptions, "migration"> & { migration?: string };

export class SnekRoom extends Room<{ state: SnekState }> {
  settings!: SnekRoomSettings;
  world!: World;
  private log!: Logger;
  private gate!: MessageGate;
  /** Set when the replica starts draining: when this room closes (clock ms). */
  private drainEndsAtMs: number | undefined;
  /** Set once the room has moved: each player's seat in the successor. */
  private seats: Map<string, SeatReservation> | undefined;
  private arrival: Arrival | undefined;
  /** No ticks while the game is being moved (out, or not yet back in). */
  private frozen = false;
  private unlisted = false;

  /** Runs during HTTP matchmaking, so unusable options get an HTTP 400 before any seat is taken. */
  static override async onAuth(_token: string, options: unknown): Promise<boolean> {
    const parsed = JoinOptions.safeParse(options ?? {});
    if (!parsed.success) throw new ServerError(400, `invalid join options: ${z.prettifyError(parsed.error)}`);
    return true;
  }

  override async onCreate(options: CreateOptions): Promise<void> {
    const { tickHz, maxPlayers } = this.settings;
    this.log = this.settings.log.child({ roomId: this.roomId });
    this.maxClients = maxPlayers;
    this.maxMessagesPerSecond = FLOOD_DISCONNECT_PER_SECOND;

    const snapshot = options.migration ? await this.settings.migration?.take(options.migration) : undefined;
    if (options.migration && !snapshot) throw new Error(`no snapshot at ${options.migration}`);
    this.unlisted = snapshot?.private ?? options.private === true;
    if (this.unlisted) await this.setPrivate(true);

    this.world = snapshot ? restoreWorld(snapshot.world) : createWorld(rulesConfigFor({ maxPlayers, tickHz }), randomInt(2 ** 32));
    this.state = new SnekState({ width: this.world.config.width, height: this.world.config.height, tickHz, tick: this.world.tick });
    meterPatches(this);
    mirrorFood(this.state, [...this.world.food], []);
    if (snapshot) this.arrive(snapshot);

    this.gate = installMessageGate(this, {
      turn: (client, { dir }) => queueTurn(this.world, client.sessionId, dir),
      respawn: (client) => requestRespawn(this.world, client.sessionId),
    });
    // One patch per tick, sent right after the tick, so clients see every move.
    this.patchRate = null;
    this.setSimulationInterval(() => this.tick(), 1000 / tickHz);
    this.settings.rooms.add(this);
    roomsActive.inc();
    this.log.info({ private: this.unlisted, seed: this.world.rng.state, movedFrom: snapshot?.roomId }, "room created");
  }

  override onJoin(client: Client, options: JoinOptions): void {
    this.gate.watch(client);
    clientsConnected.inc();
    if (this.arrival?.arrived(client.sessionId)) {
      this.state.players.get(client.sessionId)!.connected = true;
      this.log.debug({ sessionId: client.sessionId }, "player followed the room");
      return;
    }
    const name = cleanName(options?.name) ?? `snek-${client.sessionId.slice(0, 4)}`;
    addPlayer(this.state, client.sessionId, { name, color: freeColor(this.state), connected: true }, addSnake(this.world, client.sessionId));
  }

  override async onDrop(client: Client, code?: number): Promise<void> {
    const player = this.state.players.get(client.sessionId);
    if (player) player.connected = false;
    clientsConnected.dec();
    // A client closed for bad input does not get its seat back; anyone else does, for a while.
    if (this.gate.closedForAbuse(client, code) || this.settings.reconnectSeconds === 0) return;
    await this.allowReconnection(client, this.settings.reconnectSeconds);
  }

  override onReconnect(client: Client): void {
    const player = this.state.players.get(client.sessionId);
    if (player) player.connected = true;
    clientsConnected.inc();
    // Dropped while the room moved: follow it now. Dropped while draining: hear about it again.
    if (this.seats) this.sendMigrate(client);
    else if (this.drainEndsAtMs !== undefined) this.sendDrainNotice(client);
  }

  override onLeave(client: Client): void {
    const player = this.state.players.get(client.sessionId);
    if (player?.connected) clientsConnected.dec();
    this.removePlayer(client.sessionId);
    // A draining room is done once its last player (connected or holding a seat) has gone,
    // even if disposing it then fails on an unreachable Redis.
    if (this.drainEndsAtMs !== undefined && this.state.players.size === 0) this.settings.rooms.delete(this);
  }

  override onDispose(): void {
    this.settings.rooms.delete(this);
    roomsActive.dec();
    this.log.info("room disposed");
  }

  /**
   * SIGTERM without a move: players are told and keep playing for
   * DRAIN_SECONDS, then are closed with CLOSE_CODES.drained. A room that moved
   * closes once its players have followed, within the same bound. Called by the
   * lifecycle (which must not depend on Redis) and again by Colyseus' shutdown.
   */
  beginDrain(): void {
    if (this.drainEndsAtMs !== undefined) return;
    // Locking writes to the driver; with Redis gone that fails, and the drain goes on regardless.
    this.lock().catch(() => undefined);
    const drainMs = this.settings.drainSeconds * 1000;
    this.drainEndsAtMs = this.clock.currentTime + drainMs;
    this.clock.setTimeout(() => void this.disconnect(CLOSE_CODES.drained).catch(() => undefined), drainMs);
    if (this.seats) return;
    for (const client of this.clients) this.sendDrainNotice(client);
    this.log.info({ clients: this.clients.length, drainSeconds: this.settings.drainSeconds }, "draining room");
  }

  override onBeforeShutdown(): void {
    this.beginDrain();
  }

  /**
   * Moves the game to a room on another replica: snapshot to Redis, successor
   * created elsewhere from it, a seat there for every player under the same
   * sessionId, and each client told to follow. Returns false if it could not.
   */
  async migrate(): Promise<boolean> {
    const store = this.settings.migration;
    if (!store) return false;
    this.frozen = true;
    const players = [...this.state.players.entries()].map(([sessionId, p]) => ({ sessionId, name: p.name, color: p.color, connected: p.connected }));
    const snapshot = snapshotRoom(this.roomId, this.unlisted, this.world, players);
    try {
      const move = await store.move(snapshot);
      this.seats = move.seats;
      this.log.info({ to: move.successor.roomId, processId: move.successor.processId, players: move.seats.size, tick: this.world.tick }, "room moved");
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, "room could not move; players go back to matchmaking");
      this.broadcast(SERVER_MESSAGES.migrate, MOVE_FAILED);
      this.clock.setTimeout(() => void this.disconnect(CLOSE_CODES.drained), 1000);
      return false;
    }
    for (const client of this.clients) this.sendMigrate(client);
    return true;
  }

  private sendMigrate(client: Client): void {
    client.send(SERVER_MESSAGES.migrate, migrateNotice(this.seats?.get(client.sessionId)));
  }

  /** The successor's side of a move: the players of the snapshot, holding their seats. */
  private arrive(snapshot: RoomSnapshot): void {
    // A player who was reconnecting when the room moved needs its seat for the rest of its window.
    this.seatReservationTimeout = Math.max(this.seatReservationTimeout, this.settings.reconnectSeconds + 5);
    for (const p of snapshot.players) {
      addPlayer(this.state, p.sessionId, { name: p.name, color: p.color, connected: false }, this.world.snakes.get(p.sessionId));
    }
    this.arrival = new Arrival(snapshot.players, this.clock.currentTime, this.seatReservationTimeout);
    this.frozen = true;
  }

  private sendDrainNotice(client: Client): void {
    const seconds = Math.max(0, Math.ceil(((this.drainEndsAtMs ?? 0) - this.clock.currentTime) / 1000));
    client.send(SERVER_MESSAGES.draining, drainNotice(seconds, this.settings.migration !== undefined));
  }

  private tick(): void {
    if (this.arrival) this.settleArrival();
    if (this.frozen) return;
    const started = performance.now();
    const events = step(this.world);
    mirrorTick(this.world, this.state, events);
    tickDuration.observe((performance.now() - started) / 1000);
    this.broadcastPatch();
  }

  private settleArrival(): void {
    const arrival = this.arrival!;
    const now = this.clock.currentTime;
    for (const sessionId of arrival.expired(now)) this.removePlayer(sessionId);
    // Colyseus marks a client JOINED right before it sends that client the full state.
    const hasState = (sessionId: string) => this.clients.getById(sessionId)?.state === ClientState.JOINED;
    if (!this.seats && this.frozen && !arrival.holding(now, hasState)) this.frozen = false;
    if (arrival.done && !this.frozen) this.arrival = undefined;
  }

  private removePlayer(sessionId: string): void {
    this.state.players.delete(sessionId);
    removeSnake(this.world, sessionId);
  }
}
