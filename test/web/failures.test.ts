// The web client when the game cannot go on: a reconnection that fails, and a
// server that drains. Its own server, with a short seat hold and a short
// drain, so these take seconds. Both need the server in this process, so
// they skip against an injected WEB_E2E_URL.

import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { waitFor } from "../support/wait.ts";
import { skipWithoutBrowser, hookOf, launchBrowser, resultPath, waitForHook } from "./browser.ts";
import { openGame, startTarget, type Target } from "./support.ts";

describe("web client when the game cannot go on", function () {
  this.timeout(60_000);
  let target: Target;
  let browser: Browser;

  before(async function () {
    skipWithoutBrowser(this);
    if (process.env.WEB_E2E_URL) {
      console.log("    (skipping: needs the server in this process to shorten its seat hold and drain it)");
      this.skip();
    }
    target = await startTarget({ RECONNECT_SECONDS: "1", DRAIN_SECONDS: "2" });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await target?.close();
  });

  async function newPage(query: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 960, height: 600 } });
    return openGame(context, target.baseUrl, query);
  }

  it("goes back to the lobby with a clear message when reconnection fails", async () => {
    const page = await newPage("/?name=frank&play=1");
    const { roomId, sessionId } = await hookOf(page);
    // The client only reconnects rooms it has played in for a second (a drop before that is a failed
    // join, see session.ts): let 15 patches (1.5 s at 10 Hz) arrive first.
    await waitForHook(page, "a second and a half of play", "h.stats.patches >= 15", 10_000);
    await page.context().setOffline(true);
    await waitForHook(page, "reconnecting", "h.connection === 'reconnecting'", 10_000);
    // The server gives the seat away after RECONNECT_SECONDS.
    await waitFor("the server to give up the seat", () => !target.local!.room(roomId!).state.players.has(sessionId!), 10_000, 50);
    await page.context().setOffline(false);
    const hook = await waitForHook(page, "the lobby with a message", "h.screen === 'lobby' && !!h.notice", 20_000);
    assert.match(hook.notice ?? "", /could not get back in/);
    assert.ok(await page.isVisible("#lobby-notice"));
    assert.ok(await page.isVisible("#quick-play"));
    await page.screenshot({ path: resultPath("web-reconnect-failed.png") });
    await page.context().close();
  });

  it("shows a drain notice while the server drains, and then says why the game ended", async () => {
    const page = await newPage("/?name=grace&play=1");
    const draining = target.local!.lifecycle.drain();
    await page.locator("#drain-banner").waitFor({ state: "visible", timeout: 10_000 });
    assert.match(await page.innerText("#drain-banner"), /restarting/);
    await page.screenshot({ path: resultPath("web-draining.png") });
    // After DRAIN_SECONDS the room closes with 4011 and the client looks for a new game, which this
    // lone server, now gone, cannot give: the player lands in the lobby told both facts.
    const hook = await waitForHook(page, "the lobby with a message", "h.screen === 'lobby' && !!h.notice", 15_000);
    assert.match(hook.notice ?? "", /server restarted and your game ended.*(Can't reach|restarting)/);
    await draining;
    await page.context().close();
  });
});
