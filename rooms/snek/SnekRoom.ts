// The Snek room: a thin adapter between the room kit and the pure rules. It
// queues input into the world, steps the world on the tick and mirrors the
// result into the schema state, then sends one patch per tick. Joining,
// reconnection, the message gate and moving the game to another replica on a
// drain are the kit's (rooms/kit/GameRoom.ts).

import { randomInt } from "node:crypto";
import type { Client } from "@colyseus/core";
import { GameRoom, roomWith, type KitSettings } from "../kit/GameRoom.ts";
import { gameMessages } from "../kit/messageGate.ts";
import { tickDuration } from "../kit/metrics.ts";
import { cleanName, type JoinOptions } from "../kit/protocol.ts";
import { addPlayer, freeColor, mirrorFood, mirrorTick } from "./mirror.ts";
import { CLIENT_MESSAGES } from "./protocol.ts";
import { addSnake, createWorld, queueTurn, removeSnake, requestRespawn, rulesConfigFor, step, type World } from "./rules.ts";
import { restoreWorld, snapshotWorld, type SnekSnapshot } from "./snapshot.ts";
import { SnekState } from "./state.ts";

export interface SnekRoomSettings extends KitSettings {
  tickHz: number;
}

/** The Snek room class with its settings bound, for server.define(). */
export function snekRoomWith(settings: SnekRoomSettings): typeof SnekRoom {
  return roomWith(SnekRoom, settings);
}

export class SnekRoom extends GameRoom<SnekState, SnekSnapshot, SnekRoomSettings> {
  world!: World;

  protected override createGame(): void {
    const { tickHz, maxPlayers } = this.settings;
    this.start(createWorld(rulesConfigFor({ maxPlayers, tickHz }), randomInt(2 ** 32)));
    this.log.debug({ seed: this.world.rng.state }, "world seeded");
  }

  protected override restoreGame({ world, players }: SnekSnapshot): void {
    this.start(restoreWorld(world));
    for (const p of players) {
      addPlayer(this.state, p.sessionId, { name: p.name, color: p.color, connected: false }, this.world.snakes.get(p.sessionId));
    }
  }

  protected override snapshotGame(): SnekSnapshot {
    const players = [...this.state.players.entries()].map(([sessionId, p]) => ({ sessionId, name: p.name, color: p.color }));
    return { world: snapshotWorld(this.world), players };
  }

  protected override clientMessages() {
    return gameMessages(CLIENT_MESSAGES, {
      turn: (client, { dir }) => void queueTurn(this.world, client.sessionId, dir),
      respawn: (client) => void requestRespawn(this.world, client.sessionId),
    });
  }

  protected override addPlayer(client: Client, options: JoinOptions): void {
    const name = cleanName(options.name) ?? `snek-${client.sessionId.slice(0, 4)}`;
    addPlayer(this.state, client.sessionId, { name, color: freeColor(this.state), connected: true }, addSnake(this.world, client.sessionId));
  }

  protected override setConnected(sessionId: string, connected: boolean): void {
    const player = this.state.players.get(sessionId);
    if (player) player.connected = connected;
  }

  protected override removePlayer(sessionId: string): void {
    this.state.players.delete(sessionId);
    removeSnake(this.world, sessionId);
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
    const events = step(this.world);
    mirrorTick(this.world, this.state, events);
    tickDuration.observe((performance.now() - started) / 1000);
    this.broadcastPatch();
  }
}
