import assert from "node:assert/strict";
import path from "node:path";
import { tierOf } from "./support/tierReporter.ts";

describe("npm test's tiers", () => {
  it("puts each test file in the tier the README names, by its folder", () => {
    const at = (file: string) => tierOf(path.resolve(file));
    assert.equal(at("rooms/snek/rules.test.ts"), "pure");
    assert.equal(at("web/src/game/session.test.ts"), "pure");
    assert.equal(at("loadtest/brain.test.ts"), "pure");
    assert.equal(at("test/snek.test.ts"), "server");
    assert.equal(at("loadtest/loadtest.test.ts"), "server");
    assert.equal(at("test/cluster/scaleout.test.ts"), "topology");
    assert.equal(at("test/web/play.test.ts"), "topology");
    assert.equal(at("test/helm/lint.test.ts"), "topology");
    assert.equal(at("loadtest/migration.test.ts"), "topology");
  });
});
