// The falling disc: when a patch fills a cell, the disc drops into it from
// above the board instead of appearing there. Pure timing, so it is tested
// without a browser; the scene asks where the disc is on each frame.

import { COLUMNS, type CellValue, type Seat } from "../../../rooms/four/rules.ts";

/** Rows per second squared: a drop of six rows takes about 0.35 s. */
const GRAVITY_ROWS_PER_S2 = 100;

export interface FallingDisc {
  cell: number;
  seat: Seat;
  column: number;
  /** Row the disc rests on. */
  row: number;
  startedAtMs: number;
}

export class DiscDrops {
  private previous: CellValue[] | undefined;
  private current: FallingDisc | undefined;

  /** Call with every new board; returns the disc that started falling, if one did. */
  update(cells: readonly CellValue[], nowMs: number): FallingDisc | undefined {
    const before = this.previous;
    this.previous = cells.slice();
    // The first board seen (joining, or a game moved in) is shown as it is.
    if (!before) return undefined;
    const added = cells.flatMap((value, cell) => (value !== 0 && before[cell] === 0 ? [cell] : []));
    if (added.length !== 1) {
      // A new game (cells emptied) or several moves in one patch: nothing to animate.
      this.current = undefined;
      return undefined;
    }
    const cell = added[0]!;
    this.current = { cell, seat: cells[cell] as Seat, column: cell % COLUMNS, row: Math.floor(cell / COLUMNS), startedAtMs: nowMs };
    return this.current;
  }

  /**
   * The falling disc at `nowMs` and its row as a fraction (-1 is just above
   * the board), or undefined once it has landed.
   */
  at(nowMs: number): { disc: FallingDisc; row: number } | undefined {
    const disc = this.current;
    if (!disc) return undefined;
    const seconds = Math.max(0, nowMs - disc.startedAtMs) / 1000;
    const row = -1 + 0.5 * GRAVITY_ROWS_PER_S2 * seconds * seconds;
    if (row >= disc.row) {
      this.current = undefined;
      return undefined;
    }
    return { disc, row };
  }

  forget(): void {
    this.previous = undefined;
    this.current = undefined;
  }
}
