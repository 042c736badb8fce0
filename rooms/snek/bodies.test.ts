import assert from "node:assert/strict";
import { Bodies } from "./bodies.ts";
import { dirCode, encodeTrail } from "./protocol.ts";
import { addSnake, createWorld, queueTurn, removeSnake, requestRespawn, rulesConfigFor, step, DIRS, type World } from "./rules.ts";

type View = Map<string, { x: number; y: number; dir: number; length: number; alive: boolean; trail?: string }>;

/**
 * What a client decodes for each snake. Like the SDK's decoded objects, a
 * player keeps the trail it had in the full state (`fullState`) on later patches.
 */
function view(world: World, full: boolean, fullState?: View): View {
  const players: View = new Map();
  for (const s of world.snakes.values()) {
    const head = s.body[0] ?? s.lastHead;
    const trail = full ? encodeTrail(s.body) : fullState?.get(s.id)?.trail;
    players.set(s.id, { x: head.x, y: head.y, dir: dirCode(s.dir), length: s.body.length, alive: s.alive, trail });
  }
  return players;
}

describe("client-side bodies", () => {
  it("rebuild every body from head moves alone, through turns, growth, deaths, respawns and late joins", () => {
    const world = createWorld(rulesConfigFor({ maxPlayers: 8, tickHz: 10 }), 99);
    for (let i = 0; i < 8; i++) addSnake(world, `p${i}`);
    const early = new Bodies();
    const stale = view(world, true);
    early.update(stale);
    let late: Bodies | undefined;
    let lateStale = stale;
    let checked = 0;
    for (let t = 0; t < 600; t++) {
      queueTurn(world, `p${(t * 3) % 8}`, DIRS[(t * 5) % 4]!);
      if (t % 17 === 0) requestRespawn(world, `p${t % 8}`);
      if (t === 300) { removeSnake(world, "p7"); addSnake(world, "p8"); }
      step(world);
      // Patches carry no trail, but a decoded object keeps the one it got in the full state.
      early.update(view(world, false, stale));
      if (t === 200) { late = new Bodies(); lateStale = view(world, true); }
      late?.update(view(world, t === 200, lateStale));
      for (const s of world.snakes.values()) {
        assert.deepEqual(early.get(s.id), s.body, `early joiner, ${s.id} at tick ${world.tick}`);
        if (late) assert.deepEqual(late.get(s.id), s.body, `late joiner, ${s.id} at tick ${world.tick}`);
        checked++;
      }
    }
    assert.equal(early.get("p7").length, 0, "a player that left has no body");
    assert.ok(checked > 4000);
  });
});
