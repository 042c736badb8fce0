// Bot snakes that keep a small public room lively: the room holds up to
// `target` snakes counting its players, a bot leaves as each player joins,
// and comes back when one leaves. Bots are snakes in the same world under the
// same rules, steered by the bots' brain (brain.ts, which the load tool's bots use too) from what
// a player could see; they hold no seat and no socket, so they never count as
// players (room listings, metrics, the room's capacity).

import { chooseDirection, type BoardView } from "./brain.ts";
import { DIRS, addSnake, cellIndex, nextCell, queueTurn, removeSnake, requestRespawn, type World } from "./rules.ts";

/** Names bots play under; the client marks them as bots. */
const BOT_NAMES = ["Ada", "Bit", "Cog", "Dot", "Eon", "Fizz", "Gig", "Hex", "Ion", "Jot", "Kit", "Lux", "Mox", "Nib", "Orb", "Pip"];
/** A bot turns at most this often unless going on would kill it: about a person's pace. */
const TURN_GAP_TICKS = 3;
/** Cells ahead of a newcomer's snake that bots treat as a wall, so its first run is clear. */
const NEWCOMER_LANE_CELLS = 30;
/** How long after setting off a newcomer's lane stays clear of bots (ticks). */
const NEWCOMER_TICKS = 50;
/** Ticks a dead bot waits before it asks to come back (players take a moment too). */
const RESPAWN_PAUSE_TICKS = 15;

export interface BotSeat {
  id: string;
  name: string;
}

export class RoomBots {
  private readonly world: World;
  /** Snakes (players and bots) the room keeps at least; 0: no bots. */
  readonly target: number;
  private readonly lastTurnTick = new Map<string, number>();
  /** Last tick each player's snake was seen waiting. */
  private readonly waitingSeen = new Map<string, number>();
  private serial = 0;

  /** `target`: snakes (players and bots) the room keeps at least; 0 turns bots off. */
  constructor(world: World, target: number, existing: readonly string[] = []) {
    this.world = world;
    this.target = target;
    for (const id of existing) this.lastTurnTick.set(id, world.tick);
    this.serial = existing.length;
  }

  get ids(): string[] {
    return [...this.lastTurnTick.keys()];
  }

  isBot(id: string): boolean {
    return this.lastTurnTick.has(id);
  }

  /**
   * With `players` players in the room: the bots to add (their snakes are in
   * the world already) and the ids of bots to remove (still in it: the caller
   * mirrors the removal, then calls forget()).
   */
  balance(players: number): { added: BotSeat[]; removed: string[] } {
    const want = Math.max(0, this.target - players);
    const added: BotSeat[] = [];
    const removed: string[] = [];
    const ids = this.ids;
    for (let i = ids.length; i < want; i++) {
      const id = `bot-${++this.serial}`;
      addSnake(this.world, id);
      this.lastTurnTick.set(id, this.world.tick);
      added.push({ id, name: BOT_NAMES[(this.serial - 1) % BOT_NAMES.length]! });
    }
    // The newest bots leave first.
    for (const id of ids.slice(want).reverse()) removed.push(id);
    for (const id of removed) {
      removeSnake(this.world, id);
      this.lastTurnTick.delete(id);
    }
    return { added, removed };
  }

  /** Players' snakes that are waiting for their first turn, or set off less than NEWCOMER_TICKS ago. */
  private newcomers(): string[] {
    const ids: string[] = [];
    for (const [id, snake] of this.world.snakes) {
      if (this.isBot(id) || !snake.alive) continue;
      if (snake.waitTicks > 0) this.waitingSeen.set(id, this.world.tick);
      const seen = this.waitingSeen.get(id);
      if (seen !== undefined && this.world.tick - seen <= NEWCOMER_TICKS) ids.push(id);
      else this.waitingSeen.delete(id);
    }
    return ids;
  }

  /** Before each step: every bot looks at the board and maybe turns, starts, or asks to respawn. */
  steer(): void {
    if (this.lastTurnTick.size === 0) return;
    const view = boardView(this.world, this.newcomers());
    let key = 0;
    for (const [id, lastTurn] of this.lastTurnTick) {
      key++;
      const snake = this.world.snakes.get(id);
      if (!snake) continue;
      if (!snake.alive) {
        if (this.world.tick - snake.diedAtTick >= RESPAWN_PAUSE_TICKS) requestRespawn(this.world, id);
        continue;
      }
      const head = snake.body[0]!;
      const decision = chooseDirection(view(key, head), { head, facing: snake.dir, length: snake.body.length, self: key });
      const turning = decision.dir !== snake.dir && (decision.urgent || this.world.tick - lastTurn >= TURN_GAP_TICKS);
      // A fresh bot snake sets off at once: a "turn" its own way starts it.
      if (turning || snake.waitTicks > 0) {
        if (queueTurn(this.world, id, decision.dir) && turning) this.lastTurnTick.set(id, this.world.tick);
      }
    }
  }
}

/** What a bot sees this tick: bodies block, cells other heads can reach next are contested. */
function boardView(world: World, newcomers: Iterable<string>): (self: number, selfHead: { x: number; y: number }) => BoardView {
  const { width, height } = world.config;
  const blocked = new Set<number>();
  const reach = new Map<number, number>(); // cell -> how many heads can step there
  for (const snake of world.snakes.values()) {
    if (!snake.alive) continue;
    for (const cell of snake.body) blocked.add(cellIndex(world, cell));
    const head = snake.body[0]!;
    for (const dir of DIRS) {
      const next = nextCell(head, dir);
      if (next.x >= 0 && next.y >= 0 && next.x < width && next.y < height) {
        const index = cellIndex(world, next);
        reach.set(index, (reach.get(index) ?? 0) + 1);
      }
    }
  }
  // A newcomer's snake (waiting for its first key, or just set off) goes straight ahead: bots keep out of that lane.
  const lanes = new Set<number>();
  for (const id of newcomers) {
    const snake = world.snakes.get(id);
    if (!snake?.alive) continue;
    let cell = nextCell(snake.body[0]!, snake.dir);
    for (let i = 0; i < NEWCOMER_LANE_CELLS && cell.x >= 0 && cell.y >= 0 && cell.x < width && cell.y < height; i++, cell = nextCell(cell, snake.dir)) {
      lanes.add(cellIndex(world, cell));
    }
  }
  const foodCells = [...world.food];
  return (_self, selfHead) => {
    const own = new Set(DIRS.map((dir) => nextCell(selfHead, dir)).filter((c) => c.x >= 0 && c.y >= 0 && c.x < width && c.y < height).map((c) => cellIndex(world, c)));
    return {
      width,
      height,
      foodCells,
      // A newcomer's lane counts as a wall: a bot never enters it, rather than weighing the risk.
      isBlocked: (cell) => blocked.has(cell) || lanes.has(cell),
      // Another head can reach it: more heads than this bot's own.
      isContested: (cell) => (reach.get(cell) ?? 0) > (own.has(cell) ? 1 : 0),
    };
  };
}
