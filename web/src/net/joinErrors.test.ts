import assert from "node:assert/strict";
import { describeJoinError, describeLeave } from "./joinErrors.ts";

class SdkError extends Error {
  code: unknown;
  constructor(message: string, code: unknown) {
    super(message);
    this.code = code;
  }
}

describe("join error messages", () => {
  it("says a room code was not found (HTTP 404)", () => {
    const message = describeJoinError(new SdkError("room \"abc\" not found", 404), { kind: "code", roomId: "abc" });
    assert.match(message, /Room "abc" was not found/);
  });

  it("tells a spectator the room has all the spectators it takes (409 while watching)", () => {
    const error = new SdkError("room abc already has 64 spectators (MAX_SPECTATORS); try again later", 409);
    assert.match(describeJoinError(error, { kind: "code", roomId: "abc", watch: true }), /Room "abc" has as many spectators as it takes/);
    const closing = new SdkError('room "abc" is full or closing', 409);
    assert.match(describeJoinError(closing, { kind: "code", roomId: "abc", watch: true }), /full or closing/);
  });

  it("says the room is full (HTTP 409)", () => {
    assert.match(describeJoinError(new SdkError("is full or closing", 409), { kind: "code", roomId: "abc" }), /full/);
  });

  it("says the server is unreachable on a network error (no numeric code)", () => {
    assert.match(describeJoinError(new TypeError("Failed to fetch"), { kind: "quick" }), /Can't reach the game server/);
    assert.match(describeJoinError(new SdkError("Failed to fetch", undefined), { kind: "quick" }), /Can't reach/);
    assert.match(describeJoinError(new SdkError("Bad Gateway", 502), { kind: "create" }), /Can't reach/);
  });

  it("says the server is restarting (HTTP 503)", () => {
    assert.match(describeJoinError(new SdkError("", 503), { kind: "quick" }), /restarting/);
  });

  it("passes the server's reason through for refused options (HTTP 400)", () => {
    assert.match(describeJoinError(new SdkError("private must be true or false", 400), { kind: "create" }), /private must be true or false/);
  });

  it("explains why a game ended, and says nothing when the player left on purpose", () => {
    assert.equal(describeLeave(4000, false), undefined);
    assert.match(describeLeave(4011, false)!, /restarted/);
    assert.match(describeLeave(1006, true)!, /could not get back in/);
  });
});
