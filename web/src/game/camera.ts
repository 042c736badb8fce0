// Camera choice. Snek is a game of reading the whole board: where the food
// is, who is heading your way, which gap will close. So the board is fitted
// on screen whenever its cells stay big enough to read (MIN_FIT_CELL_PX). Only
// when they would not (a 48x48 board on a small phone, or a big board from a
// high MAX_PLAYERS) does the camera follow your head at a readable zoom,
// clamped so it never shows more than a cell of empty space past a wall.
// The choice depends on the screen and the board only, so it never flips
// mid-game.

import type { Point } from "./snakeTrack.ts";

/** Smallest cell (CSS px) at which the whole board is still shown. */
export const MIN_FIT_CELL_PX = 9;
/** Cell size (CSS px) when following. */
export const FOLLOW_CELL_PX = 14;
/** Cells of space past the walls a following camera may show, so walls stay visible. */
const FOLLOW_EDGE_CELLS = 1;

export interface Viewport {
  width: number;
  height: number;
  /** Space kept clear for the HUD (CSS px). */
  insetTop: number;
  insetBottom: number;
  insetLeft: number;
  insetRight: number;
}

export interface CameraView {
  mode: "fit" | "follow";
  /** Size of one cell on screen (CSS px). */
  cellPx: number;
  /** Screen position (CSS px) of the board's top-left corner. */
  originX: number;
  originY: number;
}

export function chooseView(viewport: Viewport, board: { width: number; height: number }, focus: Point | undefined): CameraView {
  const areaW = Math.max(1, viewport.width - viewport.insetLeft - viewport.insetRight);
  const areaH = Math.max(1, viewport.height - viewport.insetTop - viewport.insetBottom);
  const fitPx = Math.min(areaW / board.width, areaH / board.height);
  if (fitPx >= MIN_FIT_CELL_PX || focus === undefined) {
    const cellPx = fitPx >= MIN_FIT_CELL_PX ? Math.floor(fitPx * 4) / 4 : fitPx;
    return {
      mode: "fit",
      cellPx,
      originX: viewport.insetLeft + (areaW - board.width * cellPx) / 2,
      originY: viewport.insetTop + (areaH - board.height * cellPx) / 2,
    };
  }
  const cellPx = FOLLOW_CELL_PX;
  return {
    mode: "follow",
    cellPx,
    originX: viewport.insetLeft + areaW / 2 - followCentre(focus.x + 0.5, board.width, areaW / cellPx) * cellPx,
    originY: viewport.insetTop + areaH / 2 - followCentre(focus.y + 0.5, board.height, areaH / cellPx) * cellPx,
  };
}

/** The board coordinate to centre on along one axis: the focus, kept inside the walls. */
function followCentre(focus: number, boardCells: number, visibleCells: number): number {
  if (visibleCells >= boardCells + 2 * FOLLOW_EDGE_CELLS) return boardCells / 2;
  const min = visibleCells / 2 - FOLLOW_EDGE_CELLS;
  const max = boardCells - visibleCells / 2 + FOLLOW_EDGE_CELLS;
  return Math.min(max, Math.max(min, focus));
}
