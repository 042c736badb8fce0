// What a newcomer and a crowded room look like in a real browser: the hint
// before a fresh snake moves, the crash card beside (not over) the place of
// death, name labels that never overlap in a full room, and the phone HUD.

import assert from "node:assert/strict";
import { Client, type Room } from "@colyseus/sdk";
import type { Browser, Page } from "playwright-core";
import { mirrorSnake } from "../../rooms/snek/mirror.ts";
import { spawnBody, type Cell, type Dir } from "../../rooms/snek/rules.ts";
import type { SnekRoom } from "../../rooms/snek/SnekRoom.ts";
import { waitFor } from "../support/wait.ts";
import { skipWithoutBrowser, hookOf, launchBrowser, resultPath, waitForHook } from "./browser.ts";
import { openGame, startTarget, type Target } from "./support.ts";

/** Lays a snake out on the live room and shows it to clients at once (mirrored), moving unless `waiting`. */
function arrange(live: SnekRoom, sessionId: string, head: Cell, dir: Dir, waiting = false): void {
  const snake = live.world.snakes.get(sessionId)!;
  snake.body = spawnBody(head, dir, 3);
  snake.dir = dir;
  snake.turns = [];
  snake.alive = true;
  snake.waitTicks = waiting ? 10_000 : 0;
  const player = live.state.players.get(sessionId);
  if (player) mirrorSnake(player, snake);
}

