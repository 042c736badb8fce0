// One game in one room: wires the SDK room to the pure pieces (bodies,
// interpolation, prediction, food timing) and hands the scene a picture per
// frame and the HUD a summary per patch. No Phaser and no DOM in here.

import type { Room } from "@colyseus/sdk";
import { Bodies } from "../../../rooms/snek/bodies.ts";
import { SERVER_MESSAGES, type DrainNotice, type MigrateNotice, type RejectedNotice } from "../../../rooms/kit/protocol.ts";
import { RespawnMessage, TurnMessage, dirFromCode } from "../../../rooms/snek/protocol.ts";
import { RESPAWN_DELAY_SECONDS, START_WAIT_SECONDS, type Cell, type Dir } from "../../../rooms/snek/rules.ts";
import type { PlayerState, SnekState } from "../../../rooms/snek/state.ts";
import { CorrectionSmoother } from "./correction.ts";
import { FoodTrack } from "./foodTrack.ts";
import type { GameAction } from "./input.ts";
import { topPlayers, type Standing } from "./leaderboard.ts";
import { TurnPredictor, type Prediction, type ServerSnake } from "./prediction.ts";
import { SnakeTrack, polylineAt, type Point } from "./snakeTrack.ts";
import { TickClock, ownRenderTick } from "./tickClock.ts";

export type SnekRoom = Room<unknown, SnekState>;
export type ConnectionState = "open" | "reconnecting" | "closed";

export interface SnakeView {
  sessionId: string;
  name: string;
  /** Palette index. */
  color: number;
  you: boolean;
  /** A server-side room bot, not a person. */
  bot: boolean;
  connected: boolean;
  /** Head first, in cells (fractional while moving). */
  points: Point[];
  /** Where the head looks: for you, the last turn you asked for, at once. */
  facing: Dir;
}

export interface FrameView {
  board: { width: number; height: number };
  snakes: SnakeView[];
  food: Cell[];
  /** Your head as drawn, or where you died; for a following camera. */
  focus: Point | undefined;
}

export interface HudView {
  roomId: string;
  connection: ConnectionState;
  pingMs: number | undefined;
  /** People in the room; room bots are counted apart. */
  players: number;
  bots: number;
  you: { name: string; color: number; score: number; best: number; length: number; alive: boolean } | undefined;
  /** Spectating: no snake of your own. */
  watching: boolean;
  top: (Standing & { you: boolean })[];
  /** A notice from the server: draining (with when, in performance.now ms, the game ends) or moving the game. */
  serverNotice: { message: string; endsAtMs?: number } | undefined;
  /** Set while you are dead: when (performance.now ms) the server respawns you on its own. */
  respawnAtMs: number | undefined;
  /** Set while your fresh snake waits for your first turn: when (performance.now ms) it sets off on its own. */
  startsAtMs: number | undefined;
}

export interface SessionEnd {
  code: number;
  /** True when the socket dropped and automatic reconnection gave up. */
  reconnectFailed: boolean;
}

export interface SessionOptions {
  /** Called whenever the HUD's facts change (at most once per patch). */
  onHud: (hud: HudView) => void;
  /** Called once when the room is gone for good. */
  onEnd: (end: SessionEnd) => void;
  /** Joined as a spectator: nothing to steer, and the server would refuse it anyway. */
  watching?: boolean;
  now?: () => number;
}

/** How often the ping is measured (ms). */
const PING_EVERY_MS = 2000;
/** How fast your snake's clock may catch up with a new round-trip estimate: 0.25 = up to 25% fast or slow. */
const CLOCK_SLEW = 0.25;

export class GameSession {
  readonly room: SnekRoom;
  connection: ConnectionState = "open";
  pingMs: number | undefined;
  /** Smoothed round trip (ms). */
  private rttMs = 0;
  /**
   * The round trip your snake's clock uses (ms). It follows rttMs at a bounded
   * rate, so a new estimate makes your snake run a little fast or slow for a
   * moment instead of jumping along its path.
   */
  private clockRttMs = 0;
  private bodies = new Bodies();
  private readonly tracks = new Map<string, SnakeTrack>();
  private readonly food = new FoodTrack();
  private readonly smoother = new CorrectionSmoother();
  private clock: TickClock | undefined;
  private predictor: TurnPredictor | undefined;
  private prediction: Prediction | undefined;
  private board = { width: 0, height: 0 };
  private lastFrameMs: number | undefined;
  private lastFocus: Point | undefined;
  private serverNotice: HudView["serverNotice"];
  private respawnAtMs: number | undefined;
  private startsAtMs: number | undefined;
  private wasAlive = false;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private ended = false;
  private hudKey = "";
  private readonly options: SessionOptions;
  private readonly now: () => number;

