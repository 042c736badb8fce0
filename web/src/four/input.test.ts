import assert from "node:assert/strict";
import { columnAt, columnForKey } from "./input.ts";

describe("four in a row input", () => {
  it("maps keys 1-7 (top row and keypad) to columns 0-6, and nothing else", () => {
    assert.equal(columnForKey("Digit1"), 0);
    assert.equal(columnForKey("Numpad7"), 6);
    for (const code of ["Digit8", "Digit0", "KeyA", "ArrowLeft", "Space"]) assert.equal(columnForKey(code), undefined, code);
  });

  it("maps a pointer over the board to its column, and off the board to none", () => {
    assert.equal(columnAt(105, 100, 50), 0);
    assert.equal(columnAt(100 + 6 * 50 + 49, 100, 50), 6);
    assert.equal(columnAt(99, 100, 50), undefined);
    assert.equal(columnAt(100 + 7 * 50, 100, 50), undefined);
  });
});
