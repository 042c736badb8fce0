import assert from "node:assert/strict";
import { FOLLOW_CELL_PX, MIN_FIT_CELL_PX, chooseView, type Viewport } from "./camera.ts";

const screen = (width: number, height: number, inset = 10): Viewport =>
  ({ width, height, insetTop: inset, insetBottom: inset, insetLeft: inset, insetRight: inset });
const board48 = { width: 48, height: 48 };

describe("camera choice", () => {
  it("fits the whole 48x48 board on a laptop screen, centred", () => {
    const view = chooseView(screen(1070, 670), board48, { x: 3, y: 3 });
    assert.equal(view.mode, "fit");
    assert.ok(view.cellPx >= MIN_FIT_CELL_PX);
    assert.ok(view.originY >= 10 && view.originY + 48 * view.cellPx <= 660);
    const left = view.originX;
    const right = 1070 - (view.originX + 48 * view.cellPx);
    assert.ok(Math.abs(left - right) < 1, "centred horizontally");
  });

  it("follows your head when fitting would make cells unreadably small", () => {
    const view = chooseView(screen(360, 560), board48, { x: 24, y: 24 });
    assert.equal(view.mode, "follow");
    assert.equal(view.cellPx, FOLLOW_CELL_PX);
    // The head's cell centre is in the middle of the area.
    assert.ok(Math.abs(view.originX + 24.5 * view.cellPx - 180) < 1e-9);
  });

  it("stops at the walls when following: at most one cell of space past the board edge", () => {
    const view = chooseView(screen(360, 560), board48, { x: 0, y: 47 });
    assert.ok(view.originX <= 10 + FOLLOW_CELL_PX + 1e-9 && view.originX > 0);
    const bottom = view.originY + 48 * view.cellPx;
    assert.ok(bottom >= 550 - FOLLOW_CELL_PX - 1e-9);
  });

  it("decides by screen and board size only, so it never flips while you move", () => {
    const a = chooseView(screen(1070, 670), board48, { x: 0, y: 0 });
    const b = chooseView(screen(1070, 670), board48, { x: 47, y: 47 });
    assert.deepEqual(a, b);
  });

  it("fits the board when there is nothing to follow yet", () => {
    assert.equal(chooseView(screen(360, 560), board48, undefined).mode, "fit");
  });
});
