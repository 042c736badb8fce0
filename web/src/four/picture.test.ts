import assert from "node:assert/strict";
import { drop, newMatch, type Match } from "../../../rooms/four/rules.ts";
import { pictureOf, type DecodedFour, type DecodedFourPlayer } from "./picture.ts";

const player = (seat: number, name: string, extra: Partial<DecodedFourPlayer> = {}): DecodedFourPlayer =>
  ({ name, color: seat === 1 ? "#f00" : "#ff0", seat, connected: true, wins: 0, rematch: false, ...extra });

function decoded(match: Match, fields: Partial<DecodedFour> = {}, players: Record<string, DecodedFourPlayer> = { a: player(1, "ada"), b: player(2, "bob") }): DecodedFour {
  return { board: match.board, players: new Map(Object.entries(players)), turn: match.turn === 1 ? "a" : "b", winner: "", moves: match.moves, turnSeconds: 60, ...fields };
}

function playColumns(columns: number[]): Match {
  let match = newMatch(0);
  for (const column of columns) match = drop(match, match.turn, column, 0).match!;
  return match;
}

describe("four in a row picture", () => {
  it("tells the player to move on their turn, and names the mover otherwise", () => {
    const state = decoded(newMatch(0));
    const ada = pictureOf(state, "a");
    assert.equal(ada.you, 1);
    assert.equal(ada.yourTurn, true);
    assert.match(ada.headline, /Your turn/);
    const bob = pictureOf(state, "b");
    assert.equal(bob.yourTurn, false);
    assert.equal(bob.headline, "ada's turn.");
    assert.deepEqual(bob.seats.map((s) => s.name), ["ada", "bob"]);
  });

  it("shows a spectator the game without a seat or a turn", () => {
    const picture = pictureOf(decoded(newMatch(0)), "watcher");
    assert.equal(picture.you, undefined);
    assert.equal(picture.yourTurn, false);
    assert.equal(picture.canAskRematch, false);
    assert.equal(picture.headline, "ada's turn.");
  });

  it("asks for an opponent while a seat is free", () => {
    const picture = pictureOf(decoded(newMatch(0), { turn: "" }, { a: player(1, "ada") }), "a");
    assert.match(picture.headline, /Waiting for an opponent/);
  });

  it("finds the winning line, and offers a rematch until asked", () => {
    const match = playColumns([0, 6, 0, 6, 0, 6, 0]);
    const won = pictureOf(decoded(match, { winner: "a", turn: "" }), "b");
    assert.equal(won.over, true);
    assert.deepEqual(won.winLine, [14, 21, 28, 35]);
    assert.equal(won.headline, "ada wins!");
    assert.equal(won.canAskRematch, true);
    const asked = pictureOf(decoded(match, { winner: "a", turn: "" }, { a: player(1, "ada"), b: player(2, "bob", { rematch: true }) }), "b");
    assert.equal(asked.canAskRematch, false);
    assert.equal(pictureOf(decoded(match, { winner: "a", turn: "" }), "a").headline, "You win!");
  });

  it("says when a game was won by forfeit, and when it is a draw", () => {
    const forfeited = pictureOf(decoded(playColumns([3]), { winner: "b", turn: "" }), "a");
    assert.deepEqual(forfeited.winLine, []);
    assert.match(forfeited.headline, /bob wins: the other player ran out of time or left/);
    assert.match(pictureOf(decoded(newMatch(0), { winner: "draw", turn: "" }), "a").headline, /draw/);
  });
});