  /** Counters for the test hook and the HUD. */
  readonly stats = { patches: 0, drops: 0, reconnects: 0, rejected: 0, turnsSent: 0 };

  constructor(room: SnekRoom, options: SessionOptions) {
    this.room = room;
    this.options = options;
    this.now = options.now ?? (() => performance.now());

    // The SDK waits this long after joining before it will reconnect at all; a drop
    // in the first second is treated as a failed join instead.
    room.reconnection.minUptime = 1000;
    // Retries spread over ~20 s, beyond the server's 10 s seat hold, with at most 2 s between them.
    room.reconnection.maxDelay = 2000;
    room.reconnection.maxRetries = 14;

    room.onStateChange((state) => this.onPatch(state));
    room.onMessage(SERVER_MESSAGES.draining, (notice: DrainNotice) => {
      this.serverNotice = { message: notice.message, endsAtMs: this.now() + notice.seconds * 1000 };
      this.publishHud(true);
    });
    // Following the move is app/main.ts's job (rooms/kit/client/follow.ts); here it is only shown.
    room.onMessage(SERVER_MESSAGES.migrate, (notice: MigrateNotice) => {
      this.serverNotice = { message: notice.message };
      this.publishHud(true);
    });
    room.onMessage(SERVER_MESSAGES.rejected, (_notice: RejectedNotice) => {
      this.stats.rejected++;
    });
    room.onDrop(() => {
      this.stats.drops++;
      this.connection = "reconnecting";
      this.publishHud(true);
    });
    room.onReconnect(() => {
      this.stats.reconnects++;
      this.connection = "open";
      // The full state that follows carries every body whole; start every picture from it.
      this.resync();
      this.bodies = new Bodies();
      this.tracks.clear();
      this.food.clear();
      this.publishHud(true);
    });
    room.onLeave((code) => {
      const reconnectFailed = this.connection === "reconnecting";
      this.connection = "closed";
      this.finish({ code, reconnectFailed });
    });

    this.pingTimer = setInterval(() => this.measurePing(), PING_EVERY_MS);
    this.measurePing();
  }

  /** For a room whose first state is already in (one followed to another replica): take it now, not at the next patch. */
  takeCurrentState(): void {
    this.onPatch(this.room.state);
  }

  get sessionId(): string {
    return this.room.sessionId;
  }

  /** A key or swipe. Turns are checked and predicted before they are sent. */
  act(action: GameAction): void {
    if (this.connection === "closed" || this.options.watching) return;
    if (action.kind === "respawn") {
      const you = this.room.state.players?.get(this.sessionId);
      if (you && !you.alive) this.room.send("respawn", RespawnMessage.parse({}));
      return;
    }
    const server = this.serverSnake();
    if (!server || !this.predictor) return;
    const now = this.now();
    const before = this.ownHeadAt(now);
    // Your snake is drawn one tick behind the server tick your key reaches (tickClock.ts), so the
    // turn is applied by the step after the one the head is heading into: it shows at the next cell.
    const yourTick = this.yourTick(now);
    const applyTick = yourTick === undefined ? server.tick + 1 : Math.floor(yourTick) + 2;
    if (!this.predictor.requestTurn(action.dir, server, applyTick)) return;
    this.room.send("turn", TurnMessage.parse({ dir: action.dir }));
    this.stats.turnsSent++;
    this.prediction = this.predictor.predict(server);
    this.absorbCorrection(before);
  }

  /** After a hidden tab or a reconnect: restart timing and prediction from the next patch. */
  resync(): void {
    this.clock?.reset();
    this.predictor?.clear();
    this.prediction = undefined;
    this.smoother.reset();
    this.lastFrameMs = undefined;
  }

  async leave(): Promise<void> {
    this.stopTimers();
    if (this.connection !== "closed") await this.room.leave(true).catch(() => undefined);
  }

