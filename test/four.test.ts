// Four in a row over real websockets: a real server, real @colyseus/sdk
// clients, and every assertion on the state a client decoded (or the notice
// it was sent). The live room is only read for the move timer's setting.

import assert from "node:assert/strict";
import type { Room } from "@colyseus/sdk";
import { SERVER_MESSAGES, type RejectedNotice } from "../rooms/kit/protocol.ts";
import { DRAW } from "../rooms/four/protocol.ts";
import { CELLS, cellAt } from "../rooms/four/rules.ts";
import { FourState } from "../rooms/four/state.ts";
import { scrape } from "./support/metrics.ts";
import { bootServer, type TestServer } from "./support/server.ts";
import { nextEvent, waitFor } from "./support/wait.ts";

type FourRoom = Room<unknown, FourState>;

/** A full board with no line: columns in pairs, each pair offset so the colours alternate by row. */
const DRAW_ORDER = [0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 2, 3, 2, 3, 2, 3, 3, 2, 3, 2, 3, 2, 4, 5, 4, 5, 4, 5, 5, 4, 5, 4, 5, 4, 6, 6, 6, 6, 6, 6];
/** Seat 1 (first to move) stacks column 0 while seat 2 stacks column 6: seat 1 wins on move 7. */
const QUICK_WIN = [0, 6, 0, 6, 0, 6, 0];

/** Times a reason was counted in roomservice_messages_rejected_total (0 before the first). */
async function rejected(url: string, reason: string): Promise<number> {
  const line = (await scrape(url)).split("\n").find((l) => l.startsWith(`roomservice_messages_rejected_total{reason="${reason}"} `));
  return line ? Number(line.split(" ")[1]) : 0;
}

const board = (room: FourRoom): number[] => Array.from(room.state.board);
const player = (room: FourRoom, of: FourRoom = room) => room.state.players.get(of.sessionId);

