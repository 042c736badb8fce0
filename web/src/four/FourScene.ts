// The Four in a row scene: draws the board fourGame.ts describes (discs, the
// falling disc, the winning line, the column under the pointer) and turns
// clicks, taps and keys 1-7 into drops. Nothing else lives here.

import Phaser from "phaser";
import { COLUMNS, ROWS, cellAt, type Seat } from "../../../rooms/four/rules.ts";
import { BOARD_COLOR, PAGE_COLOR } from "../game/palette.ts";
import type { DiscDrops } from "./falling.ts";
import { columnAt, columnForKey } from "./input.ts";
import type { FourPicture } from "./picture.ts";

const HOLE_FILL = 0.8;
const WIN_RING_COLOR = 0xffffff;
const FRAME_COLOR = 0x2c4a9e;

export interface FourBridge {
  picture(): FourPicture | undefined;
  drops(): DiscDrops;
  /** The player picked a column (click, tap or key). */
  drop(column: number): void;
  /** Called after each drawn frame. */
  framed(): void;
}

interface Layout {
  left: number;
  top: number;
  cell: number;
}

export class FourScene extends Phaser.Scene {
  private readonly bridge: FourBridge;
  private gfx!: Phaser.GameObjects.Graphics;
  private hoverColumn: number | undefined;

  constructor(bridge: FourBridge) {
    super({ key: "four" });
    this.bridge = bridge;
  }

  create(): void {
    this.gfx = this.add.graphics();
    this.input.on("pointermove", (pointer: Phaser.Input.Pointer) => {
      this.hoverColumn = columnAt(pointer.x, this.layout().left, this.layout().cell);
    });
    this.input.on("pointerdown", (pointer: Phaser.Input.Pointer) => {
      const column = columnAt(pointer.x, this.layout().left, this.layout().cell);
      if (column !== undefined) this.bridge.drop(column);
    });
    this.input.keyboard?.on("keydown", (event: KeyboardEvent) => {
      if (event.repeat || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA")) return;
      const column = columnForKey(event.code);
      if (column === undefined) return;
      event.preventDefault();
      this.bridge.drop(column);
    });
  }

  override update(): void {
    const picture = this.bridge.picture();
    this.gfx.clear();
    if (!picture) return;
    const now = performance.now();
    const falling = this.bridge.drops().at(now);
    const { left, top, cell } = this.layout();
    const radius = (cell * HOLE_FILL) / 2;
    const centre = (row: number, column: number) => ({ x: left + (column + 0.5) * cell, y: top + (row + 0.5) * cell });
    const colorOf = (seat: Seat) => hexColor(picture.colors[seat]);

    // The column the player would drop into, shown as a disc above the board.
    if (picture.yourTurn && this.hoverColumn !== undefined && !falling) {
      const at = centre(-1, this.hoverColumn);
      this.gfx.fillStyle(colorOf(picture.you!), 0.6).fillCircle(at.x, at.y, radius);
    }
    // Falling disc first, so the frame is drawn over it as it passes the holes' edges.
    if (falling) {
      const at = centre(falling.row, falling.disc.column);
      this.gfx.fillStyle(colorOf(falling.disc.seat), 1).fillCircle(at.x, at.y, radius);
    }
    this.gfx.fillStyle(FRAME_COLOR, 1).fillRoundedRect(left - cell * 0.1, top - cell * 0.1, cell * (COLUMNS + 0.2), cell * (ROWS + 0.2), cell * 0.2);
    for (let row = 0; row < ROWS; row++) {
      for (let column = 0; column < COLUMNS; column++) {
        const index = cellAt(row, column);
        const seat = picture.cells[index];
        const at = centre(row, column);
        const landed = seat !== 0 && seat !== undefined && falling?.disc.cell !== index;
        this.gfx.fillStyle(landed ? colorOf(seat) : BOARD_COLOR, 1).fillCircle(at.x, at.y, radius);
      }
    }
    for (const index of picture.winLine) {
      const at = centre(Math.floor(index / COLUMNS), index % COLUMNS);
      this.gfx.lineStyle(Math.max(2, cell * 0.08), WIN_RING_COLOR, 1).strokeCircle(at.x, at.y, radius * 0.8);
    }
    this.bridge.framed();
  }

  /** The largest board that fits the canvas, with one row of room above it for the disc in hand. */
  private layout(): Layout {
    const { width, height } = this.scale;
    const cell = Math.max(8, Math.floor(Math.min(width / (COLUMNS + 0.4), height / (ROWS + 1.4))));
    return { cell, left: Math.floor((width - cell * COLUMNS) / 2), top: Math.floor((height - cell * ROWS) / 2 + cell * 0.5) };
  }
}

/** "#rrggbb" to 0xrrggbb; an unknown colour draws grey. */
function hexColor(css: string | undefined): number {
  const match = /^#([0-9a-f]{6})$/i.exec(css ?? "");
  return match ? Number.parseInt(match[1]!, 16) : 0x888888;
}

/** Creates the Phaser game for Four in a row inside `parent`, sized to it. */
export function createFourStage(parent: HTMLElement, bridge: FourBridge, renderer: "webgl" | "canvas"): Phaser.Game {
  return new Phaser.Game({
    type: renderer === "canvas" ? Phaser.CANVAS : Phaser.AUTO,
    parent,
    backgroundColor: PAGE_COLOR,
    banner: false,
    disableContextMenu: true,
    scale: { mode: Phaser.Scale.RESIZE, width: Math.max(1, parent.clientWidth), height: Math.max(1, parent.clientHeight) },
    render: { antialias: true },
    scene: [new FourScene(bridge)],
  });
}
