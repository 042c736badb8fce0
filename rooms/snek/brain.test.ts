import assert from "node:assert/strict";
import type { Dir } from "./rules.ts";
import { chooseDirection, outlook, reachableCells, type BoardView } from "./brain.ts";

/**
 * A board drawn as text: `H` our head, `#` any snake body, `O` another snake's
 * head (its neighbours are contested), `*` food, `.` free.
 */
function board(rows: string[]): { view: BoardView; head: { x: number; y: number } } {
  const width = rows[0]!.length;
  const height = rows.length;
  const blocked = new Set<number>();
  const contested = new Set<number>();
  const foodCells: number[] = [];
  let head = { x: -1, y: -1 };
  rows.forEach((row, y) => [...row].forEach((ch, x) => {
    const cell = y * width + x;
    if (ch === "H") { head = { x, y }; blocked.add(cell); }
    if (ch === "#" || ch === "O") blocked.add(cell);
    if (ch === "*") foodCells.push(cell);
    if (ch === "O") {
      for (const [dx, dy] of [[0, -1], [1, 0], [0, 1], [-1, 0]] as const) {
        if (x + dx >= 0 && y + dy >= 0 && x + dx < width && y + dy < height) contested.add((y + dy) * width + x + dx);
      }
    }
  }));
  const view: BoardView = {
    width,
    height,
    foodCells,
    isBlocked: (cell) => blocked.has(cell),
    isContested: (cell) => contested.has(cell),
  };
  return { view, head };
}

function choose(rows: string[], facing: Dir, length = 3): ReturnType<typeof chooseDirection> {
  const { view, head } = board(rows);
  return chooseDirection(view, { head, facing, length, self: 0 });
}

describe("bot steering", () => {
  it("heads for the nearest food", () => {
    const rows = [
      "..........",
      "..........",
      "....*.....",
      "..........",
      "..##H.....",
      "..........",
      "..........",
    ];
    assert.equal(choose(rows, "right").dir, "up");
  });

  it("keeps going straight when that is as good as turning", () => {
    const rows = [
      "..........",
      "..........",
      "..##H...*.",
      "..........",
      "..........",
    ];
    assert.deepEqual(choose(rows, "right"), { dir: "right", urgent: false });
  });

  it("turns away from the wall ahead, urgently", () => {
    const rows = [
      "..........",
      "..........",
      ".......##H",
      "..........",
      "*.........",
    ];
    const decision = choose(rows, "right");
    assert.equal(decision.dir, "down");
    assert.equal(decision.urgent, true);
  });

  it("turns away from a body ahead even with food behind it", () => {
    const rows = [
      "..........",
      "..##H#..*.",
      "..........",
    ];
    const decision = choose(rows, "right");
    assert.notEqual(decision.dir, "right");
    assert.equal(decision.urgent, true);
  });

  it("never reverses, even towards food", () => {
    const rows = [
      "..........",
      "*..##H....",
      "..........",
    ];
    assert.notEqual(choose(rows, "right").dir, "left");
  });

  it("stays out of a pocket too small for it, food or not", () => {
    const rows = [
      "#####.....",
      "*....H##..",
      "#####.....",
      "..........",
      "..........",
    ];
    const { view, head } = board(rows);
    assert.equal(reachableCells(view, 1 * 10 + 4, 50), 5);
    assert.notEqual(chooseDirection(view, { head, facing: "left", length: 3, self: 0 }).dir, "left");
  });

  it("avoids a cell another snake's head can reach", () => {
    const far = [
      "..........",
      "..........",
      "..##H....*",
      "..........",
      "O.........",
    ];
    const near = [
      "..........",
      "..........",
      "..##H.O..*",
      "..........",
      "..........",
    ];
    assert.equal(choose(far, "right").dir, "right");
    // (5,2) is next to the other head at (6,2): going straight risks a head-on.
    assert.notEqual(choose(near, "right").dir, "right");
  });

  it("goes on when every way is death", () => {
    const rows = [
      "....#.....",
      "...#H#....",
      "...###....",
    ];
    assert.deepEqual(choose(rows, "up"), { dir: "up", urgent: false });
  });

  it("names what the next cell holds", () => {
    const { view } = board([
      "..#",
      ".O.",
      "...",
    ]);
    assert.equal(outlook(view, { x: 3, y: 0 }, 0), "wall");
    assert.equal(outlook(view, { x: 2, y: 0 }, 0), "body");
    assert.equal(outlook(view, { x: 1, y: 0 }, 0), "contested");
    assert.equal(outlook(view, { x: 0, y: 0 }, 0), "free");
  });
});
