// The game scene: draws the picture GameSession.frame() describes and passes
// keys, swipes and taps back as game actions. Nothing else lives here.
//
// Drawing is kept cheap on purpose (software WebGL in CI, phones): one
// camera; the board baked into an image whenever the cell size changes; food
// as images of one baked texture; snakes as rectangles in one Graphics; and
// the canvas only as large as the board needs.

import Phaser from "phaser";
import { DIR_DELTA } from "../../../rooms/snek/rules.ts";
import { chooseView, type CameraView } from "../game/camera.ts";
import { SwipeTracker, actionForKey, type GameAction } from "../game/input.ts";
import {
  BOARD_COLOR, BORDER_COLOR, EYE_COLOR, FOOD_COLOR, FOOD_GLOW_COLOR, GRID_COLOR, LABEL_STROKE_COLOR,
  LABEL_TEXT_COLOR, YOU_OUTLINE_COLOR, mixColor, snakeColor,
} from "../game/palette.ts";
import type { FrameView, GameSession, SnakeView } from "../game/session.ts";
import type { Point } from "../game/snakeTrack.ts";

/** World units per cell; the camera zoom turns them into screen pixels. */
const CELL = 32;
const BODY_WIDTH = 0.66 * CELL;
const HEAD_RADIUS = 0.44 * CELL;
const OUTLINE = 0.12 * CELL;
const FOOD_TEXTURE = "food";
const BOARD_TEXTURE = "board";
/** Space between the board and the edge of its area (CSS px). */
const BOARD_MARGIN_PX = 12;
/** Room above the board for the names of snakes on its top row (CSS px). */
const LABEL_ROOM_PX = 22;
const LABEL_FONT_PX = 13;

export interface CanvasRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface StageBridge {
  session(): GameSession | undefined;
  /** Size of the area the board may use (CSS px). */
  areaSize(): { width: number; height: number };
  /** The element covering that whole area: swipes and taps anywhere on it count. */
  touchSurface(): HTMLElement;
  /** Puts the canvas at this rectangle of the area (CSS px). */
  placeCanvas(rect: CanvasRect): void;
  act(action: GameAction): void;
  /** Called after each drawn frame, with the time it took to build and draw it (ms), and where things landed. */
  framed(drawMs: number, snakes: readonly SnakeView[], layout: FrameLayout): void;
}

/** A rectangle in CSS px of the board area (the stage element). */
export interface AreaRect { left: number; top: number; right: number; bottom: number }

export interface FrameLayout {
  /** Your head, or where you died, in CSS px of the board area; with the area's height, for the crash card. */
  focus: { x: number; y: number } | undefined;
  areaHeight: number;
  /** Name labels as drawn (hidden ones left out). */
  labels: (AreaRect & { sessionId: string })[];
}

export class GameScene extends Phaser.Scene {
  private readonly bridge: StageBridge;
  private board!: Phaser.GameObjects.Image;
  private readonly foodSprites: Phaser.GameObjects.Image[] = [];
  private snakeGfx!: Phaser.GameObjects.Graphics;
  private readonly labels = new Map<string, Phaser.GameObjects.Text>();
  private readonly swipe = new SwipeTracker();
  private drawnSession: GameSession | undefined;
  /** Board size and cell size the board image was baked for. */
  private bakedBoard = "";
  private canvasRect: CanvasRect = { left: 0, top: 0, width: 0, height: 0 };
  private zoom = 1;

  constructor(bridge: StageBridge) {
    super({ key: "game" });
    this.bridge = bridge;
  }