describe("four in a row over real websockets", () => {
  let server: TestServer;
  before(async () => { server = await bootServer(); });
  after(async () => { await server.close(); });

  /** Two players seated in a new room, both seeing the game begin with `ada` to move. */
  async function seatTwo(options: { private?: boolean } = {}): Promise<[FourRoom, FourRoom]> {
    const ada = await server.client().create("four", { name: "ada", ...options }, FourState);
    const bob = await server.client().joinById(ada.roomId, { name: "bob" }, FourState);
    await waitFor("both to see ada to move", () => [ada, bob].every((r) => r.state.turn === ada.sessionId && r.state.players.size === 2));
    return [ada, bob];
  }

  /** Plays the columns, players alternating from whoever is to move; each move is waited for on every room. */
  async function play(rooms: FourRoom[], columns: readonly number[]): Promise<void> {
    for (const column of columns) {
      const mover = rooms.find((r) => r.state.turn === r.sessionId);
      assert.ok(mover, "someone is to move");
      const moves = mover.state.moves;
      mover.send("drop", { column });
      await waitFor(`move ${moves + 1} (column ${column}) on every client`, () => rooms.every((r) => r.state.moves === moves + 1 || r.state.winner !== ""));
    }
  }

  function noticesOf(room: FourRoom): RejectedNotice[] {
    const notices: RejectedNotice[] = [];
    room.onMessage(SERVER_MESSAGES.rejected, (notice: RejectedNotice) => notices.push(notice));
    return notices;
  }

  it("seats two players with their names, colours and seats, the first to join moving first", async () => {
    const [ada, bob] = await seatTwo();
    const [a, b] = [player(bob, ada)!, player(ada, bob)!];
    assert.deepEqual([a.name, a.seat, b.name, b.seat], ["ada", 1, "bob", 2]);
    assert.notEqual(a.color, b.color);
    assert.equal(ada.state.turnSeconds, 60);
    assert.equal(board(bob).length, CELLS);
    assert.ok(board(bob).every((cell) => cell === 0));
    await ada.leave(); await bob.leave();
  });

  it("refuses unknown join options with HTTP 400, naming them", async () => {
    await assert.rejects(server.client().create("four", { name: "ada", color: "red" }), (error: { code?: number; message?: string }) => {
      assert.equal(error.code, 400);
      assert.match(error.message ?? "", /color/);
      return true;
    });
  });

  it("plays a full game to a win: discs land where the rules say, turns alternate, the win is counted", async () => {
    const [ada, bob] = await seatTwo();
    await play([ada, bob], QUICK_WIN);
    for (const room of [ada, bob]) {
      assert.equal(room.state.winner, ada.sessionId);
      assert.equal(room.state.turn, "");
      assert.equal(room.state.moves, 7);
      for (const row of [2, 3, 4, 5]) assert.equal(board(room)[cellAt(row, 0)], 1);
      for (const row of [3, 4, 5]) assert.equal(board(room)[cellAt(row, 6)], 2);
      assert.equal(player(room, ada)!.wins, 1);
      assert.equal(player(room, bob)!.wins, 0);
    }
    await ada.leave(); await bob.leave();
  });

  it("plays a game to a draw when the board fills with no line", async () => {
    const [ada, bob] = await seatTwo();
    await play([ada, bob], DRAW_ORDER);
    await waitFor("the draw on both clients", () => [ada, bob].every((r) => r.state.winner === DRAW));
    assert.equal(bob.state.moves, CELLS);
    assert.ok(board(bob).every((cell) => cell !== 0));
    assert.equal(player(bob, ada)!.wins + player(bob, bob)!.wins, 0);
    await ada.leave(); await bob.leave();
  });

  it("rejects each illegal move with its reason, counts it, and leaves the game as it was", async () => {
    const ada = await server.client().create("four", { name: "ada" }, FourState);
    const adaNotices = noticesOf(ada);
    const expectRejection = async (room: FourRoom, notices: RejectedNotice[], reason: string, send: () => void): Promise<void> => {
      const before = await rejected(server.url, reason);
      const moves = room.state.moves;
      send();
      const notice = await waitFor(`a "${reason}" notice`, () => notices.find((n) => n.reason === reason));
      assert.ok(notice.message.length > 0);
      assert.equal(await rejected(server.url, reason), before + 1, `${reason} counted once`);
      assert.equal(room.state.moves, moves, "nothing changed");
    };

    await waitFor("ada seated", () => player(ada)?.seat === 1);
    await expectRejection(ada, adaNotices, "waiting_for_opponent", () => ada.send("drop", { column: 3 }));

    const bob = await server.client().joinById(ada.roomId, { name: "bob" }, FourState);
    const bobNotices = noticesOf(bob);
    await waitFor("ada to move", () => bob.state.turn === ada.sessionId);
    await expectRejection(bob, bobNotices, "not_your_turn", () => bob.send("drop", { column: 3 }));
    await expectRejection(ada, adaNotices, "invalid", () => ada.send("drop", { column: 7 }));
    await expectRejection(ada, adaNotices, "game_not_over", () => ada.send("rematch", {}));

    await play([ada, bob], [3, 3, 3, 3, 3, 3]);
    const mover = [ada, bob].find((r) => r.state.turn === r.sessionId)!;
    await expectRejection(mover, mover === ada ? adaNotices : bobNotices, "column_full", () => mover.send("drop", { column: 3 }));

    await play([ada, bob], [0, 6, 0, 6, 0, 6, 0]);
    await waitFor("a winner", () => ada.state.winner !== "");
    await expectRejection(bob, bobNotices, "game_over", () => bob.send("drop", { column: 1 }));
    assert.equal(ada.connection.isOpen && bob.connection.isOpen, true, "refused moves cost no connection");
    await ada.leave(); await bob.leave();
  });

  it("starts a rematch once both players ask, with the wins kept and the other player moving first", async () => {
    const [ada, bob] = await seatTwo();
    await play([ada, bob], QUICK_WIN);
    await waitFor("ada's win", () => bob.state.winner === ada.sessionId);
    bob.send("rematch", {});
    await waitFor("bob's request seen by ada", () => player(ada, bob)?.rematch === true);
    assert.equal(ada.state.winner, ada.sessionId, "one request starts nothing");
    ada.send("rematch", {});
    await waitFor("a new game on both clients", () => [ada, bob].every((r) => r.state.winner === "" && r.state.moves === 0));
    for (const room of [ada, bob]) {
      assert.ok(board(room).every((cell) => cell === 0));
      assert.equal(room.state.turn, bob.sessionId);
      assert.equal(player(room, ada)!.wins, 1);
      assert.equal(player(room, ada)!.rematch, false);
    }
    await play([ada, bob], [2]);
    assert.equal(board(ada)[cellAt(5, 2)], 2, "bob's disc");
    await ada.leave(); await bob.leave();
  });

  it("keeps a dropped player's seat, board and turn, and lets it play on after reconnecting", async () => {
    const [ada, bob] = await seatTwo();
    // The SDK only auto-reconnects rooms it has been in for 5 s by default.
    ada.reconnection.minUptime = 0;
    await play([ada, bob], [3, 4]);
    const before = { sessionId: ada.sessionId, board: board(ada) };

    const reconnected = nextEvent("ada's reconnection", (done) => ada.onReconnect.once(() => done()), 10_000);
    const live = server.room(ada.roomId);
    // Cut the socket without a close handshake, as a network failure would.
    (live.clients.getById(ada.sessionId)!.ref as unknown as { terminate(): void }).terminate();
    await waitFor("bob sees ada disconnected", () => player(bob, ada)?.connected === false);
    await reconnected;

    assert.equal(ada.sessionId, before.sessionId);
    await waitFor("ada connected again", () => player(bob, ada)?.connected === true);
    assert.equal(player(ada)!.seat, 1);
    assert.deepEqual(board(ada), before.board);
    assert.equal(ada.state.turn, ada.sessionId);
    await play([ada, bob], [3]);
    assert.equal(board(bob)[cellAt(4, 3)], 1);
    await ada.leave(); await bob.leave();
  });

  it("shows a spectator every move; a spectator takes no seat and cannot play", async () => {
    const [ada, bob] = await seatTwo();
    const eve = await server.client().joinById(ada.roomId, { name: "eve", spectate: true }, FourState);
    const eveNotices = noticesOf(eve);
    await waitFor("eve to see both players", () => eve.state.players.size === 2 && eve.state.turn === ada.sessionId);
    assert.equal(player(eve), undefined, "no seat for a spectator");
    // Every board eve decodes, in order: one more disc per patch.
    const seen: string[] = [];
    eve.onStateChange((state) => {
      const board = Array.from(state.board).join("");
      if (board !== seen.at(-1)) seen.push(board);
    });
    const before = await rejected(server.url, "spectator");
    eve.send("drop", { column: 0 });
    await waitFor("eve's drop rejected", () => eveNotices.find((n) => n.reason === "spectator"));
    assert.equal(await rejected(server.url, "spectator"), before + 1);
    await play([ada, bob, eve], QUICK_WIN);
    await waitFor("eve sees ada win", () => eve.state.winner === ada.sessionId);
    assert.deepEqual(seen.map((b) => b.replace(/0/g, "").length), [1, 2, 3, 4, 5, 6, 7], "eve saw each of the seven moves");
    assert.deepEqual(board(eve), board(ada));
    await ada.leave(); await bob.leave(); await eve.leave();
  });

  it("gives the game to the other player when one leaves mid-game, and seats a newcomer for a fresh game", async () => {
    const [ada, bob] = await seatTwo();
    await play([ada, bob], [3, 4]);
    await bob.leave();
    await waitFor("ada wins by forfeit", () => ada.state.winner === ada.sessionId && ada.state.players.size === 1);
    assert.equal(player(ada)!.wins, 1);
    const cy = await server.client().joinById(ada.roomId, { name: "cy" }, FourState);
    await waitFor("a fresh game with cy in seat 2", () => ada.state.moves === 0 && ada.state.turn === ada.sessionId && player(ada, cy)?.seat === 2);
    assert.equal(player(cy)!.wins, 0);
    assert.ok(board(cy).every((cell) => cell === 0));
    await ada.leave(); await cy.leave();
  });
});

describe("four in a row move timer", () => {
  let server: TestServer;
  before(async () => { server = await bootServer({ FOUR_TURN_SECONDS: "1" }); });
  after(async () => { await server.close(); });

  it("forfeits the game of a player who does not move in time, and tells everyone", async () => {
    const ada = await server.client().create("four", { name: "ada" }, FourState);
    const bob = await server.client().joinById(ada.roomId, { name: "bob" }, FourState);
    await waitFor("the game to begin", () => bob.state.turn === ada.sessionId);
    assert.equal(bob.state.turnSeconds, 1);
    // Ada moves; bob does not.
    ada.send("drop", { column: 3 });
    await waitFor("ada's move", () => bob.state.moves === 1 && bob.state.turn === bob.sessionId);
    await waitFor("bob's time to run out", () => bob.state.winner === ada.sessionId, 10_000);
    assert.equal(player(bob, ada)!.wins, 1);
    assert.equal(bob.state.moves, 1, "the board stays as it was");
    await ada.leave(); await bob.leave();
  });
});
