// The game scene: draws the picture GameSession.frame() describes and passes
// keys, swipes and taps back as game actions. Nothing else lives here.

import Phaser from "phaser";
import type { Dir } from "../../../rooms/snek/rules.ts";
import { chooseView, type CameraView } from "../game/camera.ts";
import { SwipeTracker, actionForKey, type GameAction } from "../game/input.ts";
import {
  BOARD_COLOR, BORDER_COLOR, EYE_COLOR, FOOD_COLOR, FOOD_GLOW_COLOR, GRID_COLOR, LABEL_STROKE_COLOR,
  LABEL_TEXT_COLOR, YOU_OUTLINE_COLOR, snakeColor,
} from "../game/palette.ts";
import type { FrameView, GameSession, SnakeView } from "../game/session.ts";
import type { Point } from "../game/snakeTrack.ts";

/** World units per cell; the camera zoom turns them into screen pixels. */
const CELL = 32;
const BODY_WIDTH = 0.62 * CELL;
const HEAD_RADIUS = 0.42 * CELL;
const OUTLINE = 0.12 * CELL;
/** Space between the board and the edge of its area (CSS px). */
const BOARD_MARGIN_PX = 12;
const FACING: Record<Dir, Point> = { up: { x: 0, y: -1 }, right: { x: 1, y: 0 }, down: { x: 0, y: 1 }, left: { x: -1, y: 0 } };

export interface StageBridge {
  session(): GameSession | undefined;
  act(action: GameAction): void;
  /** Called after each drawn frame, with the time it took to build and draw it (ms). */
  framed(drawMs: number, snakes: readonly SnakeView[]): void;
}

export class GameScene extends Phaser.Scene {
  private readonly bridge: StageBridge;
  private boardGfx!: Phaser.GameObjects.Graphics;
  private foodGfx!: Phaser.GameObjects.Graphics;
  private snakeGfx!: Phaser.GameObjects.Graphics;
  private labelCamera!: Phaser.Cameras.Scene2D.Camera;
  private readonly labels = new Map<string, Phaser.GameObjects.Text>();
  private readonly swipe = new SwipeTracker();
  private drawnSession: GameSession | undefined;
  private drawnBoard = "";
  private view: CameraView | undefined;

  constructor(bridge: StageBridge) {
    super({ key: "game" });
    this.bridge = bridge;
  }