describe("web client: first seconds, crashes, crowds and phones", function () {
  this.timeout(90_000);
  let target: Target;
  let browser: Browser;
  const bots: Room[] = [];

  before(async function () {
    skipWithoutBrowser(this);
    target = await startTarget();
    browser = await launchBrowser();
  });
  after(async () => {
    await Promise.all(bots.map((room) => room.leave().catch(() => undefined)));
    await browser?.close();
    await target?.close();
  });

  const live = (page: Page) => hookOf(page).then((h) => ({ room: target.local!.room(h.roomId!), sessionId: h.sessionId! }));

  it("shows a countdown hint until the first key, which starts the snake", async () => {
    const page = await openGame(await browser.newContext({ viewport: { width: 960, height: 600 } }), target.baseUrl, "/?name=newbie&play=1");
    await page.locator("#start-hint").waitFor({ state: "visible", timeout: 5000 });
    assert.match(await page.locator("#start-hint").innerText(), /Turn to start .* off by itself in \d s/);
    const before = (await hookOf(page)).you!;
    const sameWay = { up: "ArrowUp", down: "ArrowDown", left: "ArrowLeft", right: "ArrowRight" }[before.dir];
    await page.keyboard.press(sameWay);
    await waitForHook(page, "the snake to move off its spawn", `h.you && (h.you.x !== ${before.x} || h.you.y !== ${before.y})`, 5000);
    await page.locator("#start-hint").waitFor({ state: "hidden", timeout: 5000 });
    await page.context().close();
  });

  it("puts the crash card where it leaves the place of death visible (death at the top, then at the bottom)", async () => {
    const page = await openGame(await browser.newContext({ viewport: { width: 960, height: 600 } }), target.baseUrl, "/?name=crasher&play=1");
    const { room, sessionId } = await live(page);
    const height = room.world.config.height;
    for (const [head, dir] of [[{ x: 20, y: 1 }, "up"], [{ x: 20, y: height - 2 }, "down"]] as const) {
      await waitFor("the snake alive", async () => {
        const h = await hookOf(page);
        if (h.you?.alive === false) await page.keyboard.press("Space");
        return h.you?.alive;
      }, 10_000, 100);
      arrange(room, sessionId, head, dir);
      await page.locator("#death-overlay").waitFor({ state: "visible", timeout: 5000 });
      // Past the card's placement: the frame after it showed.
      const hook = await waitForHook(page, "a frame drawn after the death", "h.you && !h.you.alive && h.layout && h.layout.focus", 5000);
      const stage = (await page.locator("#stage").boundingBox())!;
      const card = (await page.locator("#death-overlay .overlay-box").boundingBox())!;
      const spot = { x: stage.x + hook.layout!.focus!.x, y: stage.y + hook.layout!.focus!.y };
      await page.screenshot({ path: resultPath(`web-crash-${dir}.png`) });
      const margin = 10; // about a cell on this board
      const covered = spot.x > card.x - margin && spot.x < card.x + card.width + margin && spot.y > card.y - margin && spot.y < card.y + card.height + margin;
      assert.ok(!covered, `death at ${JSON.stringify(spot)} under the card ${JSON.stringify(card)}`);
    }
    await page.context().close();
  });

  it("never draws two name labels over each other in a 32-snake room, and keeps them inside the canvas", async () => {
    const first = await new Client(target.baseUrl).create("snek", { name: "crowd-00" });
    bots.push(first);
    for (let i = 1; i < 31; i++) bots.push(await new Client(target.baseUrl).joinById(first.roomId, { name: `crowd-${String(i).padStart(2, "0")}` }));
    const page = await openGame(await browser.newContext({ viewport: { width: 960, height: 600 } }), target.baseUrl, `/?name=me-in-crowd&room=${first.roomId}`);
    const { room, sessionId } = await live(page);
    // A crowd: 32 heads two cells apart in a block, names long enough to collide, along the bottom wall too.
    const ids = [sessionId, ...bots.map((b) => b.sessionId)];
    ids.forEach((id, i) => arrange(room, id, { x: 8 + (i % 8) * 3, y: room.world.config.height - 1 - Math.floor(i / 8) * 2 }, "right", true));
    await waitForHook(page, "32 snakes drawn", "h.snakes.length === 32 && h.layout && h.layout.labels.length > 0", 10_000);
    const canvas = (await page.locator("#stage canvas").boundingBox())!;
    const stage = (await page.locator("#stage").boundingBox())!;
    await page.screenshot({ path: resultPath("web-crowd-labels.png") });
    for (let sample = 0; sample < 5; sample++) {
      const { layout } = await hookOf(page);
      const labels = layout!.labels;
      assert.ok(labels.some((l) => l.sessionId === sessionId), "your own label is always shown");
      for (const [i, a] of labels.entries()) {
        assert.ok(a.left >= canvas.x - stage.x - 0.5 && a.right <= canvas.x - stage.x + canvas.width + 0.5
          && a.top >= canvas.y - stage.y - 0.5 && a.bottom <= canvas.y - stage.y + canvas.height + 0.5, `label outside the canvas: ${JSON.stringify(a)}`);
        for (const b of labels.slice(i + 1)) {
          const overlap = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
          assert.ok(!overlap, `labels overlap: ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
        }
      }
      await page.waitForTimeout(100);
    }
    await page.context().close();
  });

  it("fits the HUD on a 390 px phone: every stat and all of the top 5 inside the screen", async () => {
    const others = await new Client(target.baseUrl).create("snek", { name: "Wilhelmina-Long" });
    bots.push(others);
    for (const name of ["Bartholomew-Sn", "Maximiliana", "Christopherson"]) bots.push(await new Client(target.baseUrl).joinById(others.roomId, { name }));
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const page = await openGame(context, target.baseUrl, `/?name=phone-player-long&room=${others.roomId}`);
    await waitFor("the top 5 filled", async () => (await page.locator("#hud-top-list li").count()) === 5, 10_000, 100);
    await page.screenshot({ path: resultPath("web-phone-hud.png") });
    const outside = await page.evaluate(() => {
      const bad: string[] = [];
      const selectors = "#hud-bar .stat, #hud-bar button, #hud-name, #hud-top h2, #hud-top-list li";
      for (const el of document.querySelectorAll<HTMLElement>(selectors)) {
        const r = el.getBoundingClientRect();
        if (r.width === 0) continue; // hidden on phones by design
        if (r.left < 0 || r.right > window.innerWidth + 0.5 || r.bottom > window.innerHeight + 0.5) bad.push(`${el.id || el.className}: ${el.textContent} ${JSON.stringify(r)}`);
        // Clipped by an ancestor (overflow: hidden)?
        for (let p = el.parentElement; p; p = p.parentElement) {
          const style = getComputedStyle(p);
          if (style.overflow === "visible") continue;
          const pr = p.getBoundingClientRect();
          if (r.right > pr.right + 0.5 || r.left < pr.left - 0.5) bad.push(`${el.textContent} clipped by ${p.id || p.className}`);
          break;
        }
      }
      return bad;
    });
    assert.deepEqual(outside, []);
    await context.close();
  });
});
