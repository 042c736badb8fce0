import assert from "node:assert/strict";
import { DropMessage, JoinOptions, PAUSED, REFUSALS, RematchMessage, WAITING_FOR_OPPONENT, refusalText } from "./protocol.ts";

describe("four in a row protocol", () => {
  it("accepts a drop in columns 0 to 6 and nothing else", () => {
    for (let column = 0; column <= 6; column++) assert.ok(DropMessage.safeParse({ column }).success);
    for (const bad of [{}, { column: 7 }, { column: -1 }, { column: 2.5 }, { column: "3" }, { column: 3, extra: 1 }, 3, null]) {
      assert.equal(DropMessage.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });

  it("accepts an empty rematch and nothing more", () => {
    assert.ok(RematchMessage.safeParse({}).success);
    assert.equal(RematchMessage.safeParse({ now: true }).success, false);
  });

  it("takes only name, private and spectate as join options", () => {
    assert.ok(JoinOptions.safeParse({}).success);
    assert.ok(JoinOptions.safeParse({ name: "ada", private: true, spectate: false }).success);
    for (const bad of [{ private: "yes" }, { spectate: 1 }, { color: "red" }, { migration: "key" }]) {
      assert.equal(JoinOptions.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });

  it("has words for every refusal", () => {
    for (const reason of [...REFUSALS, WAITING_FOR_OPPONENT, PAUSED] as const) assert.ok(refusalText(reason).length > 0, reason);
  });
});
