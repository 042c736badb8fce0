import assert from "node:assert/strict";
import { CloseCode } from "@colyseus/sdk";
import { CLOSE_CODES, JoinOptions, cleanName } from "./protocol.ts";

describe("platform protocol", () => {
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

  describe("join options", () => {
    it("refuses a migration key from a client, and a private flag that is not a boolean", () => {
      assert.equal(JoinOptions.safeParse({ migration: "roomservice:migration:x" }).success, false);
      assert.equal(JoinOptions.safeParse({ private: "yes" }).success, false);
      assert.ok(JoinOptions.safeParse({ name: 42, private: true }).success, "a bad name never stops a join");
    });
  });

  it("uses Colyseus' own close codes where it has them", () => {
    assert.equal(CLOSE_CODES.consented, CloseCode.CONSENTED);
    assert.equal(CLOSE_CODES.flood, CloseCode.WITH_ERROR);
    assert.ok(!(Object.values(CloseCode) as number[]).includes(CLOSE_CODES.drained), "4011 is ours, not one of Colyseus' codes");
  });
});
