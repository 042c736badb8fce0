// One Four in a row bot: takes a seat, thinks for a moment like a person,
// drops a disc the brain picks (fourBrain.ts), and asks for a rematch when a
// game ends. Joining, pings, following the room and rejoining are BotSession's,
// run from the fleet's heartbeat as for the Snek bots.

import { Protocol } from "@colyseus/sdk";
import type { DropPayload } from "../rooms/four/protocol.ts";
import { CLIENT_MESSAGES, PAUSED } from "../rooms/four/protocol.ts";
import type { CellValue, Seat } from "../rooms/four/rules.ts";
import type { FourState } from "../rooms/four/state.ts";
import type { RejectedNotice } from "../rooms/kit/protocol.ts";
import { BotSession, between, type GameRoom } from "./botSession.ts";
import { chooseColumn } from "./fourBrain.ts";

/** A person looks at the board before dropping: well inside the move timer. */
const THINK_MS = { min: 300, max: 1200 };
const REMATCH_PAUSE_MS = { min: 500, max: 1500 };
/** After a `paused` refusal (the room is moving): longer than the gate's one-second notice window. */
const RETRY_PAUSED_MS = { min: 1100, max: 1600 };

type FourRoom = GameRoom<FourState>;

export class FourBot extends BotSession<FourState> {
  /** When to drop (it is our turn), and the move count it was planned at. */
  private dropAt: { atMs: number; moves: number } | undefined;
  private rematchAtMs: number | undefined;
  private endedGame = false;

  protected startPlaying(room: FourRoom): void {
    this.dropAt = undefined;
    this.rematchAtMs = undefined;
    this.endedGame = false;
    room.onStateChange((state) => this.look(room, state));
  }

  protected override answerRejection(notice: RejectedNotice): boolean {
    // A room that just moved holds the game until its players are back: try again a little later, past the
    // gate's one-notice-per-reason-per-second window, so a second refusal is heard of too.
    if (notice.reason !== PAUSED) return false;
    const retryAtMs = performance.now() + between(RETRY_PAUSED_MS, this.ctx.random);
    if (this.dropAt) this.dropAt = { ...this.dropAt, atMs: retryAtMs };
    if (this.rematchAtMs !== undefined) this.rematchAtMs = retryAtMs;
    return true;
  }

  protected onStateFrame(_code: number, atMs: number): void {
    // Turn-based: patches come with moves, not on a clock, so no patch interval is recorded.
    // A full state counts too, so a room that moves before anyone's first move still has a start for the pause.
    this.lastPatchAtMs = atMs;
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

  /** Drops and rematches that are due. */
  protected playDue(room: FourRoom, nowMs: number): void {
    if (this.dropAt !== undefined && nowMs >= this.dropAt.atMs) {
      this.dropAt = { atMs: Infinity, moves: this.dropAt.moves };
      this.sendDrop(room);
    }
    if (this.rematchAtMs !== undefined && nowMs >= this.rematchAtMs) {
      this.rematchAtMs = Infinity;
      room.send("rematch", CLIENT_MESSAGES.rematch.parse({}));
      this.ctx.stats.counters.rematchesSent++;
    }
  }
}
