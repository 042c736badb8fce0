import assert from "node:assert/strict";
import { topPlayers, type Standing } from "./leaderboard.ts";

const player = (name: string, score: number, best = score): Standing => ({ sessionId: `id-${name}`, name, color: 0, score, best, alive: true });

describe("leaderboard", () => {
  it("lists the top five by score", () => {
    const players = ["a", "b", "c", "d", "e", "f", "g"].map((name, i) => player(name, i));
    assert.deepEqual(topPlayers(players).map((p) => p.name), ["g", "f", "e", "d", "c"]);
  });

  it("breaks ties by best score, then by name, so the order does not flicker", () => {
    const players = [player("zed", 3, 3), player("amy", 3, 3), player("bob", 3, 9)];
    assert.deepEqual(topPlayers(players).map((p) => p.name), ["bob", "amy", "zed"]);
  });
});
