// One Snek bot: plays like a person would (steers with the brain at most a few
// times a second, respawns after a short pause) and shares the decoded picture
// of its room with the other bots there. Joining, pings, following the room
// and rejoining are BotSession's.

import { Protocol } from "@colyseus/sdk";
import type { z } from "zod";
import { dirFromCode, type RespawnMessage, type TurnPayload } from "../rooms/snek/protocol.ts";
import { nextCell, type Dir } from "../rooms/snek/rules.ts";
import type { SnekState } from "../rooms/snek/state.ts";
import type { BoardMember, RoomBoard } from "./board.ts";
import { chooseDirection, outlook, type CellOutlook } from "../rooms/snek/brain.ts";
import { BotSession, MeteredRoom, between, type GameRoom } from "./botSession.ts";

/** A person turns a few times a second at most; this keeps bots far below MAX_MESSAGES_PER_SECOND. */
export const MIN_TURN_GAP_MS = 180;
/** Pause before pressing "respawn" after dying: a human reaction, shorter than the server's automatic respawn. */
const RESPAWN_PAUSE_MS = { min: 300, max: 1200 };
/** How long a bot whose room lost its decoding bots waits for them (or for its own move) before rejoining. */
const RESEAT_GRACE_MS = 1000;
/** A sent turn counts as "where we are heading" until the state shows it or this many ticks pass. */
const PENDING_TURN_TICKS = 3;

type RespawnPayload = z.infer<typeof RespawnMessage>;
type SnekRoom = GameRoom<SnekState>;

/**
 * Bots of one room (in one thread) that decode the state; the others meter
 * every frame but read the decoded picture from these. Two, so that one
 * leaving does not leave the room blind.
 */
export const EYES_PER_ROOM = 2;

export class Bot extends BotSession<SnekState> implements BoardMember {
  private board: RoomBoard | undefined;
  private decodes = false;
  private reseatAtMs: number | undefined;
  private wasAlive = false;
  /** What the cell the snake enters on the next tick held when the bot last looked. */
  private enteringNext: CellOutlook = "free";
  private respawnAtMs: number | undefined;
  private lastTurnAtMs = -Infinity;
  private pendingTurn: { dir: Dir; tick: number } | undefined;

  protected startPlaying(room: SnekRoom): void {
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
    // So no patch interval spans the gap between two rooms.
    this.lastPatchAtMs = undefined;
    this.wasAlive = false;
    this.pendingTurn = undefined;
    this.reseatAtMs = undefined;
  }

  protected override stopPlaying(room: SnekRoom): void {
    this.board = undefined;
    for (const blind of this.ctx.boards.release(room.roomId, this, this.decodes)) blind.reseat();
  }

  protected onStateFrame(code: number, atMs: number): void {
    const { counters, patchIntervalMs } = this.ctx.stats;
    // What this frame would have been as full-state JSON (the board at the newest tick seen).
    counters.jsonFullStateBytes += this.board?.jsonFullStateBytes ?? 0;
    if (code !== Protocol.ROOM_STATE_PATCH) return;
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
    if (!room || this.leavingToRejoin || this.decodes || (this.board && this.board.eyes > 0)) return;
    this.leavingToRejoin = true;
    this.ctx.stats.counters.reseats++;
    void room.leave(true);
  }

  /** Reseats and respawns that are due. */
  protected playDue(room: SnekRoom, nowMs: number): void {
    if (this.reseatAtMs !== undefined && nowMs >= this.reseatAtMs) this.reseatIfStillBlind();
    if (this.respawnAtMs !== undefined && nowMs >= this.respawnAtMs) {
      this.respawnAtMs = undefined;
      const respawn: RespawnPayload = {};
      room.send("respawn", respawn);
      this.ctx.stats.counters.respawnsSent++;
    }
  }
}
