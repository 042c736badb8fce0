// One bot: a real @colyseus/sdk client that joins, plays Snek like a person
// would (steers with the brain at most a few times a second, respawns after a
// short pause), measures what it receives, and joins again when its room goes.

import { Client, Protocol, Room } from "@colyseus/sdk";
import type { z } from "zod";
import { CLOSE_CODES, SERVER_MESSAGES, type DrainNotice, type RejectedNotice } from "../rooms/kit/protocol.ts";
import { dirFromCode, type RespawnMessage, type TurnPayload } from "../rooms/snek/protocol.ts";
import { nextCell, type Dir } from "../rooms/snek/rules.ts";
import type { SnekState } from "../rooms/snek/state.ts";
import { followMigrations } from "../rooms/kit/client/follow.ts";
import type { BoardMember, BoardRegistry, RoomBoard } from "./board.ts";
import { chooseDirection, outlook, type CellOutlook } from "../rooms/snek/brain.ts";
import type { BotStats } from "./stats.ts";

/** A person turns a few times a second at most; this keeps bots far below MAX_MESSAGES_PER_SECOND. */
export const MIN_TURN_GAP_MS = 180;
/** Pause before pressing "respawn" after dying: a human reaction, shorter than the server's automatic respawn. */
const RESPAWN_PAUSE_MS = { min: 300, max: 1200 };
/** Every bot measures a round trip this often: plenty of samples without adding much load. */
export const PING_EVERY_MS = 2000;
export const PING_TIMEOUT_MS = 5000;
export const REJOIN_PAUSE_MS = { min: 500, max: 2000 };
/** How long a bot whose room lost its decoding bots waits for them (or for its own move) before rejoining. */
const RESEAT_GRACE_MS = 1000;
/** A sent turn counts as "where we are heading" until the state shows it or this many ticks pass. */
const PENDING_TURN_TICKS = 3;
/** The low five bits of a frame's first byte are the protocol code; the rest are modifier flags. */
const PROTOCOL_CODE_MASK = 0x1f;

type RespawnPayload = z.infer<typeof RespawnMessage>;
// any: the SDK types a room by the server's Room class (for typed messages); the
// bots send the protocol's own payload types and only need the state type here.
// The state is decoded by reflection (the server describes its schema on join)
// rather than from our copy of the class: that follows whatever the server runs.
type SnekRoom = Room<any, SnekState>;

export interface FrameListener {
  onFrame(code: number, bytes: number, atMs: number): void;
}

/**
 * A Room that reports every frame's size and type before the SDK sees it, and
 * that can leave the state undecoded when another bot of the room decodes it.
 */
export class MeteredRoom<State> extends Room<unknown, State> {
  frameListener: FrameListener | undefined;
  skipStateDecoding = false;

  protected override onMessageCallback(event: MessageEvent): void {
    const data = event.data as ArrayBuffer;
    const code = (new Uint8Array(data, 0, Math.min(1, data.byteLength))[0] ?? 0) & PROTOCOL_CODE_MASK;
    this.frameListener?.onFrame(code, data.byteLength, performance.now());
    if (this.skipStateDecoding && (code === Protocol.ROOM_STATE_PATCH || code === Protocol.ROOM_STATE)) return;
    super.onMessageCallback(event);
  }
}

/** An SDK client whose rooms are metered from the very first frame. */
export class MeteredClient extends Client {
  private readonly listener: FrameListener;

  constructor(url: string, listener: FrameListener) {
    super(url);
    this.listener = listener;
  }

  protected override createRoom<T>(roomName: string, rootSchema?: new () => T): Room<unknown, T> {
    const room = new MeteredRoom<T>(roomName, rootSchema);
    room.frameListener = this.listener;
    return room;
  }
}

/** Who a bot is, as placement sees it (any game's bot). */
export interface BotIdentity {
  readonly index: number;
  readonly name: string;
  readonly group: number;
}

/** How a bot finds its room: matchmaking, or a room its group made. (Typed for Snek; a Four in a row bot reads its own state.) */
export interface Placement {
  join(client: Client, bot: BotIdentity): Promise<SnekRoom>;
  /** The room closed under the bot (drain, shutdown): the next join must not go back to it. */
  forget(bot: BotIdentity, roomId: string): void;
}

export interface BotContext {
  roomName: string;
  stats: BotStats;
  boards: BoardRegistry;
  placement: Placement;
  url: string;
  /** Every bot decodes the state itself, as a browser would; otherwise EYES_PER_ROOM bots per room and thread do. */
  decodeAll: boolean;
  /** Set when the run ends: leaves are expected, nothing rejoins. */
  stopping: boolean;
  random(): number;
}

