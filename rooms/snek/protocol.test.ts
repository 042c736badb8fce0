import assert from "node:assert/strict";
import { decodeTrail, dirCode, dirFromCode, encodeTrail, TurnMessage } from "./protocol.ts";
import { DIRS } from "./rules.ts";

describe("snek protocol", () => {
  describe("turn message", () => {
    it("accepts the four directions and nothing else", () => {
      for (const dir of DIRS) assert.ok(TurnMessage.safeParse({ dir }).success);
      for (const bad of [{}, { dir: "UP" }, { dir: 1 }, { dir: "up", extra: 1 }, "up", null]) {
        assert.equal(TurnMessage.safeParse(bad).success, false, JSON.stringify(bad));
      }
    });
  });

  describe("compact encodings", () => {
    it("round-trips a bent body through the trail string", () => {
      const body = [{ x: 5, y: 5 }, { x: 4, y: 5 }, { x: 4, y: 6 }, { x: 5, y: 6 }, { x: 6, y: 6 }, { x: 6, y: 5 }];
      const trail = encodeTrail(body);
      assert.equal(trail, "ldrru");
      assert.deepEqual(decodeTrail(body[0]!, trail), body);
    });
    it("maps directions to codes and back", () => {
      for (const dir of DIRS) assert.equal(dirFromCode(dirCode(dir)), dir);
    });
  });
});
