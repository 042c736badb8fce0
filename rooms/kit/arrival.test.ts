import assert from "node:assert/strict";
import { Arrival, RESUME_AFTER_MS } from "./arrival.ts";

describe("arriving room", () => {
  const players = [{ sessionId: "a", connected: true }, { sessionId: "b", connected: true }, { sessionId: "c", connected: false }];

  it("holds the game until every connected player is back and has its state", () => {
    const arrival = new Arrival(players, 0, 15);
    const joined = new Set<string>();
    const hasState = (id: string) => joined.has(id);
    assert.equal(arrival.holding(10, hasState), true);
    assert.equal(arrival.arrived("a"), true);
    assert.equal(arrival.arrived("b"), true);
    assert.equal(arrival.holding(20, hasState), true, "arrived, but no full state yet");
    joined.add("a").add("b");
    assert.equal(arrival.holding(30, hasState), false, "the dropped player c is not waited for");
  });

  it("holds at most RESUME_AFTER_MS", () => {
    const arrival = new Arrival(players, 1000, 15);
    assert.equal(arrival.holding(1000 + RESUME_AFTER_MS - 1, () => false), true);
    assert.equal(arrival.holding(1000 + RESUME_AFTER_MS, () => false), false);
  });

  it("holds for RESUME_AFTER_MS again from holdFrom() (a successor's cut-over)", () => {
    const arrival = new Arrival(players, 0, 15);
    arrival.holdFrom(5000);
    assert.equal(arrival.holding(5000 + RESUME_AFTER_MS - 1, () => false), true);
    assert.equal(arrival.holding(5000 + RESUME_AFTER_MS, () => false), false);
  });

  it("knows the players of the moved game, once each", () => {
    const arrival = new Arrival(players, 0, 15);
    assert.equal(arrival.arrived("stranger"), false);
    assert.equal(arrival.arrived("c"), true);
    assert.equal(arrival.arrived("c"), false);
  });

  it("forgets players whose seat ran out", () => {
    const arrival = new Arrival(players, 0, 15);
    arrival.arrived("a");
    assert.deepEqual(arrival.expired(14_999), []);
    assert.deepEqual(arrival.expired(15_000).sort(), ["b", "c"]);
    assert.equal(arrival.done, true);
  });
});
