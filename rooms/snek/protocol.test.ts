import assert from "node:assert/strict";
import { cleanName, decodeTrail, dirCode, dirFromCode, encodeTrail, TurnMessage } from "./protocol.ts";
import { DIRS } from "./rules.ts";

describe("snek protocol", () => {
  describe("player names", () => {
    it("trims and keeps a plain name", () => {
      assert.equal(cleanName("  alice  "), "alice");
    });
    it("keeps at most 16 characters, counting emoji as one", () => {
      assert.equal(cleanName("abcdefghijklmnopqrstuvwxyz"), "abcdefghijklmnop");
      assert.equal(cleanName("🐍".repeat(20)), "🐍".repeat(16));
    });
    it("drops control and invisible characters", () => {
      assert.equal(cleanName("a\u0000b\u200bc\nd"), "abcd");
    });
    it("gives up on names with nothing printable, and on non-strings", () => {
      for (const bad of ["", "   ", "\u0000\u0001", 42, null, undefined, { name: "x" }, ["a"]]) {
        assert.equal(cleanName(bad), undefined, JSON.stringify(bad));
      }
    });
  });

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