  /** What to draw now. */
  frame(nowMs = this.now()): FrameView {
    const elapsed = this.lastFrameMs === undefined ? 0 : nowMs - this.lastFrameMs;
    this.lastFrameMs = nowMs;
    const offset = this.smoother.advance(elapsed);
    const slew = elapsed * CLOCK_SLEW;
    this.clockRttMs += Math.max(-slew, Math.min(slew, this.rttMs - this.clockRttMs));
    const state = this.room.state;
    const renderTick = this.clock?.renderTick(nowMs);
    const yourTick = this.yourTick(nowMs);
    const snakes: SnakeView[] = [];
    let focus: Point | undefined;

    state.players?.forEach((player, sessionId) => {
      const track = this.tracks.get(sessionId);
      if (!track || track.heads.length === 0) return;
      const you = sessionId === this.sessionId;
      let points: Point[];
      let facing = dirFromCode(player.dir);
      if (you && track.alive && this.prediction && yourTick !== undefined) {
        points = this.predictedPolyline(track, this.prediction, yourTick);
        const head = points[0];
        if (head) points[0] = { x: head.x + offset.x, y: head.y + offset.y };
        facing = this.prediction.facing;
      } else {
        // Yours stays on your own clock even as it dies, so it does not jump back to the others' time.
        const drawTick = you ? yourTick : renderTick;
        const lag = drawTick === undefined ? 0 : track.tick - drawTick;
        // A dead snake stays in the picture until the picture reaches its death.
        if (!track.alive && lag <= 0) return;
        points = polylineAt(track.heads, track.lengths, lag);
      }
      if (points.length === 0) return;
      if (you) focus = points[0];
      snakes.push({ sessionId, name: player.name, color: player.color, you, bot: player.bot === true, connected: player.connected, points, facing });
    });

    const you = state.players?.get(this.sessionId);
    if (focus) this.lastFocus = focus;
    else if (you) this.lastFocus = { x: you.x, y: you.y };
    const food = renderTick === undefined ? [] : this.food.visible(renderTick, yourTick ?? renderTick);
    return { board: this.board, snakes, food, focus: focus ?? this.lastFocus };
  }

  /** Facts for the test hook (window.__snek). */
  snapshot(): { tick: number; you: { x: number; y: number; dir: Dir; alive: boolean } | undefined; players: number } {
    const state = this.room.state;
    const you = state.players?.get(this.sessionId);
    return {
      tick: state.tick ?? 0,
      you: you ? { x: you.x, y: you.y, dir: dirFromCode(you.dir), alive: you.alive } : undefined,
      players: state.players?.size ?? 0,
    };
  }

  private onPatch(state: SnekState): void {
    const nowMs = this.now();
    this.stats.patches++;
    if (!this.clock || this.board.width !== state.width || this.board.height !== state.height) {
      this.board = { width: state.width, height: state.height };
      this.clock = new TickClock(1000 / Math.max(1, state.tickHz));
      this.predictor = new TurnPredictor(this.board);
    }
    const headBefore = this.ownHeadAt(nowMs);
    const yourTrackBefore = this.tracks.get(this.sessionId);
    const continuing = yourTrackBefore?.alive === true;

    this.bodies.update(state.players);
    this.clock.onTick(state.tick, nowMs);
    state.players.forEach((_player, sessionId) => {
      let track = this.tracks.get(sessionId);
      if (!track) this.tracks.set(sessionId, (track = new SnakeTrack()));
      track.update(this.bodies.get(sessionId), state.tick);
    });
    for (const sessionId of this.tracks.keys()) if (!state.players.has(sessionId)) this.tracks.delete(sessionId);

    const server = this.serverSnake();
    this.food.update(state.food.values(), state.width, state.tick, server?.alive ? server.body[0] : undefined);
    if (server && this.predictor) {
      this.predictor.reconcile(server, this.rttMs / this.clock.tickMs);
      this.prediction = server.alive ? this.predictor.predict(server) : undefined;
    }
    const yourTrack = this.tracks.get(this.sessionId);
    if (continuing && yourTrack?.alive && yourTrack.heads.length > 1) this.absorbCorrection(headBefore);
    else this.smoother.reset();

    this.trackDeath(state.players.get(this.sessionId), nowMs);
    this.publishHud(false);
  }

