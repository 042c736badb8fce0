// Which column a key or a pointer means. Keys 1-7 (top row or keypad) pick
// columns left to right; a click or tap anywhere over a column picks it.

import { COLUMNS } from "../../../rooms/four/rules.ts";

export function columnForKey(code: string): number | undefined {
  const match = /^(?:Digit|Numpad)([1-9])$/.exec(code);
  if (!match) return undefined;
  const column = Number(match[1]) - 1;
  return column < COLUMNS ? column : undefined;
}

/** The column under `x`, for a board whose left edge is `boardLeft` and whose cells are `cellSize` wide. */
export function columnAt(x: number, boardLeft: number, cellSize: number): number | undefined {
  if (cellSize <= 0) return undefined;
  const column = Math.floor((x - boardLeft) / cellSize);
  return column >= 0 && column < COLUMNS ? column : undefined;
}
