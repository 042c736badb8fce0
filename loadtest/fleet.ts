// Many bots in one event loop: starts them at the ramp rate, drives their
// pings, respawns and rejoins from one heartbeat timer (not a timer per bot),
// and hands out stats deltas. Runs on the main thread or inside a worker.

import { monitorEventLoopDelay } from "node:perf_hooks";
import { BoardRegistry } from "./board.ts";
import { ROOM_NAME as FOUR } from "../rooms/four/protocol.ts";
import { Bot } from "./bot.ts";
import { groupedPlacement, matchmadePlacement, PING_EVERY_MS, type BotContext } from "./botSession.ts";
import { FourBot } from "./fourBot.ts";
import { BotStats, type StatsDelta } from "./stats.ts";

/** One thread's share of the run. */
export interface FleetPlan {
  url: string;
  room: string;
  /** Global number of this fleet's first bot (names and groups use global numbers). */
  firstBot: number;
  /** Bots to run at first; setTarget() changes it. */
  bots: number;
  rampPerS: number;
  roomsPerBotGroup: number;
  groupSize: number;
  private: boolean;
  namePrefix: string;
  decodeAll: boolean;
  /** Seeds the bots' human-like pauses, so two runs differ only by the server. */
  seed: number;
}

const HEARTBEAT_MS = 100;
/** Each heartbeat pings this share of the bots, so each bot pings once per PING_EVERY_MS. */
const PING_SLOTS = PING_EVERY_MS / HEARTBEAT_MS;
const LEAVE_TIMEOUT_MS = 5000;
const LOOP_DELAY_RESOLUTION_MS = 10;

/** mulberry32: a small seeded generator for pauses; the rules' own RNG stays the server's. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Fleet {
  private readonly plan: FleetPlan;
  private readonly stats = new BotStats();
  private readonly boards = new BoardRegistry();
  private readonly ctx: BotContext;
  private readonly bots: (Bot | FourBot)[] = [];
  private readonly loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
  private heartbeat: NodeJS.Timeout | undefined;
  private target: number;
  /** When the current ramp began, and how many bots there were then. */
  private rampFrom = { atMs: 0, bots: 0 };
  private beat = 0;

  constructor(plan: FleetPlan) {
    this.plan = plan;
    this.target = plan.bots;
    this.ctx = {
      roomName: plan.room,
      stats: this.stats,
      boards: this.boards,
      url: plan.url,
      decodeAll: plan.decodeAll,
      stopping: false,
      random: seededRandom(plan.seed),
      placement: plan.roomsPerBotGroup > 0
        ? groupedPlacement({ roomName: plan.room, roomsPerGroup: plan.roomsPerBotGroup, groupSize: plan.groupSize, private: plan.private })
        : matchmadePlacement(plan.room),
    };
  }

  start(): void {
    this.rampFrom = { atMs: performance.now(), bots: 0 };
    this.loopDelay.enable();
    this.heartbeat = setInterval(() => this.onHeartbeat(), HEARTBEAT_MS);
    this.startDueBots();
  }

  /** Raises the number of bots; new ones start at the ramp rate. (Bots are never removed mid-run.) */
  setTarget(bots: number): void {
    if (bots <= this.target) return;
    this.target = bots;
    this.rampFrom = { atMs: performance.now(), bots: this.bots.length };
    this.startDueBots();
  }

  /** Starts the bots the ramp says should be running by now. */
  private startDueBots(): void {
    const elapsedS = (performance.now() - this.rampFrom.atMs) / 1000;
    const due = Math.min(this.target, this.rampFrom.bots + Math.floor(elapsedS * this.plan.rampPerS) + 1);
    while (this.bots.length < due) {
      const index = this.plan.firstBot + this.bots.length;
      const BotKind = this.plan.room === FOUR ? FourBot : Bot;
      const bot = new BotKind(index, `${this.plan.namePrefix}${index}`, Math.floor(index / this.plan.groupSize), this.ctx);
      this.bots.push(bot);
      void bot.join();
    }
  }

  private onHeartbeat(): void {
    if (this.ctx.stopping) return;
    this.startDueBots();
    const now = performance.now();
    const slot = this.beat++ % PING_SLOTS;
    for (let i = 0; i < this.bots.length; i++) this.bots[i]!.heartbeat(now, i % PING_SLOTS === slot);
  }

  drain(): StatsDelta {
    // The histogram holds whole timer intervals; the delay is what exceeds the sampling resolution.
    const lateMs = (ns: number): number => (this.loopDelay.count > 0 ? Math.max(0, ns / 1e6 - LOOP_DELAY_RESOLUTION_MS) : 0);
    const delay = { p50: lateMs(this.loopDelay.percentile(50)), p99: lateMs(this.loopDelay.percentile(99)), max: lateMs(this.loopDelay.max) };
    this.loopDelay.reset();
    // Snek bots register their rooms' boards; Four in a row bots each read their own room.
    const fourRooms = this.bots.flatMap((bot) => (bot instanceof FourBot && bot.room ? [bot.room.roomId] : []));
    return this.stats.drain({ roomIds: [...new Set([...this.boards.roomIds(), ...fourRooms])], eventLoopDelayMs: delay });
  }

  /** Ends the run: takes the last delta first, so the bots' own leaving is not counted, then leaves. */
  async stop(): Promise<StatsDelta> {
    this.ctx.stopping = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    const last = this.drain();
    this.loopDelay.disable();
    const leaving = Promise.all(this.bots.map((bot) => bot.leave()));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([leaving, new Promise((resolve) => { timer = setTimeout(resolve, LEAVE_TIMEOUT_MS); })]);
    clearTimeout(timer);
    return last;
  }
}
