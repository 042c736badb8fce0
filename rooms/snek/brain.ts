// The bot's steering choice: a pure function of what the bot sees. Each tick it
// scores the three directions it may take (the shared rules forbid reversing):
// certain death (wall, body) is out, a move into a pocket too small for the
// snake is nearly out, a cell another head can reach is risky, and among the
// rest the one closest to food wins, with a slight preference for going straight.

import { DIRS, isReversal, nextCell, type Cell, type Dir } from "./rules.ts";

/** What a bot sees of its room on one tick. Cells are indexes y * width + x. */
export interface BoardView {
  readonly width: number;
  readonly height: number;
  /** A snake body (the asking snake's included) covers the cell. */
  isBlocked(cell: number): boolean;
  /** A head other than `self`'s could move onto the cell on the next tick. */
  isContested(cell: number, self: number): boolean;
  readonly foodCells: readonly number[];
}

export interface Me {
  head: Cell;
  facing: Dir;
  length: number;
  /** The bot's key on the board, so its own head does not count as a threat. */
  self: number;
}

const DEAD = -Infinity;
const TRAPPED_PENALTY = 10_000;
const CONTESTED_PENALTY = 1_000;
const STRAIGHT_BONUS = 0.5;
/** Free cells the snake wants ahead of it: enough to turn around in. */
const MIN_ROOM_CELLS = 16;

/** Flood-fill scratch, reused across calls; grows to the largest board seen. */
let visitedStamp = new Uint32Array(0);
let stamp = 0;
let queue = new Int32Array(0);

/** Free cells reachable from `start`, counting at most `limit`. */
export function reachableCells(view: BoardView, start: number, limit: number): number {
  const cells = view.width * view.height;
  if (visitedStamp.length < cells) {
    visitedStamp = new Uint32Array(cells);
    queue = new Int32Array(cells);
    stamp = 0;
  }
  if (++stamp === 0xffffffff) {
    visitedStamp.fill(0);
    stamp = 1;
  }
  let head = 0;
  let tail = 0;
  const visit = (next: number): void => {
    if (visitedStamp[next] === stamp || view.isBlocked(next)) return;
    visitedStamp[next] = stamp;
    queue[tail++] = next;
  };
  visit(start);
  let count = 0;
  while (head < tail && count < limit) {
    const cell = queue[head++]!;
    count++;
    const x = cell % view.width;
    if (x > 0) visit(cell - 1);
    if (x < view.width - 1) visit(cell + 1);
    if (cell >= view.width) visit(cell - view.width);
    if (cell + view.width < cells) visit(cell + view.width);
  }
  return count;
}

function nearestFoodDistance(view: BoardView, cell: Cell): number {
  let best = view.width + view.height;
  for (const food of view.foodCells) {
    const distance = Math.abs((food % view.width) - cell.x) + Math.abs(Math.floor(food / view.width) - cell.y);
    if (distance < best) best = distance;
  }
  return best;
}

/** Scores one direction; higher is better, DEAD means certain death. */
export function scoreDirection(view: BoardView, me: Me, dir: Dir): number {
  const cell = nextCell(me.head, dir);
  if (cell.x < 0 || cell.y < 0 || cell.x >= view.width || cell.y >= view.height) return DEAD;
  const index = cell.y * view.width + cell.x;
  if (view.isBlocked(index)) return DEAD;
  let score = -nearestFoodDistance(view, cell);
  const wanted = Math.max(MIN_ROOM_CELLS, me.length * 2);
  const room = reachableCells(view, index, wanted);
  if (room < wanted) score -= TRAPPED_PENALTY - room * 10;
  if (view.isContested(index, me.self)) score -= CONTESTED_PENALTY;
  if (dir === me.facing) score += STRAIGHT_BONUS;
  return score;
}

export interface Decision {
  dir: Dir;
  /** Going on as we are is deadly or risky: a person would turn at once, whatever their usual pace. */
  urgent: boolean;
}

/** Below this a direction means death, a trap or a likely head-on. */
const DANGER = -CONTESTED_PENALTY / 2;

/** The direction to take now: the facing one when nothing is better, or when every way is death. */
export function chooseDirection(view: BoardView, me: Me): Decision {
  let best: Dir = me.facing;
  let bestScore = DEAD;
  let facingScore = DEAD;
  for (const dir of DIRS) {
    if (isReversal(me.facing, dir)) continue;
    const score = scoreDirection(view, me, dir);
    if (dir === me.facing) facingScore = score;
    if (score > bestScore) {
      best = dir;
      bestScore = score;
    }
  }
  return { dir: best, urgent: best !== me.facing && facingScore < DANGER };
}

export type CellOutlook = "wall" | "body" | "contested" | "free";

/** What the cell a snake is about to enter holds; the bots count deaths by it. */
export function outlook(view: BoardView, cell: Cell, self: number): CellOutlook {
  if (cell.x < 0 || cell.y < 0 || cell.x >= view.width || cell.y >= view.height) return "wall";
  const index = cell.y * view.width + cell.x;
  if (view.isBlocked(index)) return "body";
  return view.isContested(index, self) ? "contested" : "free";
}
