import assert from "node:assert/strict";
import type { Cell } from "../../../rooms/snek/rules.ts";
import { HISTORY_TICKS, SnakeTrack, pointOnPath, polylineAt } from "./snakeTrack.ts";

const line = (...cells: [number, number][]): Cell[] => cells.map(([x, y]) => ({ x, y }));

describe("SnakeTrack and polylineAt (interpolation between ticks)", () => {
  it("draws the newest tick exactly at lag 0", () => {
    const heads = line([5, 5], [4, 5], [3, 5]);
    assert.deepEqual(polylineAt(heads, [3], 0), line([5, 5], [4, 5], [3, 5]));
  });

  it("draws the head and tail part-way at a fractional lag, the cells between unchanged", () => {
    // The snake moved right from (4,5) to (5,5); at lag 0.25 it is three quarters of the way.
    const heads = line([5, 5], [4, 5], [3, 5], [2, 5]);
    const points = polylineAt(heads, [3, 3], 0.25);
    assert.deepEqual(points, [{ x: 4.75, y: 5 }, { x: 4, y: 5 }, { x: 3, y: 5 }, { x: 2.75, y: 5 }]);
  });

  it("keeps the tail still while the snake grows", () => {
    const heads = line([5, 5], [4, 5], [3, 5], [2, 5]);
    // Length 4 now, 3 a tick ago: it ate; the tail cell (2,5) stays.
    const points = polylineAt(heads, [4, 3], 0.5);
    assert.deepEqual(points.at(-1), { x: 2, y: 5 });
    assert.deepEqual(points[0], { x: 4.5, y: 5 });
  });

  it("turns a corner smoothly: the corner cell is a joint, the head moves along the new direction", () => {
    const heads = line([4, 4], [4, 5], [3, 5], [2, 5]);
    const points = polylineAt(heads, [3, 3], 0.5);
    assert.deepEqual(points, [{ x: 4, y: 4.5 }, { x: 4, y: 5 }, { x: 3, y: 5 }, { x: 2.5, y: 5 }]);
  });

  it("clamps a lag beyond the history instead of inventing cells", () => {
    const heads = line([5, 5], [4, 5], [3, 5]);
    assert.deepEqual(polylineAt(heads, [3], 7)[0], { x: 5, y: 5 });
    assert.deepEqual(polylineAt(heads, [3], -1)[0], { x: 5, y: 5 });
  });

  it("interpolates a point along the path", () => {
    assert.deepEqual(pointOnPath(line([2, 0], [1, 0], [0, 0]), 1.5), { x: 0.5, y: 0 });
  });

  it("extends its history by one head per tick and trims it to the body plus HISTORY_TICKS", () => {
    const track = new SnakeTrack();
    track.update(line([3, 5], [2, 5], [1, 5]), 10);
    for (let step = 1; step <= 6; step++) {
      track.update(line([3 + step, 5], [2 + step, 5], [1 + step, 5]), 10 + step);
    }
    assert.equal(track.tick, 16);
    assert.equal(track.heads.length, 3 + HISTORY_TICKS);
    assert.deepEqual(track.heads.slice(0, 4), line([9, 5], [8, 5], [7, 5], [6, 5]));
  });

  it("starts afresh on a respawn (a jump) or a gap in ticks", () => {
    const track = new SnakeTrack();
    track.update(line([3, 5], [2, 5], [1, 5]), 10);
    track.update(line([4, 5], [3, 5], [2, 5]), 11);
    track.update(line([20, 20], [20, 21], [20, 22]), 12);
    assert.deepEqual(track.heads, line([20, 20], [20, 21], [20, 22]));
    track.update(line([20, 19], [20, 20], [20, 21]), 15);
    assert.deepEqual(track.heads, line([20, 19], [20, 20], [20, 21]));
  });

  it("keeps the last living picture after death, at the last living tick", () => {
    const track = new SnakeTrack();
    track.update(line([3, 5], [2, 5], [1, 5]), 10);
    track.update([], 11);
    assert.equal(track.alive, false);
    assert.equal(track.tick, 10);
    assert.deepEqual(track.heads[0], { x: 3, y: 5 });
  });

  it("trusts the body where it disagrees with the history", () => {
    const track = new SnakeTrack();
    track.update(line([3, 5], [2, 5], [1, 5]), 10);
    track.update(line([4, 5], [3, 5], [3, 6]), 11);
    assert.deepEqual(track.heads.slice(0, 3), line([4, 5], [3, 5], [3, 6]));
  });
});
