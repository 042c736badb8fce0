import assert from "node:assert/strict";
import { CORRECTION_TAU_MS, CorrectionSmoother } from "./correction.ts";

describe("CorrectionSmoother (reconciliation without snapping)", () => {
  it("keeps the head where it was drawn at the moment of a correction", () => {
    const smoother = new CorrectionSmoother();
    smoother.absorb({ x: 10.5, y: 10 }, { x: 10, y: 9.5 });
    assert.deepEqual(smoother.advance(0), { x: 0.5, y: 0.5 });
  });

  it("glides to the corrected place: the offset shrinks every frame and is gone after a few time constants", () => {
    const smoother = new CorrectionSmoother();
    smoother.absorb({ x: 1, y: 0 }, { x: 0, y: 0 });
    let previous = 1;
    for (let frame = 0; frame < 12; frame++) {
      const { x } = smoother.advance(1000 / 60);
      assert.ok(x < previous, "shrinks monotonically");
      // No frame moves the head by more than a third of a cell because of the correction.
      assert.ok(previous - x < 0.34, `frame step ${previous - x}`);
      previous = x;
    }
    smoother.advance(CORRECTION_TAU_MS * 10);
    assert.deepEqual(smoother.offset, { x: 0, y: 0 });
  });

  it("adds up corrections that arrive before the last one has faded", () => {
    const smoother = new CorrectionSmoother();
    smoother.absorb({ x: 1, y: 0 }, { x: 0, y: 0 });
    smoother.absorb({ x: 0, y: 0.5 }, { x: 0, y: 0 });
    assert.deepEqual(smoother.offset, { x: 1, y: 0.5 });
  });

  it("shows a real teleport (respawn, resync) at once instead of sliding across the board", () => {
    const smoother = new CorrectionSmoother();
    smoother.absorb({ x: 30, y: 30 }, { x: 2, y: 2 });
    assert.deepEqual(smoother.offset, { x: 0, y: 0 });
  });
});
