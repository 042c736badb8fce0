import assert from "node:assert/strict";
import { addSnake, createWorld, queueTurn, requestRespawn, rulesConfigFor, step, DIRS, type World } from "./rules.ts";
import { restoreWorld, snapshotWorld } from "./snapshot.ts";

function drive(world: World, from: number, ticks: number): void {
  for (let t = from; t < from + ticks; t++) {
    queueTurn(world, `p${t % 6}`, DIRS[(t * 3) % 4]!);
    if (t % 23 === 0) requestRespawn(world, `p${t % 6}`);
    step(world);
  }
}

describe("room snapshots", () => {
  it("restore a world that evolves exactly like the original, through JSON", () => {
    const original = createWorld(rulesConfigFor({ maxPlayers: 8, tickHz: 10 }), 77);
    for (let i = 0; i < 6; i++) addSnake(original, `p${i}`);
    drive(original, 0, 150);
    queueTurn(original, "p1", "up"); // a queued turn must survive the move
    const restored = restoreWorld(JSON.parse(JSON.stringify(snapshotWorld(original))));
    assert.deepEqual(snapshotWorld(restored), snapshotWorld(original));
    drive(original, 150, 200);
    drive(restored, 150, 200);
    assert.deepEqual(snapshotWorld(restored), snapshotWorld(original));
  });

  it("does not share state with the world it came from", () => {
    const world = createWorld(rulesConfigFor({ maxPlayers: 4, tickHz: 10 }), 1);
    addSnake(world, "a").waitTicks = 0; // moving, so the step changes its body
    const snapshot = snapshotWorld(world);
    step(world);
    assert.notDeepEqual(snapshot.tick, world.tick);
    assert.notDeepEqual(snapshot.snakes[0]!.body, world.snakes.get("a")!.body);
  });
});
