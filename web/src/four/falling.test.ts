import assert from "node:assert/strict";
import { CELLS, cellAt, type CellValue } from "../../../rooms/four/rules.ts";
import { DiscDrops } from "./falling.ts";

const empty = (): CellValue[] => new Array<CellValue>(CELLS).fill(0);

describe("four in a row falling disc", () => {
  it("drops a new disc from above the board to its row, then lets it rest", () => {
    const drops = new DiscDrops();
    assert.equal(drops.update(empty(), 0), undefined, "the first board is shown as it is");
    const board = empty();
    board[cellAt(5, 2)] = 1;
    const disc = drops.update(board, 1000)!;
    assert.deepEqual({ column: disc.column, row: disc.row, seat: disc.seat }, { column: 2, row: 5, seat: 1 });
    const start = drops.at(1000)!;
    assert.equal(start.row, -1);
    const midway = drops.at(1200)!;
    assert.ok(midway.row > -1 && midway.row < 5, `row ${midway.row}`);
    assert.equal(drops.at(2000), undefined, "landed");
  });

  it("animates nothing for a cleared board (a rematch) or several discs at once", () => {
    const drops = new DiscDrops();
    const two = empty();
    two[cellAt(5, 0)] = 1;
    two[cellAt(5, 1)] = 2;
    drops.update(empty(), 0);
    assert.equal(drops.update(two, 10), undefined);
    assert.equal(drops.update(empty(), 20), undefined);
    assert.equal(drops.at(20), undefined);
  });
});