/**
 * Bots of one room (in one thread) that decode the state; the others meter
 * every frame but read the decoded picture from these. Two, so that one
 * leaving does not leave the room blind.
 */
export const EYES_PER_ROOM = 2;

/** One line saying what failed: the SDK's errors carry a code, fetch's a cause. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const cause = (error as { cause?: unknown }).cause;
  const causeText = cause instanceof Error ? `${(cause as { code?: string }).code ?? cause.name}: ${cause.message}` : "";
  return [error.name, code !== undefined ? `(${String(code)})` : "", error.message || "(no message)", causeText ? `[${causeText}]` : ""]
    .filter(Boolean).join(" ");
}

export function between(range: { min: number; max: number }, random: () => number): number {
  return range.min + random() * (range.max - range.min);
}

export class Bot implements FrameListener, BoardMember {
  readonly client: MeteredClient;
  room: SnekRoom | undefined;
  private board: RoomBoard | undefined;
  private decodes = false;
  private joining = false;
  /** Leaving on purpose to join again (its room's decoding bots are gone). */
  private reseating = false;
  private reseatAtMs: number | undefined;
  private rejoinAtMs: number | undefined;
  private lastPatchAtMs: number | undefined;
  /** Set when the bot follows its room to another replica: its last patch in the old room. */
  private pauseSinceMs: number | undefined;
  private wasAlive = false;
  /** What the cell the snake enters on the next tick held when the bot last looked. */
  private enteringNext: CellOutlook = "free";
  private respawnAtMs: number | undefined;
  private lastTurnAtMs = -Infinity;
  private pendingTurn: { dir: Dir; tick: number } | undefined;
  private pingSentAtMs: number | undefined;

  readonly index: number;
  readonly name: string;
  readonly group: number;
  private readonly ctx: BotContext;

  constructor(index: number, name: string, group: number, ctx: BotContext) {
    this.index = index;
    this.name = name;
    this.group = group;
    this.ctx = ctx;
    this.client = new MeteredClient(ctx.url, this);
  }

  get connected(): boolean {
    return this.room !== undefined;
  }

  async join(): Promise<void> {
    if (this.joining || this.room || this.ctx.stopping) return;
    this.joining = true;
    this.rejoinAtMs = undefined;
    const { stats } = this.ctx;
    stats.counters.joinAttempts++;
    const startedMs = performance.now();
    try {
      const room = await this.ctx.placement.join(this.client, this);
      stats.joinMs.record(performance.now() - startedMs);
      stats.counters.joins++;
      this.attach(room);
      if (this.ctx.stopping) void room.leave(true);
    } catch (error) {
      stats.error("join", describeError(error));
      this.rejoinAtMs = performance.now() + between(REJOIN_PAUSE_MS, this.ctx.random);
    } finally {
      this.joining = false;
    }
  }

  private attach(room: SnekRoom): void {
    const { stats } = this.ctx;
    this.room = room;
    // The bot rejoins through matchmaking itself; the SDK's silent reconnect would hide drops.
    room.reconnection.enabled = false;
    stats.setConnected(1);
    const board = this.ctx.boards.acquire(room.roomId, this);
    this.board = board;
    this.decodes = this.ctx.decodeAll || board.eyes < EYES_PER_ROOM;
    if (this.decodes) {
      board.eyes++;
      let joining = true;
      room.onStateChange((state) => {
        board.feed(state, joining);
        joining = false;
      });
    } else if (room instanceof MeteredRoom) {
      room.skipStateDecoding = true;
    }
    this.lastPatchAtMs = undefined;
    this.wasAlive = false;
    this.pendingTurn = undefined;
    this.pingSentAtMs = undefined;
    this.reseatAtMs = undefined;

    room.onMessage(SERVER_MESSAGES.rejected, (notice: RejectedNotice) => {
      stats.counters.rejected[notice.reason] = (stats.counters.rejected[notice.reason] ?? 0) + 1;
      stats.error("other", `rejected ${notice.type}: ${notice.reason}`);
    });
    room.onMessage(SERVER_MESSAGES.draining, (_notice: DrainNotice) => {
      // Keep playing: a `migrate` notice or the close with CLOSE_CODES.drained that follows says what next.
    });
    // The room moves to another replica: take the reserved seat (same snake), as the web client does.
    followMigrations(this.client, room, {
      moved: (next) => {
        if (this.room !== room) {
          // The bot had already left the old room (and is joining elsewhere): it does not need this seat.
          void next.leave(true);
          return;
        }
        stats.counters.migrations++;
        const lastPatchAtMs = this.lastPatchAtMs;
        this.detach(room);
        this.attach(next as SnekRoom);
        this.pauseSinceMs = lastPatchAtMs;
      },
      lost: () => {
        // The move failed; like a drain, the player joins again through matchmaking.
        stats.counters.migrationsLost++;
        if (this.room !== room) return;
        this.detach(room);
        void room.leave(true);
        this.rejoinAtMs = performance.now() + this.ctx.random() * REJOIN_PAUSE_MS.min;
      },
    });
    room.onMessage("*", (type: string | number) => {
      const key = String(type);
      stats.counters.unknownMessages[key] = (stats.counters.unknownMessages[key] ?? 0) + 1;
    });
    room.onError((code, message) => stats.error("other", `room error ${code}: ${message ?? ""}`));
    room.onLeave((code) => this.onLeave(room, code));
  }

  /** Lets go of a room the bot no longer plays in (it left, or moved on). */
  private detach(room: SnekRoom): void {
    if (this.room !== room) return;
    this.room = undefined;
    this.board = undefined;
    for (const blind of this.ctx.boards.release(room.roomId, this, this.decodes)) blind.reseat();
    this.ctx.stats.setConnected(-1);
  }

  onFrame(code: number, bytes: number, atMs: number): void {
    const { counters, patchIntervalMs } = this.ctx.stats;
    counters.bytesIn += bytes;
    if (code !== Protocol.ROOM_STATE_PATCH && code !== Protocol.ROOM_STATE) return;
    if (this.pauseSinceMs !== undefined) {
      this.ctx.stats.migrationPauseMs.record(atMs - this.pauseSinceMs);
      this.pauseSinceMs = undefined;
    }
    // What this frame would have been as full-state JSON (the board at the newest tick seen).
    counters.jsonFullStateBytes += this.board?.jsonFullStateBytes ?? 0;
    if (code !== Protocol.ROOM_STATE_PATCH) return;
    counters.patchBytesIn += bytes;
    counters.patches++;
    if (this.lastPatchAtMs !== undefined) patchIntervalMs.record(atMs - this.lastPatchAtMs);
    this.lastPatchAtMs = atMs;
  }

  /** The room's picture moved on a tick: look, and maybe turn. */
  onTick(board: RoomBoard): void {
    const room = this.room;
    const state = board.state;
    if (!room || !state) return;
    const me = state.players.get(room.sessionId);
    if (!me) return;
    const now = performance.now();
    if (!me.alive) {
      if (this.wasAlive) {
        this.ctx.stats.counters.deaths++;
        // What the bot believed it was moving into when it died.
        const deathsBy = this.ctx.stats.counters.deathsBy;
        deathsBy[this.enteringNext] = (deathsBy[this.enteringNext] ?? 0) + 1;
        this.respawnAtMs = now + between(RESPAWN_PAUSE_MS, this.ctx.random);
      }
      this.wasAlive = false;
      return;
    }
    this.wasAlive = true;
    this.respawnAtMs = undefined;

    const current = dirFromCode(me.dir);
    const pending = this.pendingTurn;
    const facing = pending && pending.dir !== current && board.tick <= pending.tick + PENDING_TURN_TICKS ? pending.dir : current;
    if (pending && facing === current) this.pendingTurn = undefined;

    const head = { x: me.x, y: me.y };
    const self = board.keyOf(room.sessionId);
    const decision = chooseDirection(board, { head, facing, length: me.length, self });
    // A fresh snake waits for its player's first turn; a bot plays at once (a turn its own way means "go").
    const starting = me.waiting && this.pendingTurn === undefined;
    // One turn per tick at most, and a person's pace unless going on is dangerous.
    const turning = starting || (decision.dir !== facing && this.pendingTurn?.tick !== board.tick
      && (decision.urgent || now - this.lastTurnAtMs >= MIN_TURN_GAP_MS));
    const heading = turning ? decision.dir : facing;
    this.enteringNext = outlook(board, nextCell(head, heading), self);
    if (!turning) return;
    const turn: TurnPayload = { dir: decision.dir };
    room.send("turn", turn);
    this.ctx.stats.counters.turnsSent++;
    this.lastTurnAtMs = now;
    this.pendingTurn = { dir: decision.dir, tick: board.tick };
  }

  /**
   * The room's decoding bots left. If nobody decodes for this bot's room a
   * moment later (when a room moves, all its bots move together), it cannot
   * see: it leaves and joins again.
   */
  reseat(): void {
    if (this.room && this.reseatAtMs === undefined) this.reseatAtMs = performance.now() + RESEAT_GRACE_MS;
  }

  private reseatIfStillBlind(): void {
    this.reseatAtMs = undefined;
    const room = this.room;
    if (!room || this.reseating || this.decodes || (this.board && this.board.eyes > 0)) return;
    this.reseating = true;
    this.ctx.stats.counters.reseats++;
    void room.leave(true);
  }

  private onLeave(room: SnekRoom, code: number): void {
    if (this.room !== room) return;
    const { stats } = this.ctx;
    this.detach(room);
    if (this.ctx.stopping) return;
    if (this.reseating) {
      this.reseating = false;
      this.rejoinAtMs = performance.now() + this.ctx.random() * REJOIN_PAUSE_MS.min;
      return;
    }
    this.ctx.placement.forget(this, room.roomId);
    if (code === CLOSE_CODES.drained) {
      stats.counters.drainedRejoins++;
      this.rejoinAtMs = performance.now() + this.ctx.random() * REJOIN_PAUSE_MS.min;
    } else {
      stats.error("disconnect", `closed with code ${code}`);
      this.rejoinAtMs = performance.now() + between(REJOIN_PAUSE_MS, this.ctx.random);
    }
  }

  /** Called by the fleet's heartbeat: pings, respawns and rejoins that are due. */
  heartbeat(nowMs: number, pingDue: boolean): void {
    const room = this.room;
    if (!room) {
      if (this.rejoinAtMs !== undefined && nowMs >= this.rejoinAtMs) void this.join();
      return;
    }
    const { stats } = this.ctx;
    if (this.reseatAtMs !== undefined && nowMs >= this.reseatAtMs) this.reseatIfStillBlind();
    if (this.respawnAtMs !== undefined && nowMs >= this.respawnAtMs) {
      this.respawnAtMs = undefined;
      const respawn: RespawnPayload = {};
      room.send("respawn", respawn);
      stats.counters.respawnsSent++;
    }
    if (this.pingSentAtMs !== undefined && nowMs - this.pingSentAtMs > PING_TIMEOUT_MS) {
      stats.counters.pingTimeouts++;
      stats.error("other", `no answer to a ping within ${PING_TIMEOUT_MS} ms`);
      this.pingSentAtMs = undefined;
    }
    if (pingDue && this.pingSentAtMs === undefined) {
      const sentAtMs = performance.now();
      this.pingSentAtMs = sentAtMs;
      stats.counters.pings++;
      // Timed here rather than with the SDK's whole-millisecond figure.
      room.ping(() => {
        if (this.pingSentAtMs !== sentAtMs) return;
        this.pingSentAtMs = undefined;
        stats.rttMs.record(performance.now() - sentAtMs);
      });
    }
  }

  async leave(): Promise<void> {
    const room = this.room;
    if (!room) return;
    await room.leave(true);
  }
}

