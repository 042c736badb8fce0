import assert from "node:assert/strict";
import {
  CELLS, COLUMNS, ROWS, askRematch, cellAt, drop, dropRefusal, forfeit, forfeitIfLate, landingRow, legalColumns,
  lineThrough, newMatch, rebaseTurnClock, restartTurnClock, turnMsLeft, type Match, type Seat,
} from "./rules.ts";

const TURN_MS = 60_000;

/** Plays the columns in order, seats alternating from whoever is to move; fails on any refusal. */
function play(match: Match, columns: readonly number[], nowMs = 0): Match {
  for (const column of columns) {
    const played = drop(match, match.turn, column, nowMs);
    assert.equal(played.refused, undefined, `drop in ${column} refused: ${played.refused}`);
    match = played.match!;
  }
  return match;
}

/** A full board with no four in a row: columns filled in pairs, each pair offset so colours alternate by row. */
const DRAW_ORDER = [0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 2, 3, 2, 3, 2, 3, 3, 2, 3, 2, 3, 2, 4, 5, 4, 5, 4, 5, 5, 4, 5, 4, 5, 4, 6, 6, 6, 6, 6, 6];

describe("four in a row rules", () => {
  it("drops a disc to the lowest empty row of its column and passes the turn", () => {
    let match = newMatch(0);
    assert.equal(match.turn, 1);
    match = play(match, [3]);
    assert.equal(match.board[cellAt(ROWS - 1, 3)], 1);
    assert.equal(match.turn, 2);
    assert.equal(match.moves, 1);
    match = play(match, [3]);
    assert.equal(match.board[cellAt(ROWS - 2, 3)], 2);
    assert.equal(match.lastCell, cellAt(ROWS - 2, 3));
    assert.equal(match.turn, 1);
    assert.equal(landingRow(match.board, 3), ROWS - 3);
  });

  it("never changes the match it was given", () => {
    const match = newMatch(0);
    play(match, [0, 1, 2]);
    assert.equal(match.moves, 0);
    assert.ok(match.board.every((cell) => cell === 0));
  });

  it("offers every column that is not full", () => {
    let match = newMatch(0);
    assert.deepEqual(legalColumns(match), [0, 1, 2, 3, 4, 5, 6]);
    match = play(match, [2, 2, 2, 2, 2, 2]);
    assert.deepEqual(legalColumns(match), [0, 1, 3, 4, 5, 6]);
  });

  describe("refuses", () => {
    it("a full column", () => {
      const match = play(newMatch(0), [5, 5, 5, 5, 5, 5]);
      assert.equal(drop(match, match.turn, 5, 0).refused, "column_full");
    });

    it("a move out of turn", () => {
      const match = play(newMatch(0), [0]);
      assert.equal(dropRefusal(match, 1, 1), "not_your_turn");
    });

    it("a move by someone not seated", () => {
      assert.equal(drop(newMatch(0), undefined, 0, 0).refused, "not_a_player");
    });

    it("a column off the board", () => {
      assert.equal(dropRefusal(newMatch(0), 1, COLUMNS), "no_such_column");
      assert.equal(dropRefusal(newMatch(0), 1, -1), "no_such_column");
      assert.equal(dropRefusal(newMatch(0), 1, 1.5), "no_such_column");
    });

    it("any move once the game is over", () => {
      const match = play(newMatch(0), [0, 6, 0, 6, 0, 6, 0]);
      assert.equal(drop(match, 2, 1, 0).refused, "game_over");
      assert.equal(drop(match, 1, 1, 0).refused, "game_over");
    });
  });

  describe("wins", () => {
    it("on a horizontal line", () => {
      const match = play(newMatch(0), [0, 0, 1, 1, 2, 2, 3]);
      assert.deepEqual(match.outcome, { kind: "won", seat: 1, by: "line", line: [35, 36, 37, 38] });
      assert.deepEqual(match.wins, { 1: 1, 2: 0 });
      assert.deepEqual(legalColumns(match), []);
    });

    it("on a vertical line", () => {
      const match = play(newMatch(0), [6, 0, 5, 0, 6, 0, 5, 0]);
      assert.equal(match.outcome.kind, "won");
      assert.equal(match.outcome.kind === "won" && match.outcome.seat, 2);
      assert.deepEqual(match.outcome.kind === "won" && match.outcome.line, [14, 21, 28, 35]);
    });

    it("on a diagonal rising to the right", () => {
      // Seat 1 ends on (5,0) (4,1) (3,2) (2,3).
      const match = play(newMatch(0), [0, 1, 1, 2, 2, 3, 2, 3, 3, 6, 3]);
      assert.equal(match.outcome.kind === "won" && match.outcome.seat, 1);
      assert.deepEqual(match.outcome.kind === "won" && [...match.outcome.line].sort((a, b) => a - b), [cellAt(2, 3), cellAt(3, 2), cellAt(4, 1), cellAt(5, 0)]);
    });

    it("on a diagonal falling to the right", () => {
      // The mirror image: seat 1 ends on (5,6) (4,5) (3,4) (2,3).
      const match = play(newMatch(0), [6, 5, 5, 4, 4, 3, 4, 3, 3, 0, 3]);
      assert.equal(match.outcome.kind === "won" && match.outcome.seat, 1);
      assert.deepEqual(match.outcome.kind === "won" && [...match.outcome.line].sort((a, b) => a - b), [cellAt(2, 3), cellAt(3, 4), cellAt(4, 5), cellAt(5, 6)]);
    });

    it("counts a line longer than four, with the disc dropped in its middle", () => {
      const match = play(newMatch(0), [0, 0, 1, 1, 3, 3, 4, 4, 2]);
      assert.deepEqual(match.outcome.kind === "won" && match.outcome.line, [35, 36, 37, 38, 39]);
    });

    it("finds no line where three discs are broken by the edge or the other colour", () => {
      const board = newMatch(0).board.slice();
      for (const column of [4, 5, 6]) board[cellAt(5, column)] = 1;
      board[cellAt(5, 3)] = 2;
      assert.equal(lineThrough(board, cellAt(5, 6)), undefined);
      assert.equal(lineThrough(board, cellAt(0, 0)), undefined, "an empty cell is no line");
    });
  });

  it("ends in a draw when the board fills with no line", () => {
    const match = play(newMatch(0), DRAW_ORDER);
    assert.equal(match.moves, CELLS);
    assert.deepEqual(match.outcome, { kind: "draw" });
    assert.deepEqual(match.wins, { 1: 0, 2: 0 });
  });

  describe("the move timer", () => {
    it("forfeits the game of the seat to move once its time is up, not before", () => {
      const match = play(newMatch(1_000), [3], 5_000);
      assert.equal(turnMsLeft(match, 5_000 + TURN_MS - 1, TURN_MS), 1);
      assert.equal(forfeitIfLate(match, 5_000 + TURN_MS - 1, TURN_MS), match);
      const late = forfeitIfLate(match, 5_000 + TURN_MS, TURN_MS);
      assert.deepEqual(late.outcome, { kind: "won", seat: 1, by: "forfeit", line: [] });
      assert.deepEqual(late.wins, { 1: 1, 2: 0 });
    });

    it("does not run once the game is over", () => {
      const over = play(newMatch(0), [0, 6, 0, 6, 0, 6, 0]);
      assert.equal(forfeitIfLate(over, 10 * TURN_MS, TURN_MS), over);
    });

    it("restarts, or keeps the time spent across a change of clock", () => {
      const match = play(newMatch(0), [3], 10_000);
      assert.equal(turnMsLeft(restartTurnClock(match, 50_000), 50_000, TURN_MS), TURN_MS);
      // 20 s spent on the old clock at 30 000; the new clock reads 500.
      assert.equal(turnMsLeft(rebaseTurnClock(match, 30_000, 500), 500, TURN_MS), TURN_MS - 20_000);
    });
  });

  it("lets a player leaving forfeit only a game in play", () => {
    const match = play(newMatch(0), [0]);
    assert.deepEqual(forfeit(match, 1).outcome, { kind: "won", seat: 2, by: "forfeit", line: [] });
    const drawn = play(newMatch(0), DRAW_ORDER);
    assert.equal(forfeit(drawn, 1), drawn);
  });

  describe("rematch", () => {
    const won = () => play(newMatch(0), [0, 6, 0, 6, 0, 6, 0]);

    it("starts only when both seats ask, with wins kept and the other seat first", () => {
      const first = askRematch(won(), 2, 100).match!;
      assert.deepEqual(first.rematch, [2]);
      assert.equal(first.outcome.kind, "won", "one request changes nothing else");
      assert.deepEqual(askRematch(first, 2, 100).match!.rematch, [2], "asking twice counts once");
      const next = askRematch(first, 1, 200).match!;
      assert.deepEqual(next.outcome, { kind: "playing" });
      assert.ok(next.board.every((cell) => cell === 0));
      assert.equal(next.moves, 0);
      assert.equal(next.turn, 2);
      assert.equal(next.firstSeat, 2);
      assert.deepEqual(next.wins, { 1: 1, 2: 0 });
      assert.deepEqual(next.rematch, []);
      assert.equal(next.turnStartedAtMs, 200);
    });

    it("is refused while the game is being played, or to someone not seated", () => {
      assert.equal(askRematch(newMatch(0), 1, 0).refused, "game_not_over");
      assert.equal(askRematch(won(), undefined, 0).refused, "not_a_player");
    });
  });

  it("alternates who starts over several rematches", () => {
    let match = newMatch(0);
    const starters: Seat[] = [];
    for (let game = 0; game < 3; game++) {
      starters.push(match.turn);
      match = forfeit(match, match.turn);
      match = askRematch(askRematch(match, 1, 0).match!, 2, 0).match!;
    }
    assert.deepEqual(starters, [1, 2, 1]);
  });
});
