// Copies what a tick changed from the pure world into the schema state,
// assigning only fields whose value changed so unchanged ones cost no bytes.
// The room and bench:room share it.

import { PALETTE_SIZE, dirCode, encodeTrail } from "./protocol.ts";
import type { Snake, StepEvents, World } from "./rules.ts";
import { PlayerState, type SnekState } from "./state.ts";

export function mirrorTick(world: World, state: SnekState, events: StepEvents): void {
  state.tick = world.tick;
  const changed = new Set([...events.moved, ...events.spawned, ...events.died.map((d) => d.id)]);
  for (const id of changed) {
    const snake = world.snakes.get(id);
    const player = state.players.get(id);
    if (snake && player) mirrorSnake(player, snake);
  }
  mirrorFood(state, events.foodAdded, events.foodRemoved);
}

export function mirrorSnake(player: PlayerState, snake: Snake): void {
  const head = snake.body[0] ?? snake.lastHead;
  if (player.x !== head.x) player.x = head.x;
  if (player.y !== head.y) player.y = head.y;
  const dir = dirCode(snake.dir);
  if (player.dir !== dir) player.dir = dir;
  if (player.length !== snake.body.length) player.length = snake.body.length;
  if (player.score !== snake.score) player.score = snake.score;
  if (player.best !== snake.best) player.best = snake.best;
  if (player.alive !== snake.alive) player.alive = snake.alive;
  const waiting = snake.alive && snake.waitTicks > 0;
  if (player.waiting !== waiting) player.waiting = waiting;
  // Full-state only: no patch bytes, but a joining client needs it current.
  player.trail = encodeTrail(snake.body);
}

/**
 * Puts a player in the state, then mirrors its snake. In that order: a
 * full-state-only field (the trail) written before its object joins the state
 * is never encoded.
 */
export function addPlayer(state: SnekState, sessionId: string, fields: { name: string; color: number; connected: boolean; bot: boolean }, snake: Snake | undefined): PlayerState {
  const player = new PlayerState(fields);
  state.players.set(sessionId, player);
  if (snake) mirrorSnake(player, snake);
  return player;
}

/** The lowest palette colour nobody in the room has, so colours stay distinct and stable. */
export function freeColor(state: SnekState): number {
  const used = new Set([...state.players.values()].map((p) => p.color));
  for (let color = 0; color < PALETTE_SIZE; color++) if (!used.has(color)) return color;
  return state.players.size % PALETTE_SIZE;
}

/** Food is keyed by its cell index in base 36 (short keys, cheap adds). */
export function mirrorFood(state: SnekState, added: readonly number[], removed: readonly number[]): void {
  for (const index of removed) state.food.delete(index.toString(36));
  for (const index of added) state.food.set(index.toString(36), index);
}
