// One Four in a row bot: a real @colyseus/sdk client that takes a seat, thinks
// for a moment like a person, drops a disc the brain picks (fourBrain.ts),
// asks for a rematch when a game ends, follows its room when it moves, and
// joins again when its room goes. Pings and pauses run from the fleet's
// heartbeat, as for the Snek bots.

import { Protocol, type Room } from "@colyseus/sdk";
import type { DropPayload } from "../rooms/four/protocol.ts";
import { CLIENT_MESSAGES, PAUSED } from "../rooms/four/protocol.ts";
import type { CellValue, Seat } from "../rooms/four/rules.ts";
import type { FourState } from "../rooms/four/state.ts";
import { followMigrations } from "../rooms/kit/client/follow.ts";
import { CLOSE_CODES, SERVER_MESSAGES, type RejectedNotice } from "../rooms/kit/protocol.ts";
import { MeteredClient, PING_TIMEOUT_MS, REJOIN_PAUSE_MS, between, describeError, type BotContext, type FrameListener } from "./bot.ts";
import { chooseColumn } from "./fourBrain.ts";

/** A person looks at the board before dropping: well inside the move timer. */
const THINK_MS = { min: 300, max: 1200 };
const REMATCH_PAUSE_MS = { min: 500, max: 1500 };
/** After a `paused` refusal (the room is moving): longer than the gate's one-second notice window. */
const RETRY_PAUSED_MS = { min: 1100, max: 1600 };

// any: the SDK types a room by the server's Room class; the bot needs only the state type (decoded by reflection).
type FourRoom = Room<any, FourState>;

export class FourBot implements FrameListener {
  readonly client: MeteredClient;
  room: FourRoom | undefined;
  private joining = false;
  private rejoinAtMs: number | undefined;
  /** When to drop (it is our turn), and the move count it was planned at. */
  private dropAt: { atMs: number; moves: number } | undefined;
  private rematchAtMs: number | undefined;
  private endedGame = false;
  private pingSentAtMs: number | undefined;
  private pauseSinceMs: number | undefined;
  private lastPatchAtMs: number | undefined;

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
      const room = (await this.ctx.placement.join(this.client, this)) as unknown as FourRoom;
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

  private attach(room: FourRoom): void {
    const { stats } = this.ctx;
    this.room = room;
    room.reconnection.enabled = false;
    stats.setConnected(1);
    this.dropAt = undefined;
    this.rematchAtMs = undefined;
    this.endedGame = false;
    this.pingSentAtMs = undefined;
    room.onStateChange((state) => this.look(room, state));
    room.onMessage(SERVER_MESSAGES.rejected, (notice: RejectedNotice) => {
      // A room that just moved holds the game until its players are back: try again a little later, past the
      // gate's one-notice-per-reason-per-second window, so a second refusal is heard of too.
      if (notice.reason === PAUSED) {
        const retryAtMs = performance.now() + between(RETRY_PAUSED_MS, this.ctx.random);
        if (this.dropAt) this.dropAt = { ...this.dropAt, atMs: retryAtMs };
        if (this.rematchAtMs !== undefined) this.rematchAtMs = retryAtMs;
        return;
      }
      stats.counters.rejected[notice.reason] = (stats.counters.rejected[notice.reason] ?? 0) + 1;
      stats.error("other", `rejected ${notice.type}: ${notice.reason}`);
    });
    room.onMessage(SERVER_MESSAGES.draining, () => undefined);
    followMigrations(this.client, room, {
      moved: (next) => {
        if (this.room !== room) return void next.leave(true);
        stats.counters.migrations++;
        const since = this.lastPatchAtMs;
        this.detach(room);
        this.attach(next as FourRoom);
        this.pauseSinceMs = since;
      },
      lost: () => {
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

  private detach(room: FourRoom): void {
    if (this.room !== room) return;
    this.room = undefined;
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
    this.lastPatchAtMs = atMs;
    if (code !== Protocol.ROOM_STATE_PATCH) return;
    // Turn-based: patches come with moves, not on a clock, so no patch interval is recorded.
    counters.patchBytesIn += bytes;
    counters.patches++;
  }

  /** A new state: plan a drop on our turn, a rematch when the game is over. */
  private look(room: FourRoom, state: FourState): void {
    if (this.room !== room) return;
    const now = performance.now();
    if (state.winner !== "") {
      if (!this.endedGame) this.ctx.stats.counters.gamesEnded++;
      this.endedGame = true;
      this.dropAt = undefined;
      if (this.rematchAtMs === undefined && state.players.get(room.sessionId)?.rematch === false) {
        this.rematchAtMs = now + between(REMATCH_PAUSE_MS, this.ctx.random);
      }
      return;
    }
    this.endedGame = false;
    this.rematchAtMs = undefined;
    if (state.turn !== room.sessionId) {
      this.dropAt = undefined;
    } else if (this.dropAt?.moves !== state.moves) {
      this.dropAt = { atMs: now + between(THINK_MS, this.ctx.random), moves: state.moves };
    }
  }

  private sendDrop(room: FourRoom): void {
    const state = room.state;
    const seat = state.players.get(room.sessionId)?.seat;
    if ((seat !== 1 && seat !== 2) || state.turn !== room.sessionId) return;
    const board = Array.from(state.board, (v) => v as CellValue);
    const column = chooseColumn(board, seat as Seat, this.ctx.random);
    if (column === undefined) return;
    const payload: DropPayload = { column };
    room.send("drop", payload);
    this.ctx.stats.counters.turnsSent++;
  }

  private onLeave(room: FourRoom, code: number): void {
    if (this.room !== room) return;
    this.detach(room);
    if (this.ctx.stopping) return;
    this.ctx.placement.forget(this, room.roomId);
    if (code === CLOSE_CODES.drained) {
      this.ctx.stats.counters.drainedRejoins++;
      this.rejoinAtMs = performance.now() + this.ctx.random() * REJOIN_PAUSE_MS.min;
    } else {
      this.ctx.stats.error("disconnect", `closed with code ${code}`);
      this.rejoinAtMs = performance.now() + between(REJOIN_PAUSE_MS, this.ctx.random);
    }
  }

  heartbeat(nowMs: number, pingDue: boolean): void {
    const room = this.room;
    if (!room) {
      if (this.rejoinAtMs !== undefined && nowMs >= this.rejoinAtMs) void this.join();
      return;
    }
    if (this.dropAt !== undefined && nowMs >= this.dropAt.atMs) {
      this.dropAt = { atMs: Infinity, moves: this.dropAt.moves };
      this.sendDrop(room);
    }
    if (this.rematchAtMs !== undefined && nowMs >= this.rematchAtMs) {
      this.rematchAtMs = Infinity;
      room.send("rematch", CLIENT_MESSAGES.rematch.parse({}));
      this.ctx.stats.counters.rematchesSent++;
    }
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
