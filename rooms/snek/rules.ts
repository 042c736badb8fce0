// Snek rules: a pure, deterministic simulation. No Colyseus, Node or Phaser
// imports, so the server, the browser (prediction) and the bots share it.
// Given the same seed and the same calls in the same order, every world
// evolves identically.

import { createRng, nextInt, type Rng } from "./rng.ts";

export const DIRS = ["up", "right", "down", "left"] as const;
export type Dir = (typeof DIRS)[number];

export interface Cell {
  x: number;
  y: number;
}

/** One step in each direction; y grows downwards, like screen coordinates. */
export const DIR_DELTA: Readonly<Record<Dir, Cell>> = {
  up: { x: 0, y: -1 },
  right: { x: 1, y: 0 },
  down: { x: 0, y: 1 },
  left: { x: -1, y: 0 },
};

const OPPOSITE: Record<Dir, Dir> = { up: "down", right: "left", down: "up", left: "right" };

export type DeathCause = "wall" | "self" | "snake" | "head-on";

export interface Snake {
  id: string;
  /** Head first. Empty while dead. */
  body: Cell[];
  dir: Dir;
  /** Turns not yet applied; one is applied per tick, in order. */
  turns: Dir[];
  alive: boolean;
  /** Food eaten in this life. */
  score: number;
  /** Highest score of any life in this room. */
  best: number;
  /** Where the head was when it died; the schema keeps showing it. */
  lastHead: Cell;
  diedAtTick: number;
  respawnRequested: boolean;
  /**
   * Ticks a fresh snake still stands still, waiting for its player's first
   * turn (any turn starts it at once); 0 once it moves.
   */
  waitTicks: number;
}

export interface RulesConfig {
  width: number;
  height: number;
  startLength: number;
  minFood: number;
  maxFood: number;
  respawnDelayTicks: number;
  maxQueuedTurns: number;
  /** Cells a spawn tries to keep from any other snake. */
  spawnMargin: number;
  /** Ticks a fresh snake waits for its first turn before it sets off alone. */
  startWaitTicks: number;
}

export interface World {
  config: RulesConfig;
  tick: number;
  rng: Rng;
  snakes: Map<string, Snake>;
  /** Cell indexes (y * width + x). */
  food: Set<number>;
}

export interface StepEvents {
  moved: string[];
  ate: string[];
  died: { id: string; cause: DeathCause }[];
  spawned: string[];
  foodAdded: number[];
  foodRemoved: number[];
}

/** Cells per player on the board: 72 gives 48x48 for 32 players. */
const CELLS_PER_PLAYER = 72;
/** A dead snake comes back on its own after this long, unless its player asks sooner. */
export const RESPAWN_DELAY_SECONDS = 3;
/** Turns a snake can have waiting; one applies per tick and later ones are refused. */
export const MAX_QUEUED_TURNS = 3;
/**
 * A fresh snake stands still this long, or until its player's first turn, so a
 * newcomer can find their snake and the keys before it moves. With a spawn
 * facing the longest free run (at least half the board) an idle snake lives
 * well past 10 s on an empty board.
 */
export const START_WAIT_SECONDS = 6;

export function boardSideFor(maxPlayers: number): number {
  return Math.min(192, Math.max(16, Math.round(Math.sqrt(CELLS_PER_PLAYER * maxPlayers))));
}

export function rulesConfigFor(opts: { maxPlayers: number; tickHz: number }): RulesConfig {
  const side = boardSideFor(opts.maxPlayers);
  const minFood = Math.max(4, Math.ceil(opts.maxPlayers / 2));
  return {
    width: side,
    height: side,
    startLength: 3,
    minFood,
    maxFood: minFood * 4,
    respawnDelayTicks: Math.max(1, Math.round(RESPAWN_DELAY_SECONDS * opts.tickHz)),
    maxQueuedTurns: MAX_QUEUED_TURNS,
    spawnMargin: 6,
    startWaitTicks: Math.round(START_WAIT_SECONDS * opts.tickHz),
  };
}

export function createWorld(config: RulesConfig, seed: number): World {
  const world: World = { config, tick: 0, rng: createRng(seed), snakes: new Map(), food: new Set() };
  topUpFood(world, []);
  return world;
}

export function cellIndex(world: World, cell: Cell): number {
  return cell.y * world.config.width + cell.x;
}

export function cellAt(world: World, index: number): Cell {
  return { x: index % world.config.width, y: Math.floor(index / world.config.width) };
}