  create(): void {
    this.bakeFood();
    this.board = this.add.image(0, 0, "__WHITE").setOrigin(0, 0).setVisible(false);
    this.snakeGfx = this.add.graphics().setDepth(2);
    this.cameras.main.setOrigin(0, 0);

    this.input.keyboard?.on("keydown", (event: KeyboardEvent) => {
      if (event.repeat || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA")) return;
      const action = actionForKey(event.code);
      if (!action) return;
      event.preventDefault();
      this.bridge.act(action);
    });
    // Swipes and taps are read on the whole play area, not only the canvas, which may be smaller.
    const surface = this.bridge.touchSurface();
    surface.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) return;
      this.swipe.start(event.clientX, event.clientY, performance.now());
    });
    surface.addEventListener("pointermove", (event) => {
      const action = this.swipe.move(event.clientX, event.clientY);
      if (action) this.bridge.act(action);
    });
    const lift = (event: PointerEvent): void => {
      const action = this.swipe.end(event.clientX, event.clientY, performance.now());
      if (action) this.bridge.act(action);
    };
    surface.addEventListener("pointerup", lift);
    surface.addEventListener("pointercancel", () => this.swipe.end(0, 0, Number.POSITIVE_INFINITY));
  }

  override update(): void {
    const started = performance.now();
    const session = this.bridge.session();
    if (session !== this.drawnSession) this.forget(session);
    if (!session) return;
    const frame = session.frame(started);
    if (frame.board.width === 0) return;
    const view = this.place(frame);
    this.drawBoard(frame.board, view);
    this.drawFood(frame);
    const labels = this.drawSnakes(frame);
    const focus = frame.focus && { x: view.originX + (frame.focus.x + 0.5) * view.cellPx, y: view.originY + (frame.focus.y + 0.5) * view.cellPx };
    this.bridge.framed(performance.now() - started, frame.snakes, { focus, areaHeight: this.bridge.areaSize().height, labels });
  }

  /** A different game (or none): drop what belonged to the last one. */
  private forget(session: GameSession | undefined): void {
    this.drawnSession = session;
    this.bakedBoard = "";
    for (const label of this.labels.values()) label.destroy();
    this.labels.clear();
    for (const sprite of this.foodSprites) sprite.setVisible(false);
    this.snakeGfx.clear();
  }

  /**
   * Picks the view for the area, sizes the canvas to what it shows (the
   * board and a margin when it fits, the whole area when following), and
   * points the camera.
   */
  private place(frame: FrameView): CameraView {
    const area = this.bridge.areaSize();
    const m = BOARD_MARGIN_PX;
    const view = chooseView(
      { width: area.width, height: area.height, insetTop: m + LABEL_ROOM_PX / 2, insetBottom: m, insetLeft: m, insetRight: m },
      frame.board,
      frame.focus,
    );
    const rect = view.mode === "fit"
      ? clip({
        left: Math.floor(view.originX - m),
        top: Math.floor(view.originY - LABEL_ROOM_PX),
        width: Math.ceil(frame.board.width * view.cellPx + 2 * m),
        height: Math.ceil(frame.board.height * view.cellPx + LABEL_ROOM_PX + m),
      }, area)
      : { left: 0, top: 0, width: Math.floor(area.width), height: Math.floor(area.height) };
    const c = this.canvasRect;
    if (rect.left !== c.left || rect.top !== c.top || rect.width !== c.width || rect.height !== c.height) {
      this.canvasRect = rect;
      this.bridge.placeCanvas(rect);
    }
    this.zoom = view.cellPx / CELL;
    const camera = this.cameras.main;
    camera.setZoom(this.zoom);
    camera.setScroll(-(view.originX - rect.left) / this.zoom, -(view.originY - rect.top) / this.zoom);
    return view;
  }

  /** Bakes the board (fill, grid, border) at the exact on-screen cell size, so it is one crisp image. */
  private drawBoard(board: { width: number; height: number }, view: CameraView): void {
    const key = `${board.width}x${board.height}@${view.cellPx}`;
    if (key === this.bakedBoard) return;
    this.bakedBoard = key;
    const px = view.cellPx;
    const border = 2;
    const w = Math.ceil(board.width * px) + 2 * border;
    const h = Math.ceil(board.height * px) + 2 * border;
    const g = this.make.graphics({}, false);
    g.fillStyle(BORDER_COLOR, 1).fillRect(0, 0, w, h);
    g.fillStyle(BOARD_COLOR, 1).fillRect(border, border, board.width * px, board.height * px);
    g.fillStyle(GRID_COLOR, 1);
    for (let x = 1; x < board.width; x++) g.fillRect(border + Math.round(x * px), border, 1, board.height * px);
    for (let y = 1; y < board.height; y++) g.fillRect(border, border + Math.round(y * px), board.width * px, 1);
    if (this.textures.exists(BOARD_TEXTURE)) this.textures.remove(BOARD_TEXTURE);
    g.generateTexture(BOARD_TEXTURE, w, h);
    g.destroy();
    const scale = CELL / px;
    this.board.setTexture(BOARD_TEXTURE).setScale(scale).setPosition(-border * scale, -border * scale).setVisible(true);
  }

  private bakeFood(): void {
    const g = this.make.graphics({}, false);
    g.fillStyle(FOOD_GLOW_COLOR, 0.28).fillCircle(CELL / 2, CELL / 2, 0.42 * CELL);
    g.fillStyle(FOOD_COLOR, 1).fillCircle(CELL / 2, CELL / 2, 0.26 * CELL);
    g.generateTexture(FOOD_TEXTURE, CELL, CELL);
    g.destroy();
  }

  private drawFood(frame: FrameView): void {
    while (this.foodSprites.length < frame.food.length) {
      // Above the board, below the snakes.
      this.foodSprites.push(this.add.image(0, 0, FOOD_TEXTURE).setDepth(1));
    }
    this.foodSprites.forEach((sprite, i) => {
      const cell = frame.food[i];
      sprite.setVisible(cell !== undefined);
      if (cell) sprite.setPosition((cell.x + 0.5) * CELL, (cell.y + 0.5) * CELL);
    });
  }

  private drawSnakes(frame: FrameView): FrameLayout["labels"] {
    const g = this.snakeGfx.clear();
    const seen = new Set<string>();
    // Yours last, so it is never hidden under another snake.
    const ordered = frame.snakes.filter((s) => !s.you).concat(frame.snakes.filter((s) => s.you));
    for (const snake of ordered) {
      seen.add(snake.sessionId);
      if (snake.you) this.drawTube(g, snake.points, BODY_WIDTH + 2 * OUTLINE, HEAD_RADIUS + OUTLINE, YOU_OUTLINE_COLOR);
      // A player whose connection dropped is drawn faded (a solid mix, so overlaps do not show).
      const color = snake.connected ? snakeColor(snake.color) : mixColor(snakeColor(snake.color), BOARD_COLOR, 0.6);
      this.drawTube(g, snake.points, BODY_WIDTH, HEAD_RADIUS, color);
      this.drawEyes(g, snake);
    }
    for (const [id, label] of this.labels) {
      if (seen.has(id)) continue;
      label.destroy();
      this.labels.delete(id);
    }
    // Yours first, so it always shows; then the rest, each where it overlaps none placed before, or hidden.
    const placed: (AreaRect & { sessionId: string })[] = [];
    for (const snake of [...ordered].reverse()) {
      const rect = this.placeLabel(snake, placed);
      if (rect) placed.push({ ...rect, sessionId: snake.sessionId });
    }
    return placed;
  }

  /**
   * A snake as rectangles: every segment between cell centres is axis-aligned,
   * so each is one rectangle, and overlapping ends make square corners. Only a
   * head that is gliding back after a correction can be off-axis: that one
   * segment is a thick line.
   */
  private drawTube(g: Phaser.GameObjects.Graphics, points: readonly Point[], width: number, headRadius: number, color: number): void {
    const head = points[0];
    if (!head) return;
    const half = width / 2;
    g.fillStyle(color, 1);
    for (let i = 1; i < points.length; i++) {
      const a = points[i - 1]!;
      const b = points[i]!;
      const ax = (a.x + 0.5) * CELL;
      const ay = (a.y + 0.5) * CELL;
      const bx = (b.x + 0.5) * CELL;
      const by = (b.y + 0.5) * CELL;
      if (Math.abs(ax - bx) < 0.01 || Math.abs(ay - by) < 0.01) {
        g.fillRect(Math.min(ax, bx) - half, Math.min(ay, by) - half, Math.abs(ax - bx) + width, Math.abs(ay - by) + width);
      } else {
        g.lineStyle(width, color, 1).lineBetween(ax, ay, bx, by);
      }
    }
    g.fillCircle((head.x + 0.5) * CELL, (head.y + 0.5) * CELL, headRadius);
  }

  private drawEyes(g: Phaser.GameObjects.Graphics, snake: SnakeView): void {
    const head = snake.points[0]!;
    const f = DIR_DELTA[snake.facing];
    const cx = (head.x + 0.5) * CELL + f.x * 0.14 * CELL;
    const cy = (head.y + 0.5) * CELL + f.y * 0.14 * CELL;
    const side = 0.19 * CELL;
    const eye = 0.17 * CELL;
    g.fillStyle(EYE_COLOR, 1);
    g.fillRect(cx - f.y * side - eye / 2, cy + f.x * side - eye / 2, eye, eye);
    g.fillRect(cx + f.y * side - eye / 2, cy - f.x * side - eye / 2, eye, eye);
  }

  /**
   * Names are canvas text: a name is drawn as characters, never interpreted as
   * markup. A label goes in front of the head (above it, or below a snake
   * heading down), else on the other side, kept inside the canvas; where both
   * would overlap a label already placed, it is hidden. Returns where it went
   * (CSS px of the board area), or undefined when hidden.
   */
  private placeLabel(snake: SnakeView, placed: readonly AreaRect[]): AreaRect | undefined {
    const head = snake.points[0];
    if (!head) return undefined;
    let label = this.labels.get(snake.sessionId);
    if (!label) {
      label = this.add.text(0, 0, "", {
        fontFamily: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
        fontSize: `${LABEL_FONT_PX}px`,
        fontStyle: "600",
        color: LABEL_TEXT_COLOR,
        stroke: LABEL_STROKE_COLOR,
        strokeThickness: 4,
      });
      label.setOrigin(0, 0).setDepth(3);
      this.labels.set(snake.sessionId, label);
    }
    const text = snake.you ? `${snake.name} (you)` : snake.bot ? `${snake.name} (bot)` : snake.name;
    if (label.text !== text) label.setText(text);
    label.setAlpha(snake.connected ? 1 : 0.6);
    // Scaled against the camera zoom, so the text shows at its own pixel size: crisp at any board size.
    label.setScale(1 / this.zoom);

    // Everything below in CSS px of the board area: the canvas sits at canvasRect, the camera maps cells onto it.
    const camera = this.cameras.main;
    const toAreaX = (worldX: number) => (worldX - camera.scrollX) * this.zoom + this.canvasRect.left;
    const toAreaY = (worldY: number) => (worldY - camera.scrollY) * this.zoom + this.canvasRect.top;
    const width = label.displayWidth * this.zoom;
    const height = label.displayHeight * this.zoom;
    const gap = Math.max(4, CELL * 0.35 * this.zoom);
    const c = this.canvasRect;
    const centreX = toAreaX((head.x + 0.5) * CELL);
    const left = Math.min(Math.max(centreX - width / 2, c.left), Math.max(c.left, c.left + c.width - width));
    const above = toAreaY(head.y * CELL) - gap - height;
    const below = toAreaY((head.y + 1) * CELL) + gap;
    const fits = (top: number) => top >= c.top && top + height <= c.top + c.height;
    const clear = (r: AreaRect) => !placed.some((p) => r.left < p.right && p.left < r.right && r.top < p.bottom && p.top < r.bottom);
    const tops = snake.facing === "down" ? [below, above] : [above, below];
    let chosen: AreaRect | undefined;
    for (const top of tops) {
      const rect = { left, top, right: left + width, bottom: top + height };
      if (fits(top) && (snake.you || clear(rect))) { chosen = rect; break; }
    }
    if (!chosen && snake.you) {
      const top = Math.min(Math.max(tops[0]!, c.top), c.top + c.height - height);
      chosen = { left, top, right: left + width, bottom: top + height };
    }
    label.setVisible(chosen !== undefined);
    if (!chosen) return undefined;
    label.setPosition(camera.scrollX + (chosen.left - c.left) / this.zoom, camera.scrollY + (chosen.top - c.top) / this.zoom);
    return chosen;
  }
}

function clip(rect: CanvasRect, area: { width: number; height: number }): CanvasRect {
  const left = Math.max(0, rect.left);
  const top = Math.max(0, rect.top);
  return {
    left,
    top,
    width: Math.min(Math.floor(area.width) - left, rect.width - (left - rect.left)),
    height: Math.min(Math.floor(area.height) - top, rect.height - (top - rect.top)),
  };
}
