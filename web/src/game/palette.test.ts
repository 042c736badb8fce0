import assert from "node:assert/strict";
import { PALETTE_SIZE } from "../../../rooms/snek/protocol.ts";
import { BOARD_COLOR, FOOD_COLOR, SNAKE_COLORS, contrastRatio, cssColor, mixColor, snakeColor } from "./palette.ts";

describe("palette", () => {
  it("has one colour per palette index, all different", () => {
    assert.equal(SNAKE_COLORS.length, PALETTE_SIZE);
    assert.equal(new Set(SNAKE_COLORS).size, PALETTE_SIZE);
  });

  it("keeps every snake and the food at 3:1 contrast or more against the board (WCAG non-text contrast)", () => {
    for (const color of [...SNAKE_COLORS, FOOD_COLOR]) {
      assert.ok(contrastRatio(color, BOARD_COLOR) >= 3, `${cssColor(color)} is ${contrastRatio(color, BOARD_COLOR).toFixed(2)}:1`);
    }
  });

  it("wraps out-of-range indexes instead of returning undefined", () => {
    assert.equal(snakeColor(PALETTE_SIZE), SNAKE_COLORS[0]);
    assert.equal(snakeColor(-1), SNAKE_COLORS[PALETTE_SIZE - 1]);
  });

  it("computes the WCAG ratio: black on white is 21:1", () => {
    assert.equal(Math.round(contrastRatio(0x000000, 0xffffff)), 21);
  });
});

describe("mixColor", () => {
  it("moves each channel part of the way towards the other colour", () => {
    assert.equal(mixColor(0x000000, 0xffffff, 0.5), 0x808080);
    assert.equal(mixColor(0x102030, 0x102030, 0.7), 0x102030);
    assert.equal(mixColor(0xff0000, 0x0000ff, 1), 0x0000ff);
  });
});