  create(): void {
    this.boardGfx = this.add.graphics();
    this.foodGfx = this.add.graphics();
    this.snakeGfx = this.add.graphics();
    this.cameras.main.setOrigin(0, 0);
    // Names live on a second, unzoomed camera so they stay crisp at any board size.
    this.labelCamera = this.cameras.add(0, 0, this.scale.width, this.scale.height, false, "labels");
    this.labelCamera.setOrigin(0, 0);
    this.labelCamera.ignore([this.boardGfx, this.foodGfx, this.snakeGfx]);
    this.scale.on(Phaser.Scale.Events.RESIZE, (size: Phaser.Structs.Size) => {
      this.labelCamera.setSize(size.width, size.height);
      this.cameras.main.setSize(size.width, size.height);
    });

    this.input.keyboard?.on("keydown", (event: KeyboardEvent) => {
      if (event.repeat || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA")) return;
      const action = actionForKey(event.code);
      if (!action) return;
      event.preventDefault();
      this.bridge.act(action);
    });
    this.input.on(Phaser.Input.Events.POINTER_DOWN, (pointer: Phaser.Input.Pointer) => {
      this.swipe.start(pointer.x, pointer.y, performance.now());
    });
    this.input.on(Phaser.Input.Events.POINTER_MOVE, (pointer: Phaser.Input.Pointer) => {
      if (!pointer.isDown) return;
      const action = this.swipe.move(pointer.x, pointer.y);
      if (action) this.bridge.act(action);
    });
    this.input.on(Phaser.Input.Events.POINTER_UP, (pointer: Phaser.Input.Pointer) => {
      const action = this.swipe.end(pointer.x, pointer.y, performance.now());
      if (action) this.bridge.act(action);
    });
  }

  override update(): void {
    const started = performance.now();
    const session = this.bridge.session();
    if (session !== this.drawnSession) this.forget(session);
    if (!session) return;
    const frame = session.frame(started);
    if (frame.board.width === 0) return;
    this.place(frame);
    this.drawBoard(frame.board);
    this.drawFood(frame);
    this.drawSnakes(frame);
    this.bridge.framed(performance.now() - started, frame.snakes);
  }

  /** A different game (or none): drop what belonged to the last one. */
  private forget(session: GameSession | undefined): void {
    this.drawnSession = session;
    this.drawnBoard = "";
    for (const label of this.labels.values()) label.destroy();
    this.labels.clear();
    this.boardGfx.clear();
    this.foodGfx.clear();
    this.snakeGfx.clear();
  }

  private place(frame: FrameView): void {
    const m = BOARD_MARGIN_PX;
    const view = chooseView(
      { width: this.scale.width, height: this.scale.height, insetTop: m, insetBottom: m, insetLeft: m, insetRight: m },
      frame.board,
      frame.focus,
    );
    this.view = view;
    const zoom = view.cellPx / CELL;
    const camera = this.cameras.main;
    camera.setZoom(zoom);
    camera.setScroll(-view.originX / zoom, -view.originY / zoom);
  }

  private drawBoard(board: { width: number; height: number }): void {
    const key = `${board.width}x${board.height}`;
    if (key === this.drawnBoard) return;
    this.drawnBoard = key;
    const g = this.boardGfx.clear();
    const w = board.width * CELL;
    const h = board.height * CELL;
    g.fillStyle(BOARD_COLOR, 1).fillRect(0, 0, w, h);
    g.lineStyle(1.5, GRID_COLOR, 1);
    for (let x = 1; x < board.width; x++) g.lineBetween(x * CELL, 0, x * CELL, h);
    for (let y = 1; y < board.height; y++) g.lineBetween(0, y * CELL, w, y * CELL);
    g.lineStyle(4, BORDER_COLOR, 1).strokeRect(-2, -2, w + 4, h + 4);
  }

  private drawFood(frame: FrameView): void {
    const g = this.foodGfx.clear();
    g.fillStyle(FOOD_GLOW_COLOR, 0.28);
    for (const cell of frame.food) g.fillCircle((cell.x + 0.5) * CELL, (cell.y + 0.5) * CELL, 0.4 * CELL);
    g.fillStyle(FOOD_COLOR, 1);
    for (const cell of frame.food) g.fillCircle((cell.x + 0.5) * CELL, (cell.y + 0.5) * CELL, 0.24 * CELL);
  }

  private drawSnakes(frame: FrameView): void {
    const g = this.snakeGfx.clear();
    const seen = new Set<string>();
    // Yours last, so it is never hidden under another snake.
    const ordered = frame.snakes.filter((s) => !s.you).concat(frame.snakes.filter((s) => s.you));
    for (const snake of ordered) {
      seen.add(snake.sessionId);
      if (snake.you) this.drawTube(g, snake.points, BODY_WIDTH + 2 * OUTLINE, HEAD_RADIUS + OUTLINE, YOU_OUTLINE_COLOR, 0.95);
      const alpha = snake.connected ? 1 : 0.4;
      this.drawTube(g, snake.points, BODY_WIDTH, HEAD_RADIUS, snakeColor(snake.color), alpha);
      this.drawEyes(g, snake);
      this.placeLabel(snake);
    }
    for (const [id, label] of this.labels) {
      if (seen.has(id)) continue;
      label.destroy();
      this.labels.delete(id);
    }
  }

  private drawTube(g: Phaser.GameObjects.Graphics, points: readonly Point[], width: number, headRadius: number, color: number, alpha: number): void {
    const head = points[0];
    if (!head) return;
    g.lineStyle(width, color, alpha);
    g.fillStyle(color, alpha);
    for (let i = 1; i < points.length; i++) {
      const a = points[i - 1]!;
      const b = points[i]!;
      g.lineBetween((a.x + 0.5) * CELL, (a.y + 0.5) * CELL, (b.x + 0.5) * CELL, (b.y + 0.5) * CELL);
      // Round joints and tail, so corners have no notches.
      g.fillCircle((b.x + 0.5) * CELL, (b.y + 0.5) * CELL, width / 2);
    }
    g.fillCircle((head.x + 0.5) * CELL, (head.y + 0.5) * CELL, headRadius);
  }

  private drawEyes(g: Phaser.GameObjects.Graphics, snake: SnakeView): void {
    const head = snake.points[0]!;
    const f = FACING[snake.facing];
    const cx = (head.x + 0.5) * CELL + f.x * 0.14 * CELL;
    const cy = (head.y + 0.5) * CELL + f.y * 0.14 * CELL;
    const side = 0.19 * CELL;
    g.fillStyle(EYE_COLOR, snake.connected ? 1 : 0.5);
    g.fillCircle(cx - f.y * side, cy + f.x * side, 0.09 * CELL);
    g.fillCircle(cx + f.y * side, cy - f.x * side, 0.09 * CELL);
  }

  private placeLabel(snake: SnakeView): void {
    const view = this.view;
    const head = snake.points[0];
    if (!view || !head) return;
    let label = this.labels.get(snake.sessionId);
    if (!label) {
      label = this.add.text(0, 0, "", {
        fontFamily: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
        fontSize: "13px",
        fontStyle: "600",
        color: LABEL_TEXT_COLOR,
        stroke: LABEL_STROKE_COLOR,
        strokeThickness: 4,
        resolution: Math.min(2, window.devicePixelRatio || 1),
      });
      label.setOrigin(0.5, 1);
      this.cameras.main.ignore(label);
      this.labels.set(snake.sessionId, label);
    }
    // Canvas text: a name is drawn as characters, never interpreted as markup.
    const text = snake.you ? `${snake.name} (you)` : snake.name;
    if (label.text !== text) label.setText(text);
    label.setAlpha(snake.connected ? 1 : 0.6);
    label.setPosition(
      Math.round(view.originX + (head.x + 0.5) * view.cellPx),
      Math.round(view.originY + head.y * view.cellPx - Math.max(4, view.cellPx * 0.35)),
    );
  }
}
