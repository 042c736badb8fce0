// Four in a row as a pure function of the match and one input: no Colyseus, no
// DOM, no Node, no clock of its own. Every function returns a new Match, so
// the room, the web client and the bots share one copy of the rules, and a
// snapshot for a room move is the Match itself. Times are passed in (ms on the
// caller's clock), which keeps the move timer testable.

export const COLUMNS = 7;
export const ROWS = 6;
export const CELLS = COLUMNS * ROWS;
/** Discs in a line that win. */
export const LINE = 4;

export type Seat = 1 | 2;
export const SEATS: readonly Seat[] = [1, 2];
/** 0 empty, else the seat whose disc is there. */
export type CellValue = 0 | Seat;

export type Outcome =
  | { kind: "playing" }
  | { kind: "won"; seat: Seat; by: "line" | "forfeit"; line: number[] }
  | { kind: "draw" };

export interface Match {
  /** CELLS cells, row-major from the top: index = row * COLUMNS + column. */
  board: CellValue[];
  /** The seat to move (while playing). */
  turn: Seat;
  /** The seat that moved first this game; the other one starts the rematch. */
  firstSeat: Seat;
  /** Discs dropped this game. */
  moves: number;
  outcome: Outcome;
  /** The cell of the last disc dropped, or -1. */
  lastCell: number;
  /** Games won per seat over the whole match (rematches included). */
  wins: Record<Seat, number>;
  /** Seats that asked for a rematch since the game ended. */
  rematch: Seat[];
  /** When the seat to move got the turn (caller's clock, ms). */
  turnStartedAtMs: number;
}

export type Refusal = "not_a_player" | "not_your_turn" | "column_full" | "game_over" | "no_such_column" | "game_not_over";

/** Why each refusal happened, in words a player reads. */
export const REFUSAL_TEXT: Record<Refusal, string> = {
  not_a_player: "you are not seated in this game",
  not_your_turn: "it is not your turn",
  column_full: "that column is full",
  game_over: "the game is over; ask for a rematch",
  no_such_column: `columns are 0 to ${COLUMNS - 1}`,
  game_not_over: "the game is still being played",
};

export type Played = { match: Match; refused?: undefined } | { refused: Refusal; match?: undefined };

export const otherSeat = (seat: Seat): Seat => (seat === 1 ? 2 : 1);
export const cellAt = (row: number, column: number): number => row * COLUMNS + column;

export function newMatch(nowMs: number, firstSeat: Seat = 1): Match {
  return {
    board: new Array<CellValue>(CELLS).fill(0),
    turn: firstSeat,
    firstSeat,
    moves: 0,
    outcome: { kind: "playing" },
    lastCell: -1,
    wins: { 1: 0, 2: 0 },
    rematch: [],
    turnStartedAtMs: nowMs,
  };
}

/** The row a disc dropped in `column` comes to rest on, or undefined if the column is full. */
export function landingRow(board: readonly CellValue[], column: number): number | undefined {
  for (let row = ROWS - 1; row >= 0; row--) if (board[cellAt(row, column)] === 0) return row;
  return undefined;
}

/** Columns the seat to move may drop into; none once the game is over. */
export function legalColumns(match: Match): number[] {
  if (match.outcome.kind !== "playing") return [];
  const columns: number[] = [];
  for (let column = 0; column < COLUMNS; column++) if (landingRow(match.board, column) !== undefined) columns.push(column);
  return columns;
}

/** Why `seat` (undefined: not seated) may not drop in `column` now, or undefined if it may. */
export function dropRefusal(match: Match, seat: Seat | undefined, column: number): Refusal | undefined {
  if (seat === undefined) return "not_a_player";
  if (match.outcome.kind !== "playing") return "game_over";
  if (seat !== match.turn) return "not_your_turn";
  if (!Number.isInteger(column) || column < 0 || column >= COLUMNS) return "no_such_column";
  if (landingRow(match.board, column) === undefined) return "column_full";
  return undefined;
}

