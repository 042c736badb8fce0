// What a Four in a row screen shows, from the state the SDK decoded: the
// board, whose turn it is in words, the winning line, and what the viewer may
// do. Plain data in, plain data out: the scene draws it, the HUD writes it,
// the tests read it.

import { DRAW } from "../../../rooms/four/protocol.ts";
import { CELLS, SEATS, lineThrough, type CellValue, type Seat } from "../../../rooms/four/rules.ts";

/** The fields of FourState as decoded (through reflection or the schema class). */
export interface DecodedFour {
  board: Iterable<number>;
  players: { forEach(cb: (player: DecodedFourPlayer, sessionId: string) => void): void };
  turn: string;
  winner: string;
  moves: number;
  turnSeconds: number;
}

export interface DecodedFourPlayer {
  name: string;
  color: string;
  seat: number;
  connected: boolean;
  wins: number;
  rematch: boolean;
}

export interface SeatView {
  seat: Seat;
  sessionId: string;
  name: string;
  color: string;
  connected: boolean;
  wins: number;
  rematch: boolean;
  you: boolean;
}

export interface FourPicture {
  cells: CellValue[];
  /** Seated players, seat 1 first; a free seat is missing. */
  seats: SeatView[];
  /** Disc colour per seat. */
  colors: Partial<Record<Seat, string>>;
  /** The viewer's seat; undefined for a spectator. */
  you: Seat | undefined;
  yourTurn: boolean;
  /** The seat to move, while a game is on. */
  turn: Seat | undefined;
  over: boolean;
  /** Cells of the winning line (empty for a forfeit or a draw). */
  winLine: number[];
  /** One line saying what is happening, written for the viewer. */
  headline: string;
  /** The viewer is seated, the game is over, and the viewer has not yet asked. */
  canAskRematch: boolean;
  moves: number;
  turnSeconds: number;
}

export function pictureOf(state: DecodedFour, viewer: string): FourPicture {
  const cells = Array.from(state.board, (value) => (value === 1 || value === 2 ? value : 0) as CellValue);
  while (cells.length < CELLS) cells.push(0);
  const seats: SeatView[] = [];
  state.players.forEach((player, sessionId) => {
    if (player.seat !== 1 && player.seat !== 2) return;
    seats.push({ seat: player.seat, sessionId, name: player.name, color: player.color, connected: player.connected, wins: player.wins, rematch: player.rematch, you: sessionId === viewer });
  });
  seats.sort((a, b) => a.seat - b.seat);
  const bySession = (id: string) => seats.find((s) => s.sessionId === id);
  const colors: Partial<Record<Seat, string>> = {};
  for (const s of seats) colors[s.seat] = s.color;
  const you = bySession(viewer)?.seat;
  const turn = bySession(state.turn)?.seat;
  const over = state.winner !== "";
  const winner = bySession(state.winner);
  const winLine = winner ? winningLine(cells, winner.seat) : [];
  return {
    cells, seats, colors, you, turn, over, winLine,
    yourTurn: you !== undefined && turn === you,
    headline: headline(state, seats, you, winner, winLine.length === 0),
    canAskRematch: over && you !== undefined && seats.length === SEATS.length && !bySession(viewer)!.rematch,
    moves: state.moves,
    turnSeconds: state.turnSeconds,
  };
}

function headline(state: DecodedFour, seats: SeatView[], you: Seat | undefined, winner: SeatView | undefined, forfeit: boolean): string {
  const nameOf = (id: string) => seats.find((s) => s.sessionId === id)?.name ?? "someone";
  if (state.winner === DRAW) return "A draw: the board is full.";
  if (state.winner !== "") {
    const who = winner?.you ? "You win" : `${winner?.name ?? "Your opponent"} wins`;
    return forfeit ? `${who}: the other player ran out of time or left.` : `${who}!`;
  }
  if (state.turn === "") return you === undefined ? "Waiting for two players…" : "Waiting for an opponent. Share the link to invite one.";
  const mover = seats.find((s) => s.sessionId === state.turn);
  if (mover?.you) return "Your turn: pick a column.";
  return `${nameOf(state.turn)}'s turn.`;
}

/** The line the winner made, found on the board (the state names only the winner). */
function winningLine(cells: readonly CellValue[], seat: Seat): number[] {
  for (let cell = 0; cell < cells.length; cell++) {
    if (cells[cell] !== seat) continue;
    const line = lineThrough(cells, cell);
    if (line) return line;
  }
  return [];
}
