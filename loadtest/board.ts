// One picture of a room per load-generator thread. Every bot in a room decodes
// the same patches, so the bodies (rebuilt from head moves by the shared
// Bodies tracker), the occupancy grid and the full-state JSON size are worked
// out once per room and tick, by whichever bot sees the tick first.

import { Bodies, type PlayerView } from "../rooms/snek/bodies.ts";
import { DIRS, type Cell } from "../rooms/snek/rules.ts";
import type { PlayerState, SnekState } from "../rooms/snek/state.ts";
import type { BoardView } from "../rooms/snek/brain.ts";

/** The full-state JSON is sized on one tick in this many. */
const JSON_SIZE_EVERY_TICKS = 5;
const SEVERAL_SNAKES = -2;

/** A bot of the room, told when the picture moves on. */
export interface BoardMember {
  onTick(board: RoomBoard): void;
  /** No member of the room decodes any more: leave and join again. */
  reseat(): void;
}

export class RoomBoard implements BoardView {
  width = 0;
  height = 0;
  /** Last tick fed in; -1 before the first state. */
  tick = -1;
  foodCells: number[] = [];
  /** Bytes of the whole board as JSON at `tick` (what a full-state JSON broadcast would send). */
  jsonFullStateBytes = 0;
  /** The decoded state last fed in (from one of the decoding bots). */
  state: SnekState | undefined;
  readonly members = new Set<BoardMember>();
  /** Members that decode the state themselves. */
  eyes = 0;

  private bodies = new Bodies();
  private readonly keys = new Map<string, number>();
  private nextKey = 0;
  private jsonSizedAtTick = -1;
  private generation = 0;
  private blockedAt = new Uint32Array(0);
  private contestedAt = new Uint32Array(0);
  private contestedBy = new Int32Array(0);

  /** A small integer naming a player on this board, for isContested(). */
  keyOf(sessionId: string): number {
    let key = this.keys.get(sessionId);
    if (key === undefined) this.keys.set(sessionId, (key = this.nextKey++));
    return key;
  }

  bodyOf(sessionId: string): readonly Cell[] {
    return this.bodies.get(sessionId);
  }

  /**
   * Feeds a decoded state. Only a newer tick is applied: bots of one room see
   * the same ticks in the same order, so the first to see a tick speaks for all.
   */
  update(state: SnekState, fullState = false): boolean {
    if (state.tick <= this.tick || state.width === 0) return false;
    // Ticks were missed (no bot decoded for a while): start the bodies afresh from the full state's trails.
    if (fullState && this.tick >= 0 && state.tick > this.tick + 1) this.bodies = new Bodies();
    this.tick = state.tick;
    this.state = state;
    if (state.width !== this.width || state.height !== this.height) this.resize(state.width, state.height);
    this.bodies.update(withTrails(state, fullState));
    this.rebuild(state);
    return true;
  }

  /** update(), then every member looks at the new tick. `fullState`: the state a client decoded on joining. */
  feed(state: SnekState, fullState: boolean): void {
    if (!this.update(state, fullState)) return;
    for (const member of this.members) member.onTick(this);
  }

  isBlocked(cell: number): boolean {
    return this.blockedAt[cell] === this.generation;
  }

  isContested(cell: number, self: number): boolean {
    if (this.contestedAt[cell] !== this.generation) return false;
    const by = this.contestedBy[cell]!;
    return by === SEVERAL_SNAKES || by !== self;
  }

  private resize(width: number, height: number): void {
    this.width = width;
    this.height = height;
    this.blockedAt = new Uint32Array(width * height);
    this.contestedAt = new Uint32Array(width * height);
    this.contestedBy = new Int32Array(width * height);
    this.generation = 0;
  }