/** `seat` drops a disc in `column` at `nowMs`: the disc lands, then a win, a draw or the other seat's turn. */
export function drop(match: Match, seat: Seat | undefined, column: number, nowMs: number): Played {
  const refused = dropRefusal(match, seat, column);
  if (refused) return { refused };
  const mover = seat!;
  const cell = cellAt(landingRow(match.board, column)!, column);
  const board = match.board.slice();
  board[cell] = mover;
  const moves = match.moves + 1;
  const line = lineThrough(board, cell);
  let outcome: Outcome = { kind: "playing" };
  if (line) outcome = { kind: "won", seat: mover, by: "line", line };
  else if (moves === CELLS) outcome = { kind: "draw" };
  const wins = outcome.kind === "won" ? { ...match.wins, [mover]: match.wins[mover] + 1 } : match.wins;
  const next = { ...match, board, moves, outcome, lastCell: cell, wins, turnStartedAtMs: nowMs };
  return { match: outcome.kind === "playing" ? { ...next, turn: otherSeat(mover) } : next };
}

// The four directions a line can run in (the other four are their reverses).
const DIRECTIONS: readonly (readonly [number, number])[] = [[0, 1], [1, 0], [1, 1], [1, -1]];

/** The cells of a line of at least LINE discs through `cell`, in order, or undefined. */
export function lineThrough(board: readonly CellValue[], cell: number): number[] | undefined {
  const seat = board[cell];
  if (!seat) return undefined;
  const row = Math.floor(cell / COLUMNS);
  const column = cell % COLUMNS;
  const owned = (r: number, c: number) => r >= 0 && r < ROWS && c >= 0 && c < COLUMNS && board[cellAt(r, c)] === seat;
  for (const [dr, dc] of DIRECTIONS) {
    let start = 0;
    while (owned(row - (start + 1) * dr, column - (start + 1) * dc)) start++;
    let end = 0;
    while (owned(row + (end + 1) * dr, column + (end + 1) * dc)) end++;
    if (start + end + 1 < LINE) continue;
    const line: number[] = [];
    for (let i = -start; i <= end; i++) line.push(cellAt(row + i * dr, column + i * dc));
    return line;
  }
  return undefined;
}

/** Ms the seat to move has left at `nowMs`; never negative. */
export function turnMsLeft(match: Match, nowMs: number, turnMs: number): number {
  return Math.max(0, match.turnStartedAtMs + turnMs - nowMs);
}

/** The game, forfeited by the seat to move if its time ran out at `nowMs`; else the same match. */
export function forfeitIfLate(match: Match, nowMs: number, turnMs: number): Match {
  if (match.outcome.kind !== "playing" || turnMsLeft(match, nowMs, turnMs) > 0) return match;
  return forfeit(match, match.turn);
}

/** `seat` gives up the current game (it ran out of time, or left): the other seat wins it. */
export function forfeit(match: Match, seat: Seat): Match {
  if (match.outcome.kind !== "playing") return match;
  const winner = otherSeat(seat);
  return { ...match, outcome: { kind: "won", seat: winner, by: "forfeit", line: [] }, wins: { ...match.wins, [winner]: match.wins[winner] + 1 } };
}

/**
 * `seat` asks for a rematch after the game ended. Once both seats have asked,
 * a new game starts with an empty board, the wins carried over, and the seat
 * that did not start the last game moving first.
 */
export function askRematch(match: Match, seat: Seat | undefined, nowMs: number): Played {
  if (seat === undefined) return { refused: "not_a_player" };
  if (match.outcome.kind === "playing") return { refused: "game_not_over" };
  const rematch = match.rematch.includes(seat) ? match.rematch : [...match.rematch, seat];
  if (rematch.length < SEATS.length) return { match: { ...match, rematch } };
  return { match: { ...newMatch(nowMs, otherSeat(match.firstSeat)), wins: match.wins } };
}

/** The same match with its turn clock restarted at `nowMs` (the game waited for its second player). */
export function restartTurnClock(match: Match, nowMs: number): Match {
  return { ...match, turnStartedAtMs: nowMs };
}

/** The same match on another clock: the time already spent on the turn is kept (a room moved between replicas). */
export function rebaseTurnClock(match: Match, fromNowMs: number, toNowMs: number): Match {
  return { ...match, turnStartedAtMs: match.turnStartedAtMs - fromNowMs + toNowMs };
}
