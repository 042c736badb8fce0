import assert from "node:assert/strict";
import {
  START_WAIT_SECONDS, addSnake, boardSideFor, cellIndex, createWorld, queueTurn, requestRespawn, rulesConfigFor, spawnBody, step,
  type Cell, type Dir, type Snake, type World,
} from "./rules.ts";

const config = rulesConfigFor({ maxPlayers: 32, tickHz: 10 });

/** A world with no food (minFood 0) unless a test places some. */
function emptyWorld(seed = 1): World {
  return createWorld({ ...config, minFood: 0 }, seed);
}

/** Adds a snake and lays its body where the test wants it, already moving (past its start wait). */
function place(world: World, id: string, head: Cell, dir: Dir, length = 3): Snake {
  const snake = addSnake(world, id);
  snake.body = spawnBody(head, dir, length);
  snake.dir = dir;
  snake.waitTicks = 0;
  return snake;
}

const headOf = (s: Snake) => s.body[0];

describe("snek rules", () => {
  describe("board", () => {
    it("grows with room capacity: 48x48 for 32 players", () => {
      assert.equal(boardSideFor(32), 48);
      assert.ok(boardSideFor(64) > boardSideFor(32));
      assert.ok(boardSideFor(1) >= 16);
    });
  });

  describe("movement", () => {
    it("moves every snake one cell per tick in its direction", () => {
      const world = emptyWorld();
      const a = place(world, "a", { x: 10, y: 10 }, "right");
      const b = place(world, "b", { x: 20, y: 20 }, "up");
      step(world);
      assert.deepEqual(headOf(a), { x: 11, y: 10 });
      assert.deepEqual(headOf(b), { x: 20, y: 19 });
      assert.equal(a.body.length, 3);
      assert.deepEqual(a.body.at(-1), { x: 9, y: 10 });
    });

    it("applies a turn on the next tick, not before", () => {
      const world = emptyWorld();
      const a = place(world, "a", { x: 10, y: 10 }, "right");
      assert.equal(queueTurn(world, "a", "down"), true);
      assert.deepEqual(headOf(a), { x: 10, y: 10 });
      step(world);
      assert.deepEqual(headOf(a), { x: 10, y: 11 });
      assert.equal(a.dir, "down");
    });

    it("ignores a 180-degree reversal", () => {
      const world = emptyWorld();
      const a = place(world, "a", { x: 10, y: 10 }, "right");
      assert.equal(queueTurn(world, "a", "left"), false);
      step(world);
      assert.deepEqual(headOf(a), { x: 11, y: 10 });
    });

    it("applies queued turns in order, one per tick, so a quick double turn works", () => {
      const world = emptyWorld();
      const a = place(world, "a", { x: 10, y: 10 }, "right");
      // up then left from "right" is a U-turn done in two legal steps.
      assert.equal(queueTurn(world, "a", "up"), true);
      assert.equal(queueTurn(world, "a", "left"), true);
      step(world);
      assert.deepEqual(headOf(a), { x: 10, y: 9 });
      step(world);
      assert.deepEqual(headOf(a), { x: 9, y: 9 });
      assert.equal(a.alive, true);
    });

    it("checks a queued turn against the direction it will follow", () => {
      const world = emptyWorld();
      place(world, "a", { x: 10, y: 10 }, "right");
      assert.equal(queueTurn(world, "a", "up"), true);
      assert.equal(queueTurn(world, "a", "down"), false, "down reverses the queued up");
      assert.equal(queueTurn(world, "a", "up"), false, "same direction is a no-op");
    });

    it("caps the turn queue", () => {
      const world = emptyWorld();
      place(world, "a", { x: 10, y: 10 }, "right");
      const accepted = (["up", "left", "down", "right", "up"] as Dir[]).map((d) => queueTurn(world, "a", d));
      assert.deepEqual(accepted, [true, true, true, false, false]);
    });
  });

  describe("food and growth", () => {
    it("grows the snake by one and scores when it eats", () => {
      const world = emptyWorld();
      const a = place(world, "a", { x: 10, y: 10 }, "right");
      world.food.add(cellIndex(world, { x: 11, y: 10 }));
      const events = step(world);
      assert.deepEqual(events.ate, ["a"]);
      assert.equal(a.body.length, 4);
      assert.equal(a.score, 1);
      assert.equal(a.best, 1);
      assert.equal(world.food.has(cellIndex(world, { x: 11, y: 10 })), false);
      step(world);
      assert.equal(a.body.length, 4, "growth is one cell per food");
    });

    it("keeps the minimum food count on the board", () => {
      const world = createWorld(config, 7);
      assert.equal(world.food.size, config.minFood);
      const a = place(world, "a", { x: 10, y: 10 }, "right");
      world.food.add(cellIndex(world, { x: 11, y: 10 }));
      step(world);
      assert.equal(a.score, 1);
      assert.ok(world.food.size >= config.minFood);
    });

    it("never places food on a snake", () => {
      const world = createWorld({ ...config, width: 16, height: 16, minFood: 40 }, 3);
      for (let i = 0; i < 6; i++) addSnake(world, `s${i}`);
      for (let t = 0; t < 50; t++) {
        step(world);
        for (const snake of world.snakes.values()) {
          for (const cell of snake.body) assert.equal(world.food.has(cellIndex(world, cell)), false);
        }
      }
    });
  });

  describe("collisions", () => {
    it("kills a snake that hits a wall", () => {
      const world = emptyWorld();
      const a = place(world, "a", { x: config.width - 1, y: 5 }, "right");
      const events = step(world);
      assert.deepEqual(events.died, [{ id: "a", cause: "wall" }]);
      assert.equal(a.alive, false);
      assert.deepEqual(a.lastHead, { x: config.width - 1, y: 5 }, "shown where it was, on the board");
    });

    it("kills a snake that runs into itself", () => {
      const world = emptyWorld();
      const a = place(world, "a", { x: 10, y: 10 }, "right", 5);
      queueTurn(world, "a", "down");
      queueTurn(world, "a", "left");
      queueTurn(world, "a", "up");
      step(world); step(world);
      const events = step(world);
      assert.deepEqual(events.died, [{ id: "a", cause: "self" }]);
      assert.equal(a.alive, false);
    });

    it("kills a snake that runs into another snake's body", () => {
      const world = emptyWorld();
      const a = place(world, "a", { x: 10, y: 10 }, "right");
      const b = place(world, "b", { x: 11, y: 9 }, "up", 4);
      b.body = [{ x: 11, y: 9 }, { x: 11, y: 10 }, { x: 11, y: 11 }, { x: 11, y: 12 }];
      b.dir = "up";
      const events = step(world);
      assert.deepEqual(events.died, [{ id: "a", cause: "snake" }]);
      assert.equal(a.alive, false);
      assert.equal(b.alive, true);
    });

    it("kills both snakes when two heads meet in one cell", () => {
      const world = emptyWorld();
      const a = place(world, "a", { x: 10, y: 10 }, "right");
      const b = place(world, "b", { x: 12, y: 10 }, "left");
      const events = step(world);
      assert.deepEqual(events.died.map((d) => d.cause), ["head-on", "head-on"]);
      assert.equal(a.alive, false);
      assert.equal(b.alive, false);
    });

    it("kills both snakes when their heads swap cells", () => {
      const world = emptyWorld();
      const a = place(world, "a", { x: 10, y: 10 }, "right");
      const b = place(world, "b", { x: 11, y: 10 }, "left");
      step(world);
      assert.equal(a.alive, false);
      assert.equal(b.alive, false);
    });

    it("lets a head enter the cell a tail leaves on the same tick", () => {
      const world = emptyWorld();
      const a = place(world, "a", { x: 10, y: 10 }, "right", 4);
      // Chase its own tail around a 2x2 square.
      a.body = [{ x: 10, y: 10 }, { x: 10, y: 11 }, { x: 11, y: 11 }, { x: 11, y: 10 }];
      a.dir = "up";
      queueTurn(world, "a", "right");
      step(world);
      assert.equal(a.alive, true);
      assert.deepEqual(headOf(a), { x: 11, y: 10 });
    });

    it("turns part of a dead snake into food", () => {
      const world = emptyWorld();
      place(world, "a", { x: config.width - 1, y: 5 }, "right", 6);
      const events = step(world);
      assert.ok(events.foodAdded.length >= 2);
      assert.equal(world.food.size, events.foodAdded.length);
    });
  });

  describe("a fresh snake (the first seconds of a newcomer)", () => {
    const ticksFor = (seconds: number) => Math.round(seconds * 10);

    it("an idle spawn is not in danger within its grace period: it lives 10 s and more with no input, on an empty board", () => {
      for (let seed = 1; seed <= 200; seed++) {
        const world = createWorld(config, seed);
        const snake = addSnake(world, "idle");
        const spawnedAt = { ...snake.body[0]! };
        for (let t = 1; t <= ticksFor(10); t++) {
          step(world);
          assert.ok(snake.alive, `seed ${seed}: died after ${t} ticks`);
          if (t <= config.startWaitTicks) assert.deepEqual(snake.body[0], spawnedAt, `seed ${seed}: moved while waiting`);
        }
      }
    });

    it("waits START_WAIT_SECONDS at most, then sets off on its own", () => {
      assert.equal(config.startWaitTicks, ticksFor(START_WAIT_SECONDS));
      const world = emptyWorld();
      const snake = addSnake(world, "a");
      const head = { ...snake.body[0]! };
      for (let t = 0; t < config.startWaitTicks; t++) step(world);
      assert.deepEqual(snake.body[0], head);
      step(world);
      assert.notDeepEqual(snake.body[0], head);
    });

    it("starts on its player's first turn, including one the way it already faces", () => {
      for (const sameWay of [true, false]) {
        const world = emptyWorld();
        const snake = addSnake(world, "a");
        const head = { ...snake.body[0]! };
        const dir = sameWay ? snake.dir : (snake.dir === "up" || snake.dir === "down" ? "left" : "up");
        assert.equal(queueTurn(world, "a", dir), true);
        step(world);
        assert.equal(snake.dir, dir);
        assert.notDeepEqual(snake.body[0], head);
        assert.equal(snake.waitTicks, 0);
      }
    });

    it("is an obstacle while it waits: a snake running into it dies, the waiting one lives", () => {
      const world = emptyWorld();
      const waiting = addSnake(world, "waiting");
      const head = waiting.body[0]!;
      const runner = place(world, "runner", { x: head.x, y: head.y - 1 }, "down", 3);
      runner.body = [{ x: head.x, y: head.y - 1 }, { x: head.x, y: head.y - 2 }, { x: head.x, y: head.y - 3 }];
      const events = step(world);
      assert.equal(runner.alive, false);
      assert.deepEqual(events.died, [{ id: "runner", cause: "snake" }]);
      assert.equal(waiting.alive, true);
    });

    it("spawns facing its longest free run, never straight at a near wall", () => {
      for (let seed = 1; seed <= 100; seed++) {
        const world = emptyWorld(seed);
        const { body: [head], dir } = addSnake(world, "a");
        const runs = { up: head!.y, down: config.height - 1 - head!.y, left: head!.x, right: config.width - 1 - head!.x };
        assert.equal(runs[dir], Math.max(...Object.values(runs)), `seed ${seed}`);
        assert.ok(runs[dir] >= config.width / 2 - 1, `seed ${seed}: run ${runs[dir]}`);
      }
    });
  });

  describe("respawn", () => {
    it("respawns on request at the next tick", () => {
      const world = emptyWorld();
      const a = place(world, "a", { x: config.width - 1, y: 5 }, "right");
      step(world);
      assert.equal(a.alive, false);
      assert.equal(requestRespawn(world, "a"), true);
      const events = step(world);
      assert.deepEqual(events.spawned, ["a"]);
      assert.equal(a.alive, true);
      assert.equal(a.body.length, config.startLength);
      assert.equal(a.score, 0);
    });

    it("refuses a respawn request while alive", () => {
      const world = emptyWorld();
      place(world, "a", { x: 10, y: 10 }, "right");
      assert.equal(requestRespawn(world, "a"), false);
    });

    it("respawns automatically after 3 seconds of ticks", () => {
      const world = emptyWorld();
      const a = place(world, "a", { x: config.width - 1, y: 5 }, "right");
      step(world);
      for (let t = 1; t < config.respawnDelayTicks; t++) {
        step(world);
        assert.equal(a.alive, false, `still dead after ${t} ticks`);
      }
      step(world);
      assert.equal(a.alive, true);
      assert.equal(config.respawnDelayTicks, 30);
    });

    it("spawns at a free spot away from other snakes, facing into the board", () => {
      const world = emptyWorld(42);
      const blockers: Snake[] = [];
      for (let i = 0; i < 8; i++) blockers.push(place(world, `b${i}`, { x: 5 + i * 5, y: 24 }, "up", 10));
      for (let i = 0; i < 20; i++) {
        const s = addSnake(world, `s${i}`);
        const others = blockers.flatMap((b) => b.body);
        const distance = Math.min(...s.body.flatMap((c) => others.map((o) => Math.max(Math.abs(c.x - o.x), Math.abs(c.y - o.y)))));
        assert.ok(distance >= config.spawnMargin, `spawn ${i} is ${distance} cells from a snake`);
        const next = { x: s.body[0]!.x + (s.dir === "right" ? 1 : s.dir === "left" ? -1 : 0), y: s.body[0]!.y + (s.dir === "down" ? 1 : s.dir === "up" ? -1 : 0) };
        assert.ok(next.x >= 0 && next.y >= 0 && next.x < config.width && next.y < config.height, "first move stays on the board");
        world.snakes.delete(s.id);
      }
    });
  });

  describe("determinism", () => {
    function play(seed: number): string {
      const world = createWorld(config, seed);
      for (let i = 0; i < 10; i++) addSnake(world, `p${i}`);
      const dirs: Dir[] = ["up", "right", "down", "left"];
      for (let t = 0; t < 300; t++) {
        queueTurn(world, `p${t % 10}`, dirs[(t * 7) % 4]!);
        if (t % 40 === 0) requestRespawn(world, `p${t % 10}`);
        step(world);
      }
      return JSON.stringify({ tick: world.tick, rng: world.rng.state, food: [...world.food], snakes: [...world.snakes.values()] });
    }

    it("evolves identically from the same seed and inputs", () => {
      assert.equal(play(1234), play(1234));
    });

    it("differs under another seed", () => {
      assert.notEqual(play(1234), play(4321));
    });
  });
});
