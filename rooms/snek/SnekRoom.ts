// The Snek room: a thin adapter between the room kit and the pure rules. It
// queues input into the world, steps the world on the tick and mirrors the
// result into the schema state, then sends one patch per tick. Joining,
// reconnection, the message gate and moving the game to another replica on a
// drain are the kit's (rooms/kit/GameRoom.ts).

import { randomInt } from "node:crypto";
import type { Client } from "@colyseus/core";
import { GameRoom, roomWith, type KitSettings, type RoomOptions } from "../kit/GameRoom.ts";
import { gameMessages } from "../kit/messageGate.ts";
import { tickDuration } from "../kit/metrics.ts";
import { cleanName, type JoinOptions } from "../kit/protocol.ts";
import { addPlayer, freeColor, mirrorFood, mirrorTick } from "./mirror.ts";
import { CLIENT_MESSAGES, type JoinOptions as SnekJoinOptions } from "./protocol.ts";
import { addSnake, createWorld, queueTurn, removeSnake, requestRespawn, rulesConfigFor, step, type World } from "./rules.ts";
import { RoomBots } from "./roomBots.ts";
import { restoreWorld, snapshotWorld, type SnekSnapshot } from "./snapshot.ts";
import { SnekState } from "./state.ts";

/** What Snek reads from the server's Config (TICK_HZ, ROOM_BOTS), by Config's own names; rooms/games.ts passes them. */
export const SNEK_CONFIG = ["tickHz", "roomBots"] as const;

export interface SnekRoomSettings extends KitSettings, Record<(typeof SNEK_CONFIG)[number], number> {}

/** The Snek room class with its settings bound, for server.define(). */
export function snekRoomWith(settings: SnekRoomSettings): typeof SnekRoom {
  return roomWith(SnekRoom, settings);
}

export class SnekRoom extends GameRoom<SnekState, SnekSnapshot, SnekRoomSettings> {
  world!: World;
  bots!: RoomBots;

  protected override createGame(options: RoomOptions & Pick<SnekJoinOptions, "bots">): void {
    const { tickHz, maxPlayers, roomBots } = this.settings;
    this.start(createWorld(rulesConfigFor({ maxPlayers, tickHz }), randomInt(2 ** 32)));
    // Bots keep public rooms lively; a private room gets them only when its creator asks.
    this.bots = new RoomBots(this.world, (options.bots ?? !options.private) ? roomBots : 0);
    this.balanceBots();
    this.log.debug({ seed: this.world.rng.state }, "world seeded");
  }

  protected override restoreGame({ world, players, botTarget = 0 }: SnekSnapshot): void {
    this.start(restoreWorld(world));
    for (const p of players) {
      addPlayer(this.state, p.sessionId, { name: p.name, color: p.color, connected: p.bot === true, bot: p.bot === true }, this.world.snakes.get(p.sessionId));
    }
    this.bots = new RoomBots(this.world, botTarget, players.filter((p) => p.bot).map((p) => p.sessionId));
  }

  protected override snapshotGame(): SnekSnapshot {
    const players = [...this.state.players.entries()].map(([sessionId, p]) => ({ sessionId, name: p.name, color: p.color, bot: p.bot }));
    return { world: snapshotWorld(this.world), players, botTarget: this.bots.target };
  }

  protected override clientMessages() {
    return gameMessages(CLIENT_MESSAGES, {
      turn: (client, { dir }) => void queueTurn(this.world, client.sessionId, dir),
      respawn: (client) => void requestRespawn(this.world, client.sessionId),
    });
  }

  protected override addPlayer(client: Client, options: JoinOptions): void {
    const name = cleanName(options.name) ?? `snek-${client.sessionId.slice(0, 4)}`;
    addPlayer(this.state, client.sessionId, { name, color: freeColor(this.state), connected: true, bot: false }, addSnake(this.world, client.sessionId));
    this.balanceBots();
  }

  protected override setConnected(sessionId: string, connected: boolean): void {
    const player = this.state.players.get(sessionId);
    if (player) player.connected = connected;
  }

  protected override removePlayer(sessionId: string): void {
    this.state.players.delete(sessionId);
    removeSnake(this.world, sessionId);
    this.balanceBots();
  }

  /** A bot leaves as each player joins, and comes back when one leaves. */
  private balanceBots(): void {
    const { added, removed } = this.bots.balance(this.state.players.size - this.bots.ids.length);
    for (const id of removed) this.state.players.delete(id);
    for (const bot of added) {
      addPlayer(this.state, bot.id, { name: bot.name, color: freeColor(this.state), connected: true, bot: true }, this.world.snakes.get(bot.id));
    }
  }

  private start(world: World): void {
    const { tickHz } = this.settings;
    this.world = world;
    this.state = new SnekState({ width: world.config.width, height: world.config.height, tickHz, tick: world.tick });
    mirrorFood(this.state, [...world.food], []);
    // One patch per tick, sent right after the tick, so clients see every move.
    this.patchRate = null;
    this.setSimulationInterval(() => this.tick(), 1000 / tickHz);
  }

  private tick(): void {
    if (!this.running) return;
    const started = performance.now();
    this.bots.steer();
    const events = step(this.world);
    mirrorTick(this.world, this.state, events);
    tickDuration.observe((performance.now() - started) / 1000);
    this.broadcastPatch();
  }
}