export function nextCell(cell: Cell, dir: Dir): Cell {
  const d = DIR_DELTA[dir];
  return { x: cell.x + d.x, y: cell.y + d.y };
}

export function isReversal(from: Dir, to: Dir): boolean {
  return OPPOSITE[from] === to;
}

function inBounds(world: World, cell: Cell): boolean {
  return cell.x >= 0 && cell.y >= 0 && cell.x < world.config.width && cell.y < world.config.height;
}

/** A straight body of `length` cells with its head at `head`, facing `dir`. */
export function spawnBody(head: Cell, dir: Dir, length: number): Cell[] {
  const back = DIR_DELTA[OPPOSITE[dir]];
  return Array.from({ length }, (_, i) => ({ x: head.x + back.x * i, y: head.y + back.y * i }));
}

export function addSnake(world: World, id: string): Snake {
  const snake: Snake = {
    id,
    body: [],
    dir: "right",
    turns: [],
    alive: false,
    score: 0,
    best: 0,
    lastHead: { x: 0, y: 0 },
    diedAtTick: world.tick,
    respawnRequested: false,
    waitTicks: 0,
  };
  world.snakes.set(id, snake);
  spawn(world, snake);
  return snake;
}

export function removeSnake(world: World, id: string): void {
  world.snakes.delete(id);
}

/**
 * Queues a turn for the coming ticks. Checked against the direction the snake
 * will have when the turn applies, so "up then left" from "right" works while a
 * plain reversal is ignored. Returns whether the turn was queued. A waiting
 * snake's first turn may also be the way it faces: "go".
 */
export function queueTurn(world: World, id: string, dir: Dir): boolean {
  const snake = world.snakes.get(id);
  if (!snake || !snake.alive) return false;
  if (snake.turns.length >= world.config.maxQueuedTurns) return false;
  const facing = snake.turns[snake.turns.length - 1] ?? snake.dir;
  if (snake.waitTicks > 0 && snake.turns.length === 0 && dir === facing) {
    snake.waitTicks = 0;
    return true;
  }
  if (facing === dir || isReversal(facing, dir)) return false;
  snake.turns.push(dir);
  return true;
}

/** Asks for a respawn on the next tick. Returns false while alive. */
export function requestRespawn(world: World, id: string): boolean {
  const snake = world.snakes.get(id);
  if (!snake || snake.alive) return false;
  snake.respawnRequested = true;
  return true;
}

export function step(world: World): StepEvents {
  const events: StepEvents = { moved: [], ate: [], died: [], spawned: [], foodAdded: [], foodRemoved: [] };
  world.tick++;
  const alive: Snake[] = [];
  const waiting: Snake[] = [];
  for (const snake of world.snakes.values()) {
    if (!snake.alive) continue;
    // 0. A fresh snake stands still until its first turn or the end of its wait.
    if (snake.waitTicks > 0 && snake.turns.length === 0) {
      snake.waitTicks--;
      waiting.push(snake);
    } else {
      snake.waitTicks = 0;
      alive.push(snake);
    }
  }

  // 1. Everyone picks a direction and a new head at once.
  const heads = new Map<Snake, Cell>();
  for (const snake of alive) {
    const turn = snake.turns.shift();
    if (turn !== undefined && !isReversal(snake.dir, turn)) snake.dir = turn;
    heads.set(snake, nextCell(snake.body[0]!, snake.dir));
  }

  // 2. Bodies move; a snake that reaches food keeps its tail (grows by one).
  const eating = new Set<Snake>();
  for (const snake of alive) {
    const head = heads.get(snake)!;
    const eats = inBounds(world, head) && world.food.has(cellIndex(world, head));
    if (eats) eating.add(snake);
    // In place: this runs for every snake on every tick, and a fresh array each time feeds the GC.
    snake.body.unshift(head);
    if (!eats) snake.body.pop();
    events.moved.push(snake.id);
  }

  // 3. Collisions, judged on the moved bodies: a tail that moved away frees its cell.
  // A waiting snake is an obstacle, head included; running into it kills the runner only.
  const { owner: bodyCells, heads: headCount, touched } = collisionBoard(world);
  const mark = (index: number, snake: Snake): void => {
    bodyCells[index] = snake;
    touched.push(index);
  };
  for (const snake of waiting) for (const cell of snake.body) mark(cellIndex(world, cell), snake);
  for (const snake of alive) {
    for (let i = 1; i < snake.body.length; i++) mark(cellIndex(world, snake.body[i]!), snake);
    const head = snake.body[0]!;
    if (!inBounds(world, head)) continue;
    const index = cellIndex(world, head);
    headCount[index] = (headCount[index] ?? 0) + 1;
    touched.push(index);
  }
  const deaths: { snake: Snake; cause: DeathCause }[] = [];
  for (const snake of alive) {
    const head = snake.body[0]!;
    if (!inBounds(world, head)) {
      deaths.push({ snake, cause: "wall" });
      continue;
    }
    const index = cellIndex(world, head);
    const owner = bodyCells[index];
    if (owner) deaths.push({ snake, cause: owner === snake ? "self" : "snake" });
    else if ((headCount[index] ?? 0) > 1) deaths.push({ snake, cause: "head-on" });
  }
  for (const index of touched) {
    bodyCells[index] = undefined;
    headCount[index] = 0;
  }
  touched.length = 0;

  // 4. The dead leave food behind; survivors that ate score.
  for (const { snake, cause } of deaths) {
    kill(world, snake, events);
    events.died.push({ id: snake.id, cause });
  }
  for (const snake of eating) {
    if (!snake.alive) continue;
    const index = cellIndex(world, snake.body[0]!);
    if (!world.food.delete(index)) continue;
    events.foodRemoved.push(index);
    snake.score++;
    snake.best = Math.max(snake.best, snake.score);
    events.ate.push(snake.id);
  }

  // 5. Respawns are due after a request or the automatic delay.
  // One set of occupied cells serves every spawn and the food top-up of this tick.
  let occupied: Set<number> | undefined;
  for (const snake of world.snakes.values()) {
    if (snake.alive) continue;
    if (snake.respawnRequested || world.tick - snake.diedAtTick >= world.config.respawnDelayTicks) {
      occupied ??= occupiedCells(world);
      if (spawn(world, snake, occupied)) events.spawned.push(snake.id);
    }
  }

  topUpFood(world, events.foodAdded, occupied);
  return events;
}

