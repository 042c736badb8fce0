// The web client in a real browser against the real server: joining,
// sharing a room, turning, reconnecting, and what the player sees when
// things go wrong. Facts come from window.__snek (the client's test hook)
// and from the server's own state; pixels only for "the canvas is not blank".

import assert from "node:assert/strict";
import { Client, type Room } from "@colyseus/sdk";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { SnekState } from "../../rooms/snek/state.ts";
import { waitFor } from "../support/wait.ts";
import { skipWithoutBrowser, hookOf, launchBrowser, resultPath, waitForHook } from "./browser.ts";
import { ARROW_KEYS, SWIPE, WASD_KEYS, openGame, startTarget, turnAndConfirm, type Target } from "./support.ts";

describe("web client in Chromium", function () {
  this.timeout(60_000);
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

  async function newContext(): Promise<BrowserContext> {
    // Small windows: several pages render at once on CI's two cores.
    const context = await browser.newContext({ viewport: { width: 960, height: 600 } });
    return context;
  }

  let alice: Page;
  let bob: Page;
  let roomId: string;

  it("puts two pages that quick-join in the same room, each drawing both snakes", async () => {
    // Alice forces WebGL; everyone else gets the renderer the client picks (Canvas 2D on CI's software GL).
    alice = await openGame(await newContext(), target.baseUrl, "/?name=alice&play=1&renderer=webgl");
    bob = await openGame(await newContext(), target.baseUrl, "/?name=bob&play=1");
    const [a, b] = [await hookOf(alice), await hookOf(bob)];
    assert.ok(a.roomId);
    assert.equal(a.roomId, b.roomId);
    roomId = a.roomId;
    // Snakes die at walls when nobody steers; a dead one is respawned at once so both are on the board.
    await waitFor("each page to draw alice's and bob's snakes in one frame", async () => {
      const hooks = await Promise.all([alice, bob].map(hookOf));
      await Promise.all([alice, bob].map((page, i) => hooks[i]!.you?.alive === false ? page.keyboard.press("Space") : undefined));
      return hooks.every((h) => h.players === 2 && ["alice", "bob"].every((name) => h.snakes.some((s) => s.name === name)));
    }, 20_000, 100);
    // The address now names the room, so it can be shared or reloaded.
    assert.equal(new URL(alice.url()).searchParams.get("room"), roomId);
  });

  it("turns the player's snake on a key press (arrows and WASD) and on a swipe, as the server sees it", async () => {
    await turnAndConfirm(alice, target, ARROW_KEYS);
    await turnAndConfirm(bob, target, WASD_KEYS);
    await turnAndConfirm(alice, target, SWIPE);
    const hook = await hookOf(alice);
    assert.ok((hook.stats?.turnsSent ?? 0) >= 1);
  });

  it("draws a non-blank board with the player's snake in its colour, in WebGL and in Canvas 2D (screenshots saved)", async () => {
    for (const [page, file] of [[alice, "web-game.png"], [bob, "web-game-canvas.png"]] as const) {
      const colour = await page.evaluate(() => getComputedStyle(document.getElementById("hud-swatch")!).backgroundColor);
      let stats: Awaited<ReturnType<typeof pixelStats>> | undefined;
      // Unsteered snakes hit walls: capture again if the player died between the check and the shot.
      for (let attempt = 0; attempt < 5 && !(stats && stats.snakePixels > 20); attempt++) {
        await waitFor("the player alive and drawn", async () => {
          const h = await hookOf(page);
          if (h.you?.alive === false) await page.keyboard.press("Space");
          return h.you?.alive && h.snakes.some((s) => s.you);
        }, 15_000, 100);
        const canvasShot = await page.locator("#stage canvas").screenshot();
        stats = await pixelStats(page, canvasShot, colour);
      }
      // The saved picture is for people: show both snakes if they are both alive within a few seconds.
      await waitFor("both snakes on screen", async () => {
        await Promise.all([alice, bob].map(async (p) => ((await hookOf(p)).you?.alive === false ? p.keyboard.press("Space") : undefined)));
        return (await hookOf(page)).snakes.length === 2;
      }, 5000, 100).catch(() => undefined);
      await page.screenshot({ path: resultPath(file) });
      const what = `${file} (${(await hookOf(page)).renderer})`;
      assert.ok(stats);
      assert.ok(stats.distinctColours > 20, `${what}: only ${stats.distinctColours} colours in the canvas`);
      assert.ok(stats.nonBackgroundShare > 0.5, `${what}: only ${(stats.nonBackgroundShare * 100).toFixed(1)}% of the canvas differs from the page`);
      assert.ok(stats.snakePixels > 20, `${what}: the player's colour ${colour} covers only ${stats.snakePixels} pixels`);
    }
    assert.equal((await hookOf(alice)).renderer, "webgl");
    await bob.context().close();
  });

  it("joins the room named by ?room=", async () => {
    const carol = await openGame(await newContext(), target.baseUrl, `/?room=${roomId}&name=carol`);
    const hook = await waitForHook(carol, "carol drawn beside alice", "h.snakes.some((s) => s.you) && h.players >= 2", 15_000);
    assert.equal(hook.roomId, roomId);
    await carol.context().close();
  });

  it("joins by a typed code, and lists public rooms live with their player counts", async () => {
    const page = await (await newContext()).newPage();
    await page.goto(`${target.baseUrl}/`);
    const row = page.locator(`#room-list li[data-room-id="${roomId}"]`);
    await row.waitFor({ timeout: 10_000 });
    const countIn = async (): Promise<number> => Number((await row.innerText()).match(/(\d+)\/\d+ players/)?.[1]);
    const before = await countIn();
    assert.ok(before >= 1);
    // Another player arrives: the count updates without a reload.
    const extra = await new Client(target.baseUrl).joinById(roomId, { name: "dave" }, SnekState);
    await waitFor(`the listing to show ${before + 1} players`, async () => (await countIn()) === before + 1, 10_000);

    await page.fill("#name-input", "erin");
    await page.fill("#code-input", roomId);
    await page.click("#join-code");
    const hook = await waitForHook(page, "in the room", "h.screen === 'game' && h.connection === 'open'", 15_000);
    assert.equal(hook.roomId, roomId);
    await page.context().close();
    await extra.leave();
  });

  it("creates a private room with a share link and a working copy button; the link joins that room", async () => {
    const context = await newContext();
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: target.baseUrl });
    const host = await context.newPage();
    await host.goto(`${target.baseUrl}/?name=host`);
    await host.click("#create-private");
    const hook = await waitForHook(host, "in the private room", "h.screen === 'game' && h.connection === 'open'", 15_000);
    const link = await host.inputValue("#invite-link");
    assert.ok(await host.isVisible("#invite-panel"), "the invite panel opens by itself");
    assert.equal(new URL(link).searchParams.get("room"), hook.roomId);
    await host.click("#invite-copy");
    await waitFor("the copy button to confirm", async () => (await host.innerText("#invite-copy")) === "Copied!", 5000);
    assert.equal(await host.evaluate(() => navigator.clipboard.readText()), link);

    // Private rooms never show in the public list.
    const rooms = (await (await fetch(`${target.baseUrl}/api/rooms`)).json()) as { roomId: string }[];
    assert.ok(!rooms.some((room) => room.roomId === hook.roomId));

    const guest = await (await newContext()).newPage();
    await guest.goto(link);
    const guestHook = await waitForHook(guest, "the guest in the private room", "h.screen === 'game' && h.players === 2", 15_000);
    assert.equal(guestHook.roomId, hook.roomId);
    await guest.context().close();
    await context.close();
  });

  it("shows a Reconnecting overlay when the network drops, and play resumes when it returns", async () => {
    const context = alice.context();
    const before = await hookOf(alice);
    await context.setOffline(true);
    await waitForHook(alice, "the reconnecting state", "h.connection === 'reconnecting'", 10_000);
    await alice.locator("#reconnect-overlay").waitFor({ state: "visible", timeout: 5000 });
    assert.equal(await alice.innerText("#hud-connection"), "Reconnecting…");
    await alice.screenshot({ path: resultPath("web-reconnecting.png") });

    await context.setOffline(false);
    await waitForHook(alice, "the connection back", "h.connection === 'open'", 15_000);
    await alice.locator("#reconnect-overlay").waitFor({ state: "hidden", timeout: 5000 });
    const after = await hookOf(alice);
    assert.equal(after.sessionId, before.sessionId, "the same seat, not a new join");
    assert.equal(after.stats?.reconnects, (before.stats?.reconnects ?? 0) + 1);
    await waitForHook(alice, "ticks after the reconnect", `h.tick > ${after.tick + 5}`, 10_000);
    await turnAndConfirm(alice, target, ARROW_KEYS);
  });

  it("reconnects by itself when its socket is killed, showing the overlay meanwhile", async function () {
    if (!target.local) this.skip(); // needs the server's end of the socket
    const before = await hookOf(alice);
    // The reconnect takes a fraction of a second, so the page records the overlay's appearance itself.
    await alice.evaluate(() => {
      const overlay = document.getElementById("reconnect-overlay")!;
      const seen = (): void => {
        if (!overlay.hidden) document.body.dataset.reconnectOverlaySeen = "yes";
      };
      new MutationObserver(seen).observe(overlay, { attributes: true, attributeFilter: ["hidden"] });
    });
    const client = target.local.room(before.roomId!).clients.find((c) => c.sessionId === before.sessionId);
    assert.ok(client, "the server knows alice's socket");
    (client as unknown as { ref: { terminate(): void } }).ref.terminate();
    await waitForHook(alice, "a reconnect", `h.stats && h.stats.reconnects > ${before.stats?.reconnects ?? 0} && h.connection === 'open'`, 15_000);
    assert.equal(await alice.evaluate(() => document.body.dataset.reconnectOverlaySeen), "yes");
    assert.equal((await hookOf(alice)).sessionId, before.sessionId);
    await turnAndConfirm(alice, target, ARROW_KEYS);
  });

  it("picks up where the game is after the tab was hidden", async () => {
    const setHidden = (hidden: boolean): Promise<void> => alice.evaluate((value) => {
      Object.defineProperty(document, "hidden", { value, configurable: true });
      Object.defineProperty(document, "visibilityState", { value: value ? "hidden" : "visible", configurable: true });
      document.dispatchEvent(new Event("visibilitychange"));
    }, hidden);
    await setHidden(true);
    const hidden = await hookOf(alice);
    // Phaser stops drawing while hidden; patches keep arriving.
    await waitForHook(alice, "ticks while hidden", `h.tick > ${hidden.tick + 15}`, 10_000);
    await setHidden(false);
    await waitForHook(alice, "frames again", `h.frames > ${hidden.frames + 10}`, 10_000);
    await turnAndConfirm(alice, target, ARROW_KEYS);
  });

  it("renders player names as text, never as HTML", async () => {
    const page = await openGame(await newContext(), target.baseUrl, `/?room=${roomId}&name=${encodeURIComponent("<b>x</b><i>y")}`);
    await waitForHook(page, "the HUD filled in", "h.players >= 2", 10_000);
    await waitFor("the name in the HUD", async () => (await page.innerText("#hud-name")) === "<b>x</b><i>y", 5000);
    assert.equal(await page.locator("#hud-name b, #hud-name i, #hud-top-list b, #hud-top-list i").count(), 0);
    await page.context().close();
  });

  it("says clearly when a room does not exist, or is full", async () => {
    const page = await (await newContext()).newPage();
    await page.goto(`${target.baseUrl}/?room=nosuchroom`);
    const hook = await waitForHook(page, "the lobby with a message", "h.screen === 'lobby' && !!h.notice", 10_000);
    assert.match(hook.notice ?? "", /Room "nosuchroom" was not found/);
    assert.match(await page.innerText("#lobby-notice"), /was not found/);

    // Fill alice's room with SDK players until the server refuses one as full, then try to join it from
    // the lobby. Not from the listing's count: behind the edge that count in Redis can lag the room.
    const listing = ((await (await fetch(`${target.baseUrl}/api/rooms`)).json()) as { roomId: string; maxClients: number }[])
      .find((room) => room.roomId === roomId);
    assert.ok(listing);
    const fillers: Room[] = [];
    let refusal: unknown;
    while (refusal === undefined && fillers.length <= listing.maxClients) {
      await new Client(target.baseUrl).joinById(roomId, { name: "filler" }, SnekState).then((room) => fillers.push(room), (error: unknown) => { refusal = error; });
    }
    assert.match(String((refusal as Error | undefined)?.message), /full/, "the room refused a player once full");
    await page.fill("#code-input", roomId);
    await page.click("#join-code");
    const full = await waitForHook(page, "the full-room message", "h.screen === 'lobby' && !!h.notice && h.notice !== " + JSON.stringify(hook.notice), 10_000);
    assert.match(full.notice ?? "", /full/);
    await Promise.all(fillers.map((room) => room.leave()));
    await page.context().close();
  });

  it("says clearly when the server cannot be reached", async () => {
    const page = await (await newContext()).newPage();
    await page.goto(`${target.baseUrl}/`);
    await page.route("**/matchmake/**", (route) => route.abort("connectionrefused"));
    await page.click("#quick-play");
    const hook = await waitForHook(page, "the unreachable message", "h.screen === 'lobby' && !!h.notice", 10_000);
    assert.match(hook.notice ?? "", /Can't reach the game server/);
    await page.context().close();
  });
});

/** Decodes a PNG screenshot in the page and counts what is in it. */
async function pixelStats(page: Page, png: Buffer, snakeCss: string): Promise<{ distinctColours: number; nonBackgroundShare: number; snakePixels: number }> {
  return page.evaluate(async ({ base64, snakeCss }) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext("2d")!;
    context.drawImage(image, 0, 0);
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    const [sr, sg, sb] = (snakeCss.match(/\d+/g) ?? []).map(Number);
    const colours = new Set<number>();
    let nonBackground = 0;
    let snake = 0;
    for (let i = 0; i < data.length; i += 4) {
      const r = data[i]!, g = data[i + 1]!, b = data[i + 2]!;
      colours.add((r << 16) | (g << 8) | b);
      // The page colour is #0b0f17.
      if (Math.abs(r - 0x0b) + Math.abs(g - 0x0f) + Math.abs(b - 0x17) > 6) nonBackground++;
      if (sr !== undefined && Math.abs(r - sr) + Math.abs(g - sg!) + Math.abs(b - sb!) < 24) snake++;
    }
    return { distinctColours: colours.size, nonBackgroundShare: nonBackground / (data.length / 4), snakePixels: snake };
  }, { base64: png.toString("base64"), snakeCss });
}
