import assert from "node:assert/strict";
import { SeatKeys, newSeatKey } from "./seatKeys.ts";

describe("seat keys: a moved seat is taken only by its owner", () => {
  const victimKey = newSeatKey();
  const keys = new SeatKeys([{ sessionId: "victim", seatKey: victimKey }]);

  it("refuses the victim's sessionId without its key, or with another key", () => {
    assert.equal(keys.admits("victim", undefined), false);
    assert.equal(keys.admits("victim", null), false);
    assert.equal(keys.admits("victim", ""), false);
    assert.equal(keys.admits("victim", newSeatKey()), false);
    assert.equal(keys.admits("victim", victimKey.slice(1)), false);
  });

  it("admits the owner with its key, and sessions that hold no keyed seat", () => {
    assert.equal(keys.admits("victim", victimKey), true);
    assert.equal(keys.admits("someone-else", undefined), true);
  });

  it("keys are URL-safe and differ every time", () => {
    const a = newSeatKey();
    assert.match(a, /^[A-Za-z0-9_-]{24}$/);
    assert.notEqual(a, newSeatKey());
  });
});