/**
 * Which snake's body holds each cell, and how many heads reached it, for the
 * collision phase: one board per world, reused and wiped after every tick
 * (only the cells touched), because two Maps of every body cell rebuilt per
 * tick were the rules' biggest cost and fed the GC on every tick of every room.
 */
interface CollisionBoard {
  owner: (Snake | undefined)[];
  heads: Uint8Array;
  touched: number[];
}
const collisionBoards = new WeakMap<World, CollisionBoard>();

function collisionBoard(world: World): CollisionBoard {
  const cells = world.config.width * world.config.height;
  let board = collisionBoards.get(world);
  if (!board || board.heads.length !== cells) {
    board = { owner: new Array<Snake | undefined>(cells).fill(undefined), heads: new Uint8Array(cells), touched: [] };
    collisionBoards.set(world, board);
  }
  return board;
}

function kill(world: World, snake: Snake, events: StepEvents): void {
  snake.alive = false;
  snake.diedAtTick = world.tick;
  snake.respawnRequested = false;
  snake.turns = [];
  // A wall death leaves the new head off the board; the player is shown where it was.
  const head = snake.body[0]!;
  snake.lastHead = inBounds(world, head) ? head : snake.body[1] ?? head;
  // Every other cell of the body becomes food, within the board's food cap.
  const body = snake.body;
  snake.body = [];
  const occupied = occupiedCells(world);
  for (let i = 1; i < body.length; i += 2) {
    const cell = body[i]!;
    if (world.food.size >= world.config.maxFood) break;
    const index = cellIndex(world, cell);
    if (occupied.has(index) || world.food.has(index)) continue;
    world.food.add(index);
    events.foodAdded.push(index);
  }
}

function occupiedCells(world: World): Set<number> {
  const cells = new Set<number>();
  for (const snake of world.snakes.values()) {
    for (const cell of snake.body) if (inBounds(world, cell)) cells.add(cellIndex(world, cell));
  }
  return cells;
}

const SPAWN_CANDIDATES = 32;
/** Spawn's view of a cell: bits of one byte per cell, read by the candidates instead of hashing into sets. */
const BLOCKED_BY_BODY = 1;
const BLOCKED_BY_FOOD = 2;

/**
 * Puts a snake at a free spot away from other snakes (at least spawnMargin
 * cells when it can), facing its longest free run, and among such spots the one
 * with the longest run: an idle newcomer then has the most time before a wall.
 */
