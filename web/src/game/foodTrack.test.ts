import assert from "node:assert/strict";
import { FoodTrack } from "./foodTrack.ts";

const W = 10;
const at = (x: number, y: number): number => y * W + x;

describe("FoodTrack (food timed to the picture)", () => {
  it("shows the food that was there on joining at once", () => {
    const food = new FoodTrack();
    food.update([at(1, 1), at(2, 2)], W, 50, undefined);
    assert.deepEqual(food.visible(48.75, 49.5), [{ x: 1, y: 1 }, { x: 2, y: 2 }]);
  });

  it("keeps food another snake ate until that snake is drawn reaching it", () => {
    const food = new FoodTrack();
    food.update([at(1, 1)], W, 50, undefined);
    food.update([], W, 51, { x: 7, y: 7 });
    assert.equal(food.visible(50.5, 51.5).length, 1, "others are drawn before tick 51: still there");
    assert.equal(food.visible(51, 51.5).length, 0, "drawn at 51: eaten");
  });

  it("removes food you ate on your own clock, which runs ahead of the others'", () => {
    const food = new FoodTrack();
    food.update([at(3, 3)], W, 50, undefined);
    food.update([], W, 51, { x: 3, y: 3 });
    assert.equal(food.visible(50.2, 51).length, 0);
  });

  it("shows new food from about a tick before it appeared, not earlier", () => {
    const food = new FoodTrack();
    food.update([], W, 50, undefined);
    food.update([at(4, 4)], W, 51, undefined);
    assert.equal(food.visible(49.5, 50).length, 0);
    assert.equal(food.visible(50, 50.5).length, 1);
  });

  it("starts again after clear() (reconnect)", () => {
    const food = new FoodTrack();
    food.update([at(1, 1)], W, 50, undefined);
    food.clear();
    food.update([at(5, 5)], W, 90, undefined);
    assert.deepEqual(food.visible(88, 89), [{ x: 5, y: 5 }]);
  });
});
