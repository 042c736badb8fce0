import assert from "node:assert/strict";
import { cellAt, drop, newMatch, type Match } from "../rooms/four/rules.ts";
import { chooseColumn } from "./fourBrain.ts";

function play(columns: number[]): Match {
  let match = newMatch(0);
  for (const column of columns) match = drop(match, match.turn, column, 0).match!;
  return match;
}

const never = () => 0;

describe("four in a row bot brain", () => {
  it("takes a win when it has one", () => {
    const match = play([0, 6, 1, 6, 2, 5]);
    assert.equal(chooseColumn(match.board, 1, never), 3);
  });

  it("blocks the opponent's win", () => {
    const match = play([0, 6, 0, 6, 1, 6]);
    assert.equal(match.turn, 1);
    assert.equal(chooseColumn(match.board, 1, never), 6);
  });

  it("does not fill the cell under the opponent's winning cell", () => {
    // Seat 2 has three in row 4 (columns 1-3) and needs (4, 4): seat 1 must not drop into column 4 while (5, 4) is free.
    const board = newMatch(0).board.slice();
    for (const column of [0, 1, 3]) board[cellAt(5, column)] = 1;
    for (const column of [2, 6]) board[cellAt(5, column)] = 2;
    board[cellAt(4, 0)] = 1;
    for (const column of [1, 2, 3]) board[cellAt(4, column)] = 2;
    for (let seed = 0; seed < 20; seed++) {
      let n = seed;
      const random = () => ((n = (n * 9301 + 49297) % 233280) / 233280);
      assert.notEqual(chooseColumn(board, 1, random), 4);
    }
  });

  it("plays only legal columns, and finishes a whole game against itself", () => {
    let match = newMatch(0);
    let seed = 7;
    const random = () => ((seed = (seed * 9301 + 49297) % 233280) / 233280);
    while (match.outcome.kind === "playing") {
      const column = chooseColumn(match.board, match.turn, random);
      assert.ok(column !== undefined);
      const played = drop(match, match.turn, column, 0);
      assert.equal(played.refused, undefined);
      match = played.match!;
    }
    assert.ok(match.moves >= 7);
  });
});
