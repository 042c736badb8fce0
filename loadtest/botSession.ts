// What every bot does whatever its game: a real @colyseus/sdk client that
// joins through placement, meters each frame, pings, follows its room when it
// moves to another replica (timing the pause), and joins again when its room
// goes. A game's bot extends BotSession and keeps only how it plays.

import { Client, Protocol, Room } from "@colyseus/sdk";
import { followMigrations } from "../rooms/kit/client/follow.ts";
import { CLOSE_CODES, SERVER_MESSAGES, type DrainNotice, type RejectedNotice } from "../rooms/kit/protocol.ts";
import type { BoardRegistry } from "./board.ts";
import type { BotStats } from "./stats.ts";

/** Every bot measures a round trip this often: plenty of samples without adding much load. */
export const PING_EVERY_MS = 2000;
export const PING_TIMEOUT_MS = 5000;
export const REJOIN_PAUSE_MS = { min: 500, max: 2000 };
/** The low five bits of a frame's first byte are the protocol code; the rest are modifier flags. */
const PROTOCOL_CODE_MASK = 0x1f;

// any: the SDK types a room by the server's Room class (for typed messages); the
// bots send the protocol's own payload types and only need the state type here.
// The state is decoded by reflection (the server describes its schema on join)
// rather than from our copy of the class: that follows whatever the server runs.
export type GameRoom<State> = Room<any, State>;

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

/** How a bot finds its room: matchmaking, or a room its group made. Each bot reads the state of its own game. */
export interface Placement {
  join(client: Client, bot: BotIdentity): Promise<GameRoom<unknown>>;
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

export abstract class BotSession<State> implements FrameListener, BotIdentity {
  readonly client: MeteredClient;
  room: GameRoom<State> | undefined;
  private joining = false;
  private rejoinAtMs: number | undefined;
  /** Leaving on purpose to join again at once (the game decided so): the room is not forgotten. */
  protected leavingToRejoin = false;
  /** Where a migration pause is measured from; a game's onStateFrame keeps it. */
  protected lastPatchAtMs: number | undefined;
  /** Set when the bot follows its room to another replica: its last patch in the old room. */
  private pauseSinceMs: number | undefined;
  private pingSentAtMs: number | undefined;

  readonly index: number;
  readonly name: string;
  readonly group: number;
  protected readonly ctx: BotContext;

  constructor(index: number, name: string, group: number, ctx: BotContext) {
    this.index = index;
    this.name = name;
    this.group = group;
    this.ctx = ctx;
    this.client = new MeteredClient(ctx.url, this);
  }

  /** A room was joined or followed: reset the game's plans and start watching its state. */
  protected abstract startPlaying(room: GameRoom<State>): void;
  /** The bot no longer plays in this room (it left, or moved on). */
  protected stopPlaying(_room: GameRoom<State>): void {}
  /** A state frame arrived (after the bytes, and before the patch counts, are recorded). */
  protected abstract onStateFrame(code: number, atMs: number): void;
  /** The game's own timers (moves, respawns), run on each heartbeat while in a room. */
  protected abstract playDue(room: GameRoom<State>, nowMs: number): void;
  /** A refusal the game expects and answers itself; true keeps it out of the error counts. */
  protected answerRejection(_notice: RejectedNotice): boolean {
    return false;
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
      const room = (await this.ctx.placement.join(this.client, this)) as GameRoom<State>;
      stats.joinMs.record(performance.now() - startedMs);
      stats.counters.joins++;
      this.attach(room);
      if (this.ctx.stopping) void room.leave(true);
    } catch (error) {
      stats.error("join", describeError(error));
      this.rejoinAfterPause();
    } finally {
      this.joining = false;
    }
  }

