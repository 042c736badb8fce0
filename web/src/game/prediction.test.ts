import assert from "node:assert/strict";
import type { Cell, Dir } from "../../../rooms/snek/rules.ts";
import { TurnPredictor, type ServerSnake } from "./prediction.ts";

const board = { width: 20, height: 20 };
/** A snake heading right with its head at (10,10). */
function movingRight(tick = 100, overrides: Partial<ServerSnake> = {}): ServerSnake {
  return { body: [{ x: 10, y: 10 }, { x: 9, y: 10 }, { x: 8, y: 10 }], dir: "right", alive: true, tick, ...overrides };
}
/** The server's view one tick later, after applying `dir`. */
function stepped(server: ServerSnake, dir: Dir): ServerSnake {
  const d: Record<Dir, Cell> = { up: { x: 0, y: -1 }, right: { x: 1, y: 0 }, down: { x: 0, y: 1 }, left: { x: -1, y: 0 } };
  const head = { x: server.body[0]!.x + d[dir].x, y: server.body[0]!.y + d[dir].y };
  return { ...server, body: [head, ...server.body.slice(0, -1)], dir, tick: server.tick + 1 };
}

describe("TurnPredictor (your turns, predicted with the shared rules)", () => {
  it("predicts straight ahead with no turns", () => {
    const p = new TurnPredictor(board).predict(movingRight(), 2);
    assert.deepEqual(p.heads, [{ x: 11, y: 10 }, { x: 12, y: 10 }]);
    assert.equal(p.facing, "right");
  });

  it("shows a turn at once: the next predicted cell follows it and the head faces it", () => {
    const predictor = new TurnPredictor(board);
    assert.equal(predictor.requestTurn("up", movingRight()), true);
    const p = predictor.predict(movingRight(), 2);
    assert.deepEqual(p.heads, [{ x: 10, y: 9 }, { x: 10, y: 8 }]);
    assert.equal(p.facing, "up");
  });

  it("applies a turn at the tick it is expected to reach the server, not sooner", () => {
    const predictor = new TurnPredictor(board);
    // Sent while the server is at tick 100, arriving during tick 102: applied by step 103.
    assert.equal(predictor.requestTurn("down", movingRight(100), 103), true);
    assert.deepEqual(predictor.predict(movingRight(100), 4).heads, [{ x: 11, y: 10 }, { x: 12, y: 10 }, { x: 12, y: 11 }, { x: 12, y: 12 }]);
    assert.equal(predictor.predict(movingRight(100), 4).facing, "down", "the head already looks the new way");
  });

  it("refuses what the server would ignore: a reversal, the same direction, a dead snake", () => {
    const predictor = new TurnPredictor(board);
    assert.equal(predictor.requestTurn("left", movingRight()), false);
    assert.equal(predictor.requestTurn("right", movingRight()), false);
    assert.equal(predictor.requestTurn("up", movingRight(100, { alive: false })), false);
    assert.deepEqual(predictor.pendingTurns, []);
  });

  it("checks a quick second turn against the first, as rules.queueTurn does (up then left from right)", () => {
    const predictor = new TurnPredictor(board);
    assert.equal(predictor.requestTurn("up", movingRight()), true);
    assert.equal(predictor.requestTurn("left", movingRight()), true);
    assert.equal(predictor.requestTurn("right", movingRight()), false, "right reverses the queued left");
    assert.deepEqual(predictor.predict(movingRight(), 2).heads, [{ x: 10, y: 9 }, { x: 9, y: 9 }]);
  });

  it("queues no more turns than the server does", () => {
    const predictor = new TurnPredictor(board, 3);
    for (const dir of ["up", "left", "down"] as const) assert.equal(predictor.requestTurn(dir, movingRight()), true);
    assert.equal(predictor.requestTurn("right", movingRight()), false);
  });

  it("drops a turn once the server has applied it, and keeps predicting the rest", () => {
    const predictor = new TurnPredictor(board);
    const t0 = movingRight();
    predictor.requestTurn("up", t0);
    predictor.requestTurn("left", t0);
    const t1 = stepped(t0, "up");
    predictor.reconcile(t1, 0.1);
    assert.deepEqual(predictor.pendingTurns, ["left"]);
    assert.deepEqual(predictor.predict(t1).heads[0], { x: 9, y: 9 });
    const t2 = stepped(t1, "left");
    predictor.reconcile(t2, 0.1);
    assert.deepEqual(predictor.pendingTurns, []);
  });

  it("keeps a turn the server has not reached yet (still in flight)", () => {
    const predictor = new TurnPredictor(board);
    const t0 = movingRight();
    predictor.requestTurn("up", t0);
    predictor.reconcile(stepped(t0, "right"), 1);
    assert.deepEqual(predictor.pendingTurns, ["up"]);
  });

  it("expires turns the server never applied (refused or lost), so the prediction rejoins the server", () => {
    const predictor = new TurnPredictor(board);
    let server = movingRight();
    predictor.requestTurn("up", server);
    for (let i = 0; i < 6; i++) {
      server = stepped(server, "right");
      predictor.reconcile(server, 0.5);
    }
    assert.deepEqual(predictor.pendingTurns, []);
    assert.deepEqual(predictor.predict(server).heads[0], { x: server.body[0]!.x + 1, y: 10 });
  });

  it("stops predicting at a wall instead of drawing the head through it", () => {
    const atWall = movingRight(100, { body: [{ x: 19, y: 10 }, { x: 18, y: 10 }, { x: 17, y: 10 }] });
    assert.deepEqual(new TurnPredictor(board).predict(atWall).heads, []);
  });

  it("forgets everything when the snake dies", () => {
    const predictor = new TurnPredictor(board);
    predictor.requestTurn("up", movingRight());
    predictor.reconcile(movingRight(101, { alive: false, body: [] }), 0);
    assert.deepEqual(predictor.pendingTurns, []);
  });
});