/** Every bot asks matchmaking (joinOrCreate): rooms fill up to the server's MAX_PLAYERS. */
export function matchmadePlacement(roomName: string): Placement {
  return {
    join: (client, bot) => client.joinOrCreate<SnekState>(roomName, { name: bot.name }),
    forget: () => {},
  };
}

/**
 * Bots are taken in groups; each group makes `roomsPerGroup` rooms of its own
 * (create, then joinById for the others), optionally private.
 */
export function groupedPlacement(opts: { roomName: string; roomsPerGroup: number; groupSize: number; private: boolean }): Placement {
  const rooms = new Map<string, { roomId: Promise<string>; settledId?: string }>();
  const keyOf = (bot: BotIdentity): string => `${bot.group}:${(bot.index % opts.groupSize) % opts.roomsPerGroup}`;
  return {
    async join(client, bot) {
      const key = keyOf(bot);
      const known = rooms.get(key);
      if (known) {
        const roomId = await known.roomId;
        try {
          return await client.joinById<SnekState>(roomId, { name: bot.name });
        } catch (error) {
          // The room is gone (or full): the next bot of the slot makes a new one.
          if (rooms.get(key) === known) rooms.delete(key);
          throw error;
        }
      }
      let resolve!: (roomId: string) => void;
      let reject!: (error: Error) => void;
      const entry: { roomId: Promise<string>; settledId?: string } = {
        roomId: new Promise<string>((res, rej) => { resolve = res; reject = rej; }),
      };
      entry.roomId.catch(() => {}); // a failed create is reported by the creating bot
      rooms.set(key, entry);
      try {
        const options = opts.private ? { name: bot.name, private: true } : { name: bot.name };
        const room = await client.create<SnekState>(opts.roomName, options);
        entry.settledId = room.roomId;
        resolve(room.roomId);
        return room;
      } catch (error) {
        if (rooms.get(key) === entry) rooms.delete(key);
        reject(error as Error);
        throw error;
      }
    },
    forget(bot, roomId) {
      // Only the room that closed is forgotten; a newer one made by another bot stays.
      const key = keyOf(bot);
      if (rooms.get(key)?.settledId === roomId) rooms.delete(key);
    },
  };
}
