// Four in a row in a real browser against the real server: the lobby lists
// both games, two pages play a whole game through the share link (keys and
// clicks), and a third page watches every move without a seat. Facts come
// from window.__four (the client's test hook), checked against what an SDK
// client decodes from the same room.

import assert from "node:assert/strict";
import { Client, type Room } from "@colyseus/sdk";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { FourState } from "../../rooms/four/state.ts";
import type { FourTestHook } from "../../web/src/four/fourGame.ts";
import { waitFor } from "../support/wait.ts";
import { launchBrowser, resultPath, skipWithoutBrowser } from "./browser.ts";
import { startTarget, type Target } from "./support.ts";

function fourHook(page: Page): Promise<FourTestHook> {
  return page.evaluate(() => ({ ...window.__four }));
}

async function waitForFour(page: Page, what: string, predicate: string, timeoutMs = 15_000): Promise<FourTestHook> {
  try {
    await page.waitForFunction(`(() => { const h = window.__four; return !!h && (${predicate}); })()`, undefined, { timeout: timeoutMs, polling: 50 });
  } catch (error) {
    const hook = await fourHook(page).catch(() => undefined);
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${predicate}); hook: ${JSON.stringify(hook)}`, { cause: error });
  }
  return fourHook(page);
}

describe("four in a row in Chromium", function () {
  this.timeout(90_000);
  let target: Target;
  let browser: Browser;

  before(async function () {
    skipWithoutBrowser(this);
    target = await startTarget();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await target?.close();
  });

  const newContext = (): Promise<BrowserContext> => browser.newContext({ viewport: { width: 800, height: 600 } });

  it("lists both games in the lobby, each public room with its game, a Join and a Watch link", async () => {
    const client = new Client(target.baseUrl);
    const snek = await client.joinOrCreate("snek", { name: "s" });
    const four: Room<unknown, FourState> = await client.create("four", { name: "f" }, FourState);
    const page = await (await newContext()).newPage();
    await page.goto(`${target.baseUrl}/`);
    assert.ok(await page.isVisible("#quick-play"), "Snek quick play");
    assert.ok(await page.isVisible("#quick-play-four"), "Four in a row quick play");
    const fourRow = page.locator(`#room-list li[data-room-id="${four.roomId}"]`);
    const snekRow = page.locator(`#room-list li[data-room-id="${snek.roomId}"]`);
    await fourRow.waitFor({ timeout: 10_000 });
    await snekRow.waitFor({ timeout: 10_000 });
    assert.match(await fourRow.innerText(), /Four in a row/);
    assert.match(await snekRow.innerText(), /Snek/);
    const watch = new URL(await fourRow.locator("a.watch").getAttribute("href") ?? "", target.baseUrl);
    assert.deepEqual(Object.fromEntries(watch.searchParams), { room: four.roomId, game: "four", watch: "1" });
    const snekWatch = new URL(await snekRow.locator("a.watch").getAttribute("href") ?? "", target.baseUrl);
    assert.deepEqual(Object.fromEntries(snekWatch.searchParams), { room: snek.roomId, watch: "1" });
    await page.context().close();
    await snek.leave(); await four.leave();
  });

  it("lets two pages play a whole game through the share link while a third page watches every move", async () => {
    const alice = await (await newContext()).newPage();
    await alice.goto(`${target.baseUrl}/?name=alice`);
    await alice.click("#create-private-four");
    const host = await waitForFour(alice, "alice seated", "h.seat === 1 && h.frames > 0");
    assert.ok(await alice.isVisible("#four-invite-panel"), "the invite opens by itself for a new private room");
    const link = await alice.inputValue("#four-invite-link");
    assert.deepEqual(Object.fromEntries(new URL(link).searchParams), { room: host.roomId, game: "four" });
    assert.match(await alice.innerText("#four-headline"), /Waiting for an opponent/);

    // Bob is on a touch screen: he taps as well as clicks.
    const bob = await (await browser.newContext({ viewport: { width: 800, height: 600 }, hasTouch: true })).newPage();
    await bob.goto(`${link}&name=bob`);
    await waitForFour(bob, "bob seated", "h.seat === 2 && h.frames > 0");
    const watcher = await (await newContext()).newPage();
    await watcher.goto(`${target.baseUrl}/?room=${host.roomId}&game=four&watch=1&name=eve`);
    await waitForFour(watcher, "the watcher in the room", `h.roomId === ${JSON.stringify(host.roomId)} && h.spectator && h.frames > 0`);
    assert.ok(await watcher.isVisible("#four-watching"));
    assert.equal((await fourHook(watcher)).seat, undefined);

    // An SDK client in the same room: the truth the pages are checked against.
    const truth: Room<unknown, FourState> = await new Client(target.baseUrl).joinById(host.roomId!, { name: "truth", spectate: true }, FourState);
    await waitFor("two players seen", () => truth.state.players.size === 2);
    const watched: string[] = [];
    await watcher.exposeFunction("recordBoard", (board: string) => void watched.push(board));
    await watcher.evaluate(() => {
      let last = "";
      setInterval(() => { if (window.__four.board !== last) (window as unknown as { recordBoard(b: string): void }).recordBoard(last = window.__four.board); }, 20);
    });

    // Alice stacks column 0 with the 1 key; bob answers in the middle column with clicks and a tap on the board's centre.
    const canvas = await bob.locator("#four-stage canvas").boundingBox();
    assert.ok(canvas);
    for (let move = 1; move <= 7; move++) {
      const alicesTurn = move % 2 === 1;
      const mover = alicesTurn ? alice : bob;
      await waitForFour(mover, `move ${move} to be ${alicesTurn ? "alice" : "bob"}'s`, "h.yourTurn");
      if (move === 1) assert.match(await alice.innerText("#four-timer"), /^\d+ s to move$/, "the move timer is shown");
      if (alicesTurn) await alice.keyboard.press("Digit1");
      else if (move === 4) await bob.touchscreen.tap(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
      else await bob.mouse.click(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
      await waitFor(`move ${move} on the server`, () => truth.state.moves === move || truth.state.winner !== "");
      for (const page of [alice, bob, watcher]) await waitForFour(page, `move ${move} drawn`, `h.moves === ${move}`);
    }
    const won = await waitForFour(alice, "alice's win", "h.over");
    assert.equal(won.winner, won.sessionId);
    assert.match(await alice.innerText("#four-headline"), /You win/);
    assert.match(await bob.innerText("#four-headline"), /alice wins/);
    assert.match(await watcher.innerText("#four-headline"), /alice wins/);
    const board = Array.from(truth.state.board).join("");
    for (const page of [alice, bob, watcher]) assert.equal((await fourHook(page)).board, board);
    assert.equal(board.split("").filter((c) => c === "1").length, 4);
    for (const row of [3, 4, 5]) assert.equal(board[3 + 7 * row], "2", "bob's clicks and tap landed in the middle column");
    // The watcher saw the board after every one of the seven moves.
    assert.deepEqual(watched.map((b) => b.replace(/0/g, "").length).filter((n, i, all) => all.indexOf(n) === i && n > 0), [1, 2, 3, 4, 5, 6, 7]);

    // The watcher's keys and clicks play nothing.
    await watcher.keyboard.press("Digit5");
    await watcher.mouse.click(canvas.x + 10, canvas.y + canvas.height / 2);
    await bob.locator("#four-rematch").click();
    await waitFor("bob's rematch request", () => [...truth.state.players.values()].some((p) => p.rematch));
    assert.equal(Array.from(truth.state.board).join(""), board, "the board is as the players left it");
    await alice.screenshot({ path: resultPath("web-four.png") });

    await truth.leave();
    for (const page of [alice, bob, watcher]) await page.context().close();
  });
});
