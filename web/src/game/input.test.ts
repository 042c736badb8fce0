import assert from "node:assert/strict";
import { SWIPE_MIN_PX, SwipeTracker, TAP_MAX_MS, actionForKey, swipeDir } from "./input.ts";

describe("input mapping", () => {
  it("maps arrows and WASD (by physical key) to turns", () => {
    const expected = { ArrowUp: "up", KeyW: "up", ArrowDown: "down", KeyS: "down", ArrowLeft: "left", KeyA: "left", ArrowRight: "right", KeyD: "right" };
    for (const [code, dir] of Object.entries(expected)) assert.deepEqual(actionForKey(code), { kind: "turn", dir }, code);
  });

  it("maps Space and Enter to respawn, and ignores other keys", () => {
    assert.deepEqual(actionForKey("Space"), { kind: "respawn" });
    assert.deepEqual(actionForKey("Enter"), { kind: "respawn" });
    assert.equal(actionForKey("KeyQ"), undefined);
    assert.equal(actionForKey("Tab"), undefined);
  });

  it("reads a swipe by its dominant axis and ignores short or diagonal ones", () => {
    assert.equal(swipeDir(40, 5), "right");
    assert.equal(swipeDir(-40, 5), "left");
    assert.equal(swipeDir(3, -40), "up");
    assert.equal(swipeDir(3, 40), "down");
    assert.equal(swipeDir(SWIPE_MIN_PX - 1, 0), undefined);
    assert.equal(swipeDir(40, 38), undefined);
  });

  it("turns while the finger is still moving, and twice for an L-shaped stroke", () => {
    const swipe = new SwipeTracker();
    swipe.start(100, 100, 0);
    assert.equal(swipe.move(110, 100), undefined);
    assert.deepEqual(swipe.move(140, 102), { kind: "turn", dir: "right" });
    assert.deepEqual(swipe.move(141, 140), { kind: "turn", dir: "down" });
    assert.equal(swipe.end(141, 141, 200), undefined);
  });

  it("treats a short touch that does not travel as a tap (respawn), and a long press as nothing", () => {
    const swipe = new SwipeTracker();
    swipe.start(50, 50, 0);
    assert.deepEqual(swipe.end(52, 51, TAP_MAX_MS - 1), { kind: "respawn" });
    swipe.start(50, 50, 0);
    assert.equal(swipe.end(50, 50, TAP_MAX_MS + 500), undefined);
  });

  it("ignores moves and lifts without a touch", () => {
    const swipe = new SwipeTracker();
    assert.equal(swipe.move(500, 500), undefined);
    assert.equal(swipe.end(500, 500, 10), undefined);
  });
});
