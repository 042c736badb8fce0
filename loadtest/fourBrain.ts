// How a bot picks its Four in a row column, with the game's own rules: win if
// it can, block the opponent's win, never hand the opponent a win by filling
// the cell under it, and otherwise lean to the middle columns (they make the
// most lines). Ties are broken by `random`, so two bots do not replay one game.

import { COLUMNS, ROWS, cellAt, landingRow, lineThrough, otherSeat, type CellValue, type Seat } from "../rooms/four/rules.ts";

/** Does dropping `seat`'s disc in `column` make a line? */
function wins(board: readonly CellValue[], seat: Seat, column: number): boolean {
  const row = landingRow(board, column);
  if (row === undefined) return false;
  const next = board.slice();
  next[cellAt(row, column)] = seat;
  return lineThrough(next, cellAt(row, column)) !== undefined;
}

/** Would the opponent win by playing on top of a disc dropped in `column`? */
function givesAway(board: readonly CellValue[], seat: Seat, column: number): boolean {
  const row = landingRow(board, column);
  if (row === undefined || row === 0) return false;
  const next = board.slice();
  next[cellAt(row, column)] = seat;
  return wins(next, otherSeat(seat), column);
}

/** The column to drop in, or undefined if the board is full. */
export function chooseColumn(board: readonly CellValue[], seat: Seat, random: () => number): number | undefined {
  const open = [...Array(COLUMNS).keys()].filter((column) => landingRow(board, column) !== undefined);
  if (open.length === 0) return undefined;
  const winning = open.find((column) => wins(board, seat, column));
  if (winning !== undefined) return winning;
  const blocking = open.find((column) => wins(board, otherSeat(seat), column));
  if (blocking !== undefined) return blocking;
  const safe = open.filter((column) => !givesAway(board, seat, column));
  const candidates = safe.length > 0 ? safe : open;
  const centre = (COLUMNS - 1) / 2;
  // Nearer the middle scores higher; the random share keeps games varied.
  const score = (column: number) => ROWS - Math.abs(column - centre) + random() * 2.5;
  let best = candidates[0]!;
  let bestScore = -Infinity;
  for (const column of candidates) {
    const s = score(column);
    if (s > bestScore) [best, bestScore] = [column, s];
  }
  return best;
}