  private attach(room: GameRoom<State>): void {
    const { stats } = this.ctx;
    this.room = room;
    // The bot rejoins through matchmaking itself; the SDK's silent reconnect would hide drops.
    room.reconnection.enabled = false;
    stats.setConnected(1);
    this.pingSentAtMs = undefined;
    this.startPlaying(room);

    room.onMessage(SERVER_MESSAGES.rejected, (notice: RejectedNotice) => {
      if (this.answerRejection(notice)) return;
      stats.counters.rejected[notice.reason] = (stats.counters.rejected[notice.reason] ?? 0) + 1;
      stats.error("other", `rejected ${notice.type}: ${notice.reason}`);
    });
    room.onMessage(SERVER_MESSAGES.draining, (_notice: DrainNotice) => {
      // Keep playing: a `migrate` notice or the close with CLOSE_CODES.drained that follows says what next.
    });
    // The room moves to another replica: take the reserved seat (same player), as the web client does.
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
        this.attach(next as GameRoom<State>);
        this.pauseSinceMs = lastPatchAtMs;
      },
      lost: () => {
        // The move failed; like a drain, the player joins again through matchmaking.
        stats.counters.migrationsLost++;
        if (this.room !== room) return;
        this.detach(room);
        void room.leave(true);
        this.rejoinSoon();
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
  private detach(room: GameRoom<State>): void {
    if (this.room !== room) return;
    this.room = undefined;
    this.stopPlaying(room);
    this.ctx.stats.setConnected(-1);
  }

  onFrame(code: number, bytes: number, atMs: number): void {
    const { counters } = this.ctx.stats;
    counters.bytesIn += bytes;
    if (code !== Protocol.ROOM_STATE_PATCH && code !== Protocol.ROOM_STATE) return;
    if (this.pauseSinceMs !== undefined) {
      this.ctx.stats.migrationPauseMs.record(atMs - this.pauseSinceMs);
      this.pauseSinceMs = undefined;
    }
    this.onStateFrame(code, atMs);
    if (code !== Protocol.ROOM_STATE_PATCH) return;
    counters.patchBytesIn += bytes;
    counters.patches++;
  }

  private onLeave(room: GameRoom<State>, code: number): void {
    if (this.room !== room) return;
    const { stats } = this.ctx;
    this.detach(room);
    if (this.ctx.stopping) return;
    if (this.leavingToRejoin) {
      this.leavingToRejoin = false;
      this.rejoinSoon();
      return;
    }
    this.ctx.placement.forget(this, room.roomId);
    if (code === CLOSE_CODES.drained) {
      stats.counters.drainedRejoins++;
      this.rejoinSoon();
    } else {
      stats.error("disconnect", `closed with code ${code}`);
      this.rejoinAfterPause();
    }
  }

  /** The room went on purpose (drain, failed move, reseat): come back quickly, but not all bots at once. */
  private rejoinSoon(): void {
    this.rejoinAtMs = performance.now() + this.ctx.random() * REJOIN_PAUSE_MS.min;
  }

  /** Something failed: wait a person's pause before trying again. */
  private rejoinAfterPause(): void {
    this.rejoinAtMs = performance.now() + between(REJOIN_PAUSE_MS, this.ctx.random);
  }

  /** Called by the fleet's heartbeat: the game's due moves, pings and rejoins. */
  heartbeat(nowMs: number, pingDue: boolean): void {
    const room = this.room;
    if (!room) {
      if (this.rejoinAtMs !== undefined && nowMs >= this.rejoinAtMs) void this.join();
      return;
    }
    this.playDue(room, nowMs);
    const { stats } = this.ctx;
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
    await this.room?.leave(true);
  }
}

/** Every bot asks matchmaking (joinOrCreate): rooms fill up to the server's MAX_PLAYERS. */
export function matchmadePlacement(roomName: string): Placement {
  return {
    join: (client, bot) => client.joinOrCreate<unknown>(roomName, { name: bot.name }),
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
          return await client.joinById<unknown>(roomId, { name: bot.name });
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
        const room = await client.create<unknown>(opts.roomName, options);
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
