// npm run bench:room — one full Snek room, no network: the simulation step,
// the mirror into the schema state and the patch encode, exactly as the room
// runs them each tick. Prints per-tick server time and bytes, and compares the
// bytes with sending the whole board as JSON every tick (what Kogame did).

import { Encoder } from "@colyseus/schema";
import { mirrorFood, mirrorSnake, mirrorTick } from "../rooms/snek/mirror.ts";
import { addSnake, createWorld, nextCell, queueTurn, requestRespawn, rulesConfigFor, step, DIRS, type Cell, type World } from "../rooms/snek/rules.ts";
import { nextFloat, nextInt, createRng } from "../rooms/snek/rng.ts";
import { PlayerState, SnekState } from "../rooms/snek/state.ts";

const PLAYERS = Number(process.env.BENCH_PLAYERS ?? 32);
const TICK_HZ = 10;
const WARMUP_TICKS = 300;
const MEASURED_TICKS = Number(process.env.BENCH_TICKS ?? 3000);
/** Bodies start this long; realistic mid-game snakes, as the issue asks (about 10 cells on average). */
const START_LENGTH = 10;
/** A WebSocket frame header is 2 bytes for payloads under 126 bytes, 4 up to 64 KiB. */
const wsHeader = (bytes: number) => (bytes < 126 ? 2 : 4);
/** IPv4 + TCP headers without options, one segment per patch. */
const TCP_IP_BYTES = 40;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** What Kogame sent each tick: the whole board as JSON. */
function fullBoardJson(world: World, state: SnekState): string {
  return JSON.stringify({
    tick: world.tick,
    players: [...world.snakes.values()].map((s) => ({
      id: s.id, name: state.players.get(s.id)?.name, score: s.score, alive: s.alive, cells: s.body.map((c) => [c.x, c.y]),
    })),
    food: [...world.food].map((i) => [i % world.config.width, Math.floor(i / world.config.width)]),
  });
}

/**
 * Bots that turn now and then, away from walls, bodies and cells another head
 * may reach, and respawn at once, so all 32 snakes keep moving as players would.
 */
function steer(world: World, rng: ReturnType<typeof createRng>): void {
  const { width, height } = world.config;
  const bodies = new Set<number>();
  const reach = new Map<number, string>(); // cell -> the snake whose head can step there
  for (const s of world.snakes.values()) {
    for (const c of s.body) bodies.add(c.y * width + c.x);
    const head = s.body[0];
    if (head) for (const d of DIRS) { const n = nextCell(head, d); reach.set(n.y * width + n.x, s.id); }
  }
  for (const snake of world.snakes.values()) {
    if (!snake.alive) { requestRespawn(world, snake.id); continue; }
    const head = snake.body[0]!;
    const free = (c: Cell) => {
      const index = c.y * width + c.x;
      const other = reach.get(index);
      return c.x >= 0 && c.y >= 0 && c.x < width && c.y < height && !bodies.has(index) && (other === undefined || other === snake.id);
    };
    if (free(nextCell(head, snake.dir)) && nextFloat(rng) > 0.15) continue;
    const options = DIRS.filter((d) => d !== snake.dir && free(nextCell(head, d)));
    if (options.length > 0) queueTurn(world, snake.id, options[nextInt(rng, options.length)]!);
  }
}

const config = { ...rulesConfigFor({ maxPlayers: PLAYERS, tickHz: TICK_HZ }), startLength: START_LENGTH };
const world = createWorld(config, 2024);
const state = new SnekState({ width: config.width, height: config.height, tickHz: TICK_HZ, tick: 0 });
const encoder = new Encoder(state);
for (let i = 0; i < PLAYERS; i++) {
  const id = `player${String(i).padStart(2, "0")}`;
  const snake = addSnake(world, id);
  const player = new PlayerState({ name: `snek-${i}`, color: i % 16, connected: true });
  mirrorSnake(player, snake);
  state.players.set(id, player);
}
mirrorFood(state, [...world.food], []);
encoder.encodeAll();
encoder.discardChanges();

const rng = createRng(7);
const tickMs: number[] = [];
const patchBytes: number[] = [];
const jsonBytes: number[] = [];
const lengths: number[] = [];
let alive = 0;
let deaths = 0;

for (let t = 0; t < WARMUP_TICKS + MEASURED_TICKS; t++) {
  steer(world, rng);
  const started = performance.now();
  const events = step(world);
  if (t >= WARMUP_TICKS) deaths += events.died.length;
  mirrorTick(world, state, events);
  const patch = encoder.encode();
  const elapsed = performance.now() - started;
  const size = patch.byteLength + 1; // + the ROOM_STATE_PATCH protocol byte
  encoder.discardChanges();
  if (t < WARMUP_TICKS) continue;
  tickMs.push(elapsed);
  patchBytes.push(size);
  jsonBytes.push(Buffer.byteLength(fullBoardJson(world, state)));
  for (const s of world.snakes.values()) if (s.alive) { lengths.push(s.body.length); alive++; }
}

const full = encoder.encodeAll().byteLength;
tickMs.sort((a, b) => a - b);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const patchMean = mean(patchBytes);
const wsPerSecond = mean(patchBytes.map((b) => b + wsHeader(b))) * TICK_HZ;
const wirePerSecond = wsPerSecond + TCP_IP_BYTES * TICK_HZ;
const jsonMean = mean(jsonBytes);
const jsonWirePerSecond = (jsonMean + wsHeader(jsonMean) + TCP_IP_BYTES) * TICK_HZ;

const rows: [string, string][] = [
  ["players in the room", `${PLAYERS} (alive on average ${(alive / MEASURED_TICKS).toFixed(1)}, mean length ${mean(lengths).toFixed(1)} cells)`],
  ["deaths", `${(deaths / (MEASURED_TICKS / TICK_HZ)).toFixed(2)} per second in the room`],
  ["board", `${config.width}x${config.height}, ${TICK_HZ} Hz, ${MEASURED_TICKS} measured ticks after ${WARMUP_TICKS} warm-up`],
  ["tick + mirror + encode, median", `${(percentile(tickMs, 50) * 1000).toFixed(1)} µs`],
  ["tick + mirror + encode, p99", `${(percentile(tickMs, 99) * 1000).toFixed(1)} µs`],
  ["patch per tick (mean)", `${patchMean.toFixed(1)} B`],
  ["full state for a joining client", `${full} B`],
  ["per player, WebSocket frames", `${(wsPerSecond / 1024).toFixed(2)} KB/s`],
  ["per player, with TCP/IP headers", `${(wirePerSecond / 1024).toFixed(2)} KB/s`],
  ["full board as JSON per tick (Kogame)", `${jsonMean.toFixed(0)} B`],
  ["per player, JSON with the same headers", `${(jsonWirePerSecond / 1024).toFixed(2)} KB/s`],
  ["JSON / patch payload", `${(jsonMean / patchMean).toFixed(1)}x fewer bytes`],
  ["JSON / patch on the wire", `${(jsonWirePerSecond / wirePerSecond).toFixed(1)}x fewer bytes`],
];
const width = Math.max(...rows.map(([k]) => k.length));
console.log("bench:room — one Snek room, simulation + schema encode, no network");
for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