  private rebuild(state: SnekState): void {
    // Generation stamps mark this tick's cells without clearing the grids.
    this.generation++;
    const { width, height, generation } = this;
    for (const [sessionId, body] of this.bodies.entries()) {
      const cells = body.cells;
      for (const cell of cells) {
        if (cell.x >= 0 && cell.y >= 0 && cell.x < width && cell.y < height) this.blockedAt[cell.y * width + cell.x] = generation;
      }
      const head = cells[0];
      if (!head) continue;
      const key = this.keyOf(sessionId);
      for (const [dx, dy] of NEIGHBOURS) {
        const x = head.x + dx;
        const y = head.y + dy;
        if (x < 0 || y < 0 || x >= width || y >= height) continue;
        const cell = y * width + x;
        if (this.contestedAt[cell] === generation) {
          if (this.contestedBy[cell] !== key) this.contestedBy[cell] = SEVERAL_SNAKES;
        } else {
          this.contestedAt[cell] = generation;
          this.contestedBy[cell] = key;
        }
      }
    }
    // Keys of players who left are dropped now and then; bots look theirs up every tick.
    if (this.keys.size > 2 * state.players.size + 32) {
      for (const sessionId of this.keys.keys()) if (!state.players.has(sessionId)) this.keys.delete(sessionId);
    }
    this.foodCells.length = 0;
    state.food.forEach((cell) => { this.foodCells.push(cell); });
    // The document changes little from one tick to the next; sizing it every few ticks keeps the figure and saves the load generator's CPU.
    if (this.jsonSizedAtTick < 0 || this.tick - this.jsonSizedAtTick >= JSON_SIZE_EVERY_TICKS) {
      this.jsonFullStateBytes = fullStateJsonBytes(state, this.bodies, width);
      this.jsonSizedAtTick = this.tick;
    }
  }
}

/**
 * The players as Bodies should see them. `trail` travels only in the full state
 * a client gets on joining: after that the decoded value is stale (a snake that
 * died and respawned still shows its old trail) or missing (a player who joined
 * later), so it is shown to Bodies only from a full state; otherwise snakes new
 * to the board are rebuilt from head, direction and length, as spawns are straight.
 */
function withTrails(state: SnekState, fullState: boolean): { forEach(cb: (player: PlayerView, sessionId: string) => void): void } {
  if (fullState) return { forEach: (cb) => state.players.forEach((player, id) => cb({ ...player.toJSON(), trail: player.trail ?? "" }, id)) };
  const view: PlayerView = { x: 0, y: 0, dir: 0, length: 0, alive: false, trail: "" };
  return {
    forEach: (cb) => state.players.forEach((player, id) => {
      view.x = player.x;
      view.y = player.y;
      view.dir = player.dir;
      view.length = player.length;
      view.alive = player.alive;
      cb(view, id);
    }),
  };
}

const NEIGHBOURS: readonly (readonly [number, number])[] = [[0, -1], [1, 0], [0, 1], [-1, 0]];

/**
 * The size of the board as one JSON document, the way the seed game (Kogame)
 * broadcast it on every tick: every snake with its cells, name and scores, and
 * every food cell. Clients of a schema server get the same facts from patches.
 */
export function fullStateJsonBytes(state: SnekState, bodies: Bodies, width: number): number {
  const snakes: object[] = [];
  state.players.forEach((player: PlayerState, id: string) => {
    snakes.push({
      id,
      name: player.name,
      color: player.color,
      dir: DIRS[player.dir] ?? "right",
      alive: player.alive,
      connected: player.connected,
      score: player.score,
      best: player.best,
      cells: bodies.get(id).map((c) => [c.x, c.y]),
    });
  });
  const food: number[][] = [];
  state.food.forEach((cell) => { food.push([cell % width, Math.floor(cell / width)]); });
  const board = { tick: state.tick, width: state.width, height: state.height, tickHz: state.tickHz, snakes, food };
  return Buffer.byteLength(JSON.stringify(board));
}

/** Boards by roomId, shared by the bots of one thread; dropped when the last bot leaves. */
export class BoardRegistry {
  private readonly boards = new Map<string, RoomBoard>();

  acquire(roomId: string, member: BoardMember): RoomBoard {
    let board = this.boards.get(roomId);
    if (!board) this.boards.set(roomId, (board = new RoomBoard()));
    board.members.add(member);
    return board;
  }

  /** Removes a member; returns the members left blind when the last decoding one goes. */
  release(roomId: string, member: BoardMember, decoded: boolean): BoardMember[] {
    const board = this.boards.get(roomId);
    if (!board || !board.members.delete(member)) return [];
    if (board.members.size === 0) {
      this.boards.delete(roomId);
      return [];
    }
    if (decoded && --board.eyes === 0) return [...board.members];
    return [];
  }

  get rooms(): number {
    return this.boards.size;
  }

  roomIds(): string[] {
    return [...this.boards.keys()];
  }
}
