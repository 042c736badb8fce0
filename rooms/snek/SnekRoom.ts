// The Snek room: a thin adapter between Colyseus and the pure rules. It checks
// input, queues it into the world, steps the world on the tick and mirrors the
// result into the schema state, then sends one patch per tick.

import { randomInt } from "node:crypto";
import { Room, ServerError, type Client } from "@colyseus/core";
import type { Logger } from "pino";
import { z } from "zod";
import { clientsConnected, roomsActive, tickDuration } from "../server/metrics.ts";
import { installMessageGate, type MessageGate } from "../server/messageGate.ts";
import { meterPatches } from "../server/patchMeter.ts";
import { mirrorFood, mirrorSnake, mirrorTick } from "./mirror.ts";
import { CLOSE_CODES, FLOOD_DISCONNECT_PER_SECOND, JoinOptions, PALETTE_SIZE, SERVER_MESSAGES, cleanName, type DrainNotice } from "./protocol.ts";
import { addSnake, createWorld, queueTurn, removeSnake, requestRespawn, rulesConfigFor, step, type World } from "./rules.ts";
import { PlayerState, SnekState } from "./state.ts";

export interface SnekRoomSettings {
  tickHz: number;
  maxPlayers: number;
  reconnectSeconds: number;
  drainSeconds: number;
  log: Logger;
}

/** Binds settings to a room class; Colyseus constructs rooms without arguments. */
export function snekRoomWith(settings: SnekRoomSettings): typeof SnekRoom {
  return class extends SnekRoom {
    override settings = settings;
  };
}

export class SnekRoom extends Room<{ state: SnekState }> {
  settings!: SnekRoomSettings;
  world!: World;
  private log!: Logger;
  private gate!: MessageGate;
  /** Set when the replica starts draining: when this room closes (clock ms). */
  private drainEndsAtMs: number | undefined;

  /** Runs during HTTP matchmaking, so unusable options get an HTTP 400 before any seat is taken. */
  static override async onAuth(_token: string, options: unknown): Promise<boolean> {
    const parsed = JoinOptions.safeParse(options ?? {});
    if (!parsed.success) throw new ServerError(400, `invalid join options: ${z.prettifyError(parsed.error)}`);
    return true;
  }

  override async onCreate(options: JoinOptions): Promise<void> {
    const { tickHz, maxPlayers } = this.settings;
    this.log = this.settings.log.child({ roomId: this.roomId });
    this.maxClients = maxPlayers;
    this.maxMessagesPerSecond = FLOOD_DISCONNECT_PER_SECOND;
    if (options.private === true) await this.setPrivate(true);

    this.world = createWorld(rulesConfigFor({ maxPlayers, tickHz }), randomInt(2 ** 32));
    this.state = new SnekState({ width: this.world.config.width, height: this.world.config.height, tickHz, tick: 0 });
    meterPatches(this);
    mirrorFood(this.state, [...this.world.food], []);

    this.gate = installMessageGate(this, {
      turn: (client, { dir }) => queueTurn(this.world, client.sessionId, dir),
      respawn: (client) => requestRespawn(this.world, client.sessionId),
    });
    // One patch per tick, sent right after the tick, so clients see every move.
    this.patchRate = null;
    this.setSimulationInterval(() => this.tick(), 1000 / tickHz);
    roomsActive.inc();
    this.log.info({ private: options.private === true, seed: this.world.rng.state }, "room created");
  }

  override onJoin(client: Client, options: JoinOptions): void {
    this.gate.watch(client);
    const snake = addSnake(this.world, client.sessionId);
    const player = new PlayerState({
      name: cleanName(options?.name) ?? `snek-${client.sessionId.slice(0, 4)}`,
      color: this.freeColor(),
      connected: true,
    });
    mirrorSnake(player, snake);
    this.state.players.set(client.sessionId, player);
    clientsConnected.inc();
    this.log.debug({ sessionId: client.sessionId, name: player.name }, "player joined");
  }

  override async onDrop(client: Client, code?: number): Promise<void> {
    const player = this.state.players.get(client.sessionId);
    if (player) player.connected = false;
    clientsConnected.dec();
    // A client closed for bad input does not get its seat back; anyone else does, for a while.
    if (this.gate.closedForAbuse(client, code) || this.settings.reconnectSeconds === 0) return;
    this.log.debug({ sessionId: client.sessionId, code }, "player dropped; waiting for reconnect");
    await this.allowReconnection(client, this.settings.reconnectSeconds);
  }

  override onReconnect(client: Client): void {
    const player = this.state.players.get(client.sessionId);
    if (player) player.connected = true;
    clientsConnected.inc();
    if (this.drainEndsAtMs !== undefined) this.sendDrainNotice(client);
    this.log.debug({ sessionId: client.sessionId }, "player reconnected");
  }

  /**
   * SIGTERM: Colyseus has locked the room. Players are told and keep playing
   * for DRAIN_SECONDS, then are closed with CLOSE_CODES.drained.
   */
  override onBeforeShutdown(): void {
    const drainMs = this.settings.drainSeconds * 1000;
    this.drainEndsAtMs = this.clock.currentTime + drainMs;
    for (const client of this.clients) this.sendDrainNotice(client);
    this.log.info({ clients: this.clients.length, drainSeconds: this.settings.drainSeconds }, "draining room");
    this.clock.setTimeout(() => void this.disconnect(CLOSE_CODES.drained), drainMs);
  }

  private sendDrainNotice(client: Client): void {
    const seconds = Math.max(0, Math.ceil(((this.drainEndsAtMs ?? 0) - this.clock.currentTime) / 1000));
    const notice: DrainNotice = { seconds, message: `This server is restarting. The game ends in ${seconds} s; join again to keep playing.` };
    client.send(SERVER_MESSAGES.draining, notice);
  }

  override onLeave(client: Client): void {
    const player = this.state.players.get(client.sessionId);
    if (player?.connected) clientsConnected.dec();
    this.state.players.delete(client.sessionId);
    removeSnake(this.world, client.sessionId);
  }

  override onDispose(): void {
    roomsActive.dec();
    this.log.info("room disposed");
  }

  private tick(): void {
    const started = performance.now();
    const events = step(this.world);
    mirrorTick(this.world, this.state, events);
    tickDuration.observe((performance.now() - started) / 1000);
    this.broadcastPatch();
  }

  private freeColor(): number {
    const used = new Set([...this.state.players.values()].map((p) => p.color));
    for (let color = 0; color < PALETTE_SIZE; color++) if (!used.has(color)) return color;
    return this.state.players.size % PALETTE_SIZE;
  }
}