  private trackDeath(you: PlayerState | undefined, nowMs: number): void {
    const alive = you?.alive === true;
    if (this.wasAlive && !alive) this.respawnAtMs = nowMs + RESPAWN_DELAY_SECONDS * 1000;
    if (alive) this.respawnAtMs = undefined;
    const waiting = alive && you?.waiting === true;
    if (waiting && this.startsAtMs === undefined) this.startsAtMs = nowMs + START_WAIT_SECONDS * 1000;
    if (!waiting) this.startsAtMs = undefined;
    this.wasAlive = alive;
  }

  /** Keeps the head where it was drawn when the prediction under it changed. */
  private absorbCorrection(before: Point | undefined): void {
    const after = this.ownHeadAt(this.now());
    if (before && after) this.smoother.absorb(before, after);
  }

  /** Where your head is drawn at `nowMs`, correction included; undefined when not predicting. */
  private ownHeadAt(nowMs: number): Point | undefined {
    const track = this.tracks.get(this.sessionId);
    const yourTick = this.yourTick(nowMs);
    if (!track?.alive || !this.prediction || yourTick === undefined) return undefined;
    const head = this.predictedPolyline(track, this.prediction, yourTick)[0];
    if (!head) return undefined;
    const offset = this.smoother.offset;
    return { x: head.x + offset.x, y: head.y + offset.y };
  }

  /** Your snake at `yourTick`: the predicted heads continue the server's history. */
  private predictedPolyline(track: SnakeTrack, prediction: Prediction, yourTick: number): Point[] {
    const path = [...prediction.heads].reverse().concat(track.heads);
    const lengths = [...prediction.lengths].reverse().concat(track.lengths);
    const pathTick = track.tick + prediction.heads.length;
    return polylineAt(path, lengths, pathTick - yourTick);
  }

  private yourTick(nowMs: number): number | undefined {
    const arriving = this.clock?.arrivingTick(nowMs);
    if (arriving === undefined || !this.clock) return undefined;
    return ownRenderTick(arriving, this.clockRttMs, this.clock.tickMs);
  }

  private serverSnake(): ServerSnake | undefined {
    const state = this.room.state;
    const you = state.players?.get(this.sessionId);
    if (!you) return undefined;
    return { body: this.bodies.get(this.sessionId), dir: dirFromCode(you.dir), alive: you.alive, tick: state.tick, waiting: you.waiting };
  }

  private measurePing(): void {
    if (this.connection !== "open") return;
    this.room.ping((ms) => {
      this.pingMs = ms;
      this.rttMs = this.rttMs === 0 ? ms : this.rttMs + (ms - this.rttMs) * 0.25;
      // Nothing of yours drawn yet: your clock may take the estimate at once.
      if (!this.prediction) this.clockRttMs = this.rttMs;
      this.publishHud(true);
    });
  }

  private publishHud(force: boolean): void {
    if (this.ended) return;
    const hud = this.hud();
    // Only tell the DOM when something it shows changed.
    const key = JSON.stringify(hud);
    if (!force && key === this.hudKey) return;
    this.hudKey = key;
    this.options.onHud(hud);
  }

  private hud(): HudView {
    const state = this.room.state;
    const standings: Standing[] = [];
    state.players?.forEach((p, sessionId) => {
      standings.push({ sessionId, name: p.name, color: p.color, score: p.score, best: p.best, alive: p.alive, bot: p.bot === true });
    });
    const you = state.players?.get(this.sessionId);
    return {
      roomId: this.room.roomId,
      connection: this.connection,
      pingMs: this.pingMs,
      players: standings.filter((s) => !s.bot).length,
      bots: standings.filter((s) => s.bot).length,
      you: you ? { name: you.name, color: you.color, score: you.score, best: you.best, length: you.length, alive: you.alive } : undefined,
      watching: this.options.watching === true,
      top: topPlayers(standings, 5).map((s) => ({ ...s, you: s.sessionId === this.sessionId })),
      serverNotice: this.serverNotice,
      respawnAtMs: this.respawnAtMs,
      startsAtMs: this.startsAtMs,
    };
  }

  private finish(end: SessionEnd): void {
    if (this.ended) return;
    this.stopTimers();
    this.publishHud(true);
    this.ended = true;
    this.options.onEnd(end);
  }

  private stopTimers(): void {
    if (this.pingTimer !== undefined) clearInterval(this.pingTimer);
    this.pingTimer = undefined;
  }
}
