// A Snek game as plain JSON, for moving a live game to another replica: the
// world (tick, RNG state, snakes with queued turns, food) and who the players
// are. Restoring it gives a world that evolves exactly as the original would
// have. The kit wraps it in its room snapshot (members, privacy, version).

import { createRng } from "./rng.ts";
import type { RulesConfig, Snake, World } from "./rules.ts";

/** A snake is plain data already (cells, directions, numbers): it travels as it is. */
export type SnakeSnapshot = Snake;

export interface WorldSnapshot {
  config: RulesConfig;
  tick: number;
  rngState: number;
  snakes: SnakeSnapshot[];
  food: number[];
}

export interface PlayerSnapshot {
  sessionId: string;
  name: string;
  color: number;
  /** A room bot (absent in snapshots from older replicas: a player). */
  bot?: boolean;
}

export interface SnekSnapshot {
  world: WorldSnapshot;
  players: PlayerSnapshot[];
  /** Snakes the room keeps with bots (absent from older replicas: none). */
  botTarget?: number;
}

export function snapshotWorld(world: World): WorldSnapshot {
  return {
    config: { ...world.config },
    tick: world.tick,
    rngState: world.rng.state,
    snakes: [...world.snakes.values()].map((s) => ({
      id: s.id,
      body: s.body.map((c) => ({ ...c })),
      dir: s.dir,
      turns: [...s.turns],
      alive: s.alive,
      score: s.score,
      best: s.best,
      lastHead: { ...s.lastHead },
      diedAtTick: s.diedAtTick,
      respawnRequested: s.respawnRequested,
      waitTicks: s.waitTicks,
    })),
    food: [...world.food],
  };
}


export function restoreWorld(snapshot: WorldSnapshot): World {
  const snakes = new Map<string, Snake>();
  // `?? 0`: a snapshot from a replica of an older version has no waits (moving snakes).
  for (const s of snapshot.snakes) snakes.set(s.id, { ...s, body: s.body.map((c) => ({ ...c })), turns: [...s.turns], lastHead: { ...s.lastHead }, waitTicks: s.waitTicks ?? 0 });
  const rng = createRng(0);
  rng.state = snapshot.rngState;
  return { config: { ...snapshot.config, startWaitTicks: snapshot.config.startWaitTicks ?? 0 }, tick: snapshot.tick, rng, snakes, food: new Set(snapshot.food) };
}
