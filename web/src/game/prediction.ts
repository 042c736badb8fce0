// Prediction of your own turns. A key press is checked and queued exactly as
// the server will (rules.queueTurn on a one-snake copy of the world), sent,
// and shown at once by stepping that copy forward with rules.step, the turn
// entering the copy's queue at the tick it is expected to reach the server.
// Every patch reconciles: turns the server has applied leave the queue, turns
// it never applied expire, and the prediction restarts from the server's body.

import {
  MAX_QUEUED_TURNS, addSnake, createWorld, queueTurn, step,
  type Cell, type Dir, type RulesConfig, type World,
} from "../../../rooms/snek/rules.ts";

/** Ticks drawn ahead of the newest server state at most (enough for a ~250 ms round trip). */
export const PREDICT_TICKS = 4;
/** A turn the server has not applied this many ticks after it was due was refused or lost. */
const EXPIRY_SLACK_TICKS = 2;
const ME = "me";

export interface ServerSnake {
  /** Head first, from Bodies; empty while dead. */
  body: readonly Cell[];
  dir: Dir;
  alive: boolean;
  tick: number;
  /** A fresh snake standing still until its first turn (or the end of its wait). */
  waiting?: boolean;
}

interface PendingTurn {
  dir: Dir;
  /** The server tick whose step is expected to apply it (the first tick after it arrives). */
  applyTick: number;
}

export interface Prediction {
  /** Predicted heads for the next ticks, nearest first (may be shorter than asked: a predicted death stops it). */
  heads: Cell[];
  /** Body length at each predicted tick. */
  lengths: number[];
  /** The way the snake faces once every queued turn is applied: what the head shows right away. */
  facing: Dir;
}

export class TurnPredictor {
  private pending: PendingTurn[] = [];
  private readonly config: RulesConfig;

  constructor(board: { width: number; height: number }, maxQueuedTurns = MAX_QUEUED_TURNS) {
    // Only movement and collisions matter here: no food, no respawn.
    this.config = {
      width: board.width, height: board.height, startLength: 3, minFood: 0, maxFood: 0,
      respawnDelayTicks: Number.MAX_SAFE_INTEGER, maxQueuedTurns, spawnMargin: 0, startWaitTicks: 0,
    };
  }

  get pendingTurns(): readonly Dir[] {
    return this.pending.map((t) => t.dir);
  }

  /**
   * A key asks for `dir`. Returns true if the server will accept it (so it
   * should be sent and is now predicted), false for a no-op or a reversal.
   * `applyTick`: the server step expected to apply it, from the time it will
   * arrive (GameSession works it out from the clock and the round trip).
   */
  requestTurn(dir: Dir, server: ServerSnake, applyTick = server.tick + 1): boolean {
    if (!server.alive || server.body.length === 0) return false;
    const world = this.worldFrom(server);
    world.snakes.get(ME)!.turns = this.pending.map((t) => t.dir);
    if (!queueTurn(world, ME, dir)) return false;
    // Turns reach the server in the order they were sent.
    const after = this.pending[this.pending.length - 1]?.applyTick ?? -Infinity;
    this.pending.push({ dir, applyTick: Math.max(applyTick, after) });
    return true;
  }

  /**
   * After each patch. The server applies at most one queued turn per tick, so
   * a patch whose direction equals the oldest pending turn consumed it.
   */
  reconcile(server: ServerSnake, rttTicks: number): void {
    if (!server.alive) {
      this.pending = [];
      return;
    }
    const oldest = this.pending[0];
    if (!oldest) return;
    if (server.dir === oldest.dir) {
      this.pending.shift();
      return;
    }
    const dueBy = oldest.applyTick + Math.ceil(rttTicks / 2) + EXPIRY_SLACK_TICKS;
    // Later turns were checked against this one, so they go with it.
    if (server.tick > dueBy) this.pending = [];
  }

  /** Forget queued turns (reconnect, respawn, resync). */
  clear(): void {
    this.pending = [];
  }

  /**
   * The next `ticks` heads the server will produce: each pending turn joins
   * the queue at its expected tick, and the queue applies one per tick.
   */
  predict(server: ServerSnake, ticks = PREDICT_TICKS): Prediction {
    const facing = this.pending[this.pending.length - 1]?.dir ?? server.dir;
    if (!server.alive || server.body.length === 0) return { heads: [], lengths: [], facing };
    const world = this.worldFrom(server);
    const snake = world.snakes.get(ME)!;
    const heads: Cell[] = [];
    const lengths: number[] = [];
    let queued = 0;
    for (let i = 1; i <= ticks; i++) {
      while (queued < this.pending.length && this.pending[queued]!.applyTick <= server.tick + i) {
        snake.turns.push(this.pending[queued]!.dir);
        queued++;
      }
      step(world);
      if (!snake.alive) break;
      heads.push(snake.body[0]!);
      lengths.push(snake.body.length);
    }
    return { heads, lengths, facing };
  }

  private worldFrom(server: ServerSnake): World {
    const world = createWorld(this.config, 0);
    world.tick = server.tick;
    const snake = addSnake(world, ME);
    snake.body = server.body.map((c) => ({ x: c.x, y: c.y }));
    snake.dir = server.dir;
    snake.turns = [];
    snake.alive = true;
    // The wait's end is the server's to tell; until then a waiting snake is predicted to stand still.
    snake.waitTicks = server.waiting ? Number.MAX_SAFE_INTEGER : 0;
    return world;
  }
}
