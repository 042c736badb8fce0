// Watching a Snek room in a real browser (?room=<id>&watch=1): the page draws
// the room's snakes live, says "Watching", has no snake of its own, and its
// keys steer nothing. The player is a real SDK client.

import assert from "node:assert/strict";
import { Client, type Room } from "@colyseus/sdk";
import type { Browser } from "playwright-core";
import { SnekState } from "../../rooms/snek/state.ts";
import { skipWithoutBrowser, hookOf, launchBrowser, waitForHook } from "./browser.ts";
import { startTarget, type Target } from "./support.ts";

describe("watching a Snek room in Chromium", function () {
  this.timeout(60_000);
  let target: Target;
  let browser: Browser;
  let player: Room<unknown, SnekState> | undefined;

  before(async function () {
    skipWithoutBrowser(this);
    target = await startTarget();
    browser = await launchBrowser();
  });

  after(async () => {
    await player?.leave().catch(() => undefined);
    await browser?.close();
    await target?.close();
  });

  it("draws the room live from ?room=<id>&watch=1, says Watching, and steers nothing", async () => {
    player = await new Client(target.baseUrl).create("snek", { name: "host" }, SnekState);
    const context = await browser.newContext({ viewport: { width: 960, height: 600 } });
    const page = await context.newPage();
    await page.goto(`${target.baseUrl}/?room=${player.roomId}&watch=1`);
    const watching = await waitForHook(page, "the page watching the host's room",
      `h.screen === 'game' && h.watching && h.roomId === ${JSON.stringify(player.roomId)} && h.snakes.some((s) => s.name === 'host')`, 20_000);
    assert.equal(watching.players, 1, "the spectator is not a player");
    assert.equal(watching.you, undefined);
    assert.ok(watching.snakes.every((s) => !s.you), "no snake of its own");
    assert.ok(await page.locator("#hud-watching").isVisible(), "the HUD says Watching");
    assert.equal(new URL(page.url()).searchParams.get("watch"), "1", "a reload watches again");

    const tick = watching.tick;
    await waitForHook(page, "new ticks drawn", `h.tick > ${tick + 5}`, 10_000);
    for (const key of ["ArrowUp", "ArrowLeft", "KeyS", "Space"]) await page.keyboard.press(key);
    const after = await hookOf(page);
    assert.equal(after.stats?.turnsSent, 0, "keys send nothing while watching");
    assert.equal(after.stats?.rejected, 0, "so nothing is refused either");
    assert.deepEqual([...player.state.players.keys()], [player.sessionId], "the server has one player");
    await context.close();
  });
});
