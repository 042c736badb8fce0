// Copies the match from the pure rules into the schema state, writing only
// what changed, so a move costs one board cell, the turn and the move count.

import { DRAW, SEAT_COLORS } from "./protocol.ts";
import { SEATS, type Match, type Seat } from "./rules.ts";
import { FourPlayer, type FourState } from "./state.ts";

/** Who holds each seat (sessionIds). */
export type Seating = Map<Seat, string>;

export function seatOf(seating: Seating, sessionId: string): Seat | undefined {
  for (const [seat, id] of seating) if (id === sessionId) return seat;
  return undefined;
}

export function freeSeat(seating: Seating): Seat | undefined {
  return SEATS.find((seat) => !seating.has(seat));
}

export function seatPlayer(state: FourState, sessionId: string, seat: Seat, name: string, connected: boolean): void {
  state.players.set(sessionId, new FourPlayer({ name, seat, color: SEAT_COLORS[seat], connected }));
}

export function mirrorMatch(match: Match, seating: Seating, state: FourState): void {
  if (state.board.length !== match.board.length) {
    state.board.clear();
    state.board.push(...match.board);
  } else {
    match.board.forEach((cell, i) => { if (state.board[i] !== cell) state.board[i] = cell; });
  }
  const bothSeated = seating.size === SEATS.length;
  const outcome = match.outcome;
  const turn = outcome.kind === "playing" && bothSeated ? seating.get(match.turn) ?? "" : "";
  const winner = outcome.kind === "draw" ? DRAW : outcome.kind === "won" ? seating.get(outcome.seat) ?? "" : "";
  if (state.turn !== turn) state.turn = turn;
  if (state.winner !== winner) state.winner = winner;
  if (state.moves !== match.moves) state.moves = match.moves;
  for (const [seat, sessionId] of seating) {
    const player = state.players.get(sessionId);
    if (!player) continue;
    if (player.wins !== match.wins[seat]) player.wins = match.wins[seat];
    const asked = match.rematch.includes(seat);
    if (player.rematch !== asked) player.rematch = asked;
  }
}