function spawn(world: World, snake: Snake, occupied?: Set<number>): boolean {
  const { width, height, startLength, spawnMargin } = world.config;
  // A spawn runs on every join: its 32 candidates read a grid, not the sets (a set lookup per cell was most of a join's rules cost).
  const blocked = new Uint8Array(width * height);
  const others: Cell[] = [];
  for (const other of world.snakes.values()) {
    if (other !== snake) others.push(...other.body);
    if (!occupied) for (const cell of other.body) if (inBounds(world, cell)) blocked[cellIndex(world, cell)] = BLOCKED_BY_BODY;
  }
  if (occupied) for (const index of occupied) blocked[index] = BLOCKED_BY_BODY;
  for (const index of world.food) blocked[index]! |= BLOCKED_BY_FOOD;
  const edge = Math.min(startLength + 1, Math.floor(Math.min(width, height) / 2) - 1);

  let best: { x: number; y: number; dir: Dir; distance: number; run: number } | undefined;
  for (let attempt = 0; attempt < SPAWN_CANDIDATES; attempt++) {
    const x = edge + nextInt(world.rng, width - 2 * edge);
    const y = edge + nextInt(world.rng, height - 2 * edge);
    const { dir, run } = longestRun(world, x, y, blocked);
    const back = DIR_DELTA[OPPOSITE[dir]];
    if (!bodyFits(world, x, y, back, blocked)) continue;
    // Beyond the margin, more distance does not matter; a longer run does.
    const distance = Math.min(spawnMargin, nearest(x, y, back, startLength, others, best && best.distance < spawnMargin ? best.distance : -1));
    if (!best || distance > best.distance || (distance === best.distance && run > best.run)) best = { x, y, dir, distance, run };
  }
  if (!best) return false; // board is full; the next tick tries again

  snake.body = spawnBody({ x: best.x, y: best.y }, best.dir, startLength);
  if (occupied) for (const cell of snake.body) occupied.add(cellIndex(world, cell));
  snake.dir = best.dir;
  snake.turns = [];
  snake.alive = true;
  snake.score = 0;
  snake.respawnRequested = false;
  snake.waitTicks = world.config.startWaitTicks;
  return true;
}

/** The direction with the most free cells straight ahead of (x, y) (walls and bodies stop a run), and that count. */
function longestRun(world: World, x0: number, y0: number, blocked: Uint8Array): { dir: Dir; run: number } {
  const { width, height } = world.config;
  let best: { dir: Dir; run: number } = { dir: "right", run: -1 };
  for (const dir of DIRS) {
    const { x: dx, y: dy } = DIR_DELTA[dir];
    let run = 0;
    for (let x = x0 + dx, y = y0 + dy; x >= 0 && y >= 0 && x < width && y < height && (blocked[y * width + x]! & BLOCKED_BY_BODY) === 0; x += dx, y += dy) run++;
    if (run > best.run) best = { dir, run };
  }
  return best;
}

/** Whether spawnBody((x, y), dir, startLength) lies on the board on cells free of bodies and food; `back` is the step from head to tail. */
function bodyFits(world: World, x: number, y: number, back: Cell, blocked: Uint8Array): boolean {
  const { width, height, startLength } = world.config;
  for (let i = 0; i < startLength; i++) {
    const cx = x + back.x * i;
    const cy = y + back.y * i;
    if (cx < 0 || cy < 0 || cx >= width || cy >= height || blocked[cy * width + cx] !== 0) return false;
  }
  return true;
}

/**
 * Chebyshev distance from any cell of the straight body at (x, y) (`length`
 * cells, `back` from head to tail) to the nearest of `others`. Stops early
 * once it is no more than `floor`: such a spot cannot beat the best one.
 */
function nearest(x: number, y: number, back: Cell, length: number, others: Cell[], floor: number): number {
  let min = Infinity;
  for (let i = 0; i < length; i++) {
    const ax = x + back.x * i;
    const ay = y + back.y * i;
    for (const b of others) {
      const d = Math.max(Math.abs(ax - b.x), Math.abs(ay - b.y));
      if (d < min) {
        min = d;
        if (min <= floor) return min;
      }
    }
  }
  return min;
}

const FOOD_ATTEMPTS = 64;

function topUpFood(world: World, added: number[], known?: Set<number>): void {
  const cellCount = world.config.width * world.config.height;
  let occupied = known;
  for (let attempt = 0; world.food.size < world.config.minFood && attempt < FOOD_ATTEMPTS; attempt++) {
    occupied ??= occupiedCells(world);
    const index = nextInt(world.rng, cellCount);
    if (occupied.has(index) || world.food.has(index)) continue;
    world.food.add(index);
    added.push(index);
  }
}
