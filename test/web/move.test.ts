// The page follows a room move: a player plays through the edge of a
// 2-replica cluster, the replica holding the room gets SIGTERM, and the page
// shows the short notice, lands in the successor on the other replica with the
// same seat, colour and score, and play goes on. What the server holds is read
// by an SDK client in the same room that follows the move too (the replicas
// are other processes).

import assert from "node:assert/strict";
import { Client, type Room } from "@colyseus/sdk";
import type { Browser, Page } from "playwright-core";
import { dirFromCode } from "../../rooms/snek/protocol.ts";
import { followMigrations } from "../../rooms/kit/client/follow.ts";
import { SnekState } from "../../rooms/snek/state.ts";
import { startCluster, type Cluster, type ExitStatus } from "../../deploy/local/cluster.ts";
import { ensureWebBuild } from "../../scripts/ensure-web-build.ts";
import { skipWithoutBinaries } from "../support/binaries.ts";
import { waitFor } from "../support/wait.ts";
import { skipWithoutBrowser, hookOf, launchBrowser, resultPath, waitForHook } from "./browser.ts";
import { openWatchedGame, routeOf, type GameSocket } from "./sockets.ts";
import { ARROW_KEYS, turnAndConfirm, type Target } from "./support.ts";

/** What must survive the move for one player, as a client decodes it. */
interface Seat { name: string; color: number; score: number; best: number; tick: number }

/**
 * An SDK player in the page's room that follows moves like the page does, and
 * keeps the watched player's seat at the last patch before the move and the
 * first after it (the successor starts at the tick the old room stopped).
 */
class Witness {
  room: Room<unknown, SnekState>;
  moves = 0;
  before: Seat | undefined;
  after: Seat | undefined;
  lost: string | undefined;
  private readonly client: Client;
  private readonly watched: string;

  constructor(client: Client, room: Room<unknown, SnekState>, watched: string) {
    this.client = client;
    this.room = room;
    this.watched = watched;
    this.listen(room);
  }

  private see(state: SnekState): void {
    const player = state.players.get(this.watched);
    if (!player) return;
    const seat = { name: player.name, color: player.color, score: player.score, best: player.best, tick: state.tick };
    if (this.moves === 0) this.before = seat;
    else this.after ??= seat;
  }

  private listen(room: Room<unknown, SnekState>): void {
    room.onStateChange((state) => this.see(state));
    followMigrations(this.client, room, {
      // The successor's first state (the game at the switch) is already decoded here.
      moved: (next) => {
        this.moves++;
        this.room = next as Room<unknown, SnekState>;
        this.see(this.room.state);
        this.listen(this.room);
      },
      lost: (message) => { this.lost = message; },
    });
  }

  /** The server's view of a snake, for turnAndConfirm, from the room the witness is in now. */
  target(baseUrl: string): Target {
    return {
      baseUrl,
      local: undefined,
      snake: async (roomId, sessionId) => {
        if (this.room.roomId !== roomId) return undefined;
        const player = this.room.state.players?.get(sessionId);
        return player ? { alive: player.alive, dir: dirFromCode(player.dir), head: { x: player.x, y: player.y } } : undefined;
      },
      close: async () => { await this.room.leave().catch(() => undefined); },
    };
  }
}

describe("web client when its room moves to another replica", function () {
  this.timeout(120_000);
  let cluster: Cluster;
  let browser: Browser;
  let witness: Witness | undefined;

  before(async function () {
    skipWithoutBinaries(this, ["redis-server", "nginx"]);
    skipWithoutBrowser(this);
    ensureWebBuild({ log: () => undefined });
    // A short drain bound: if the move failed, the replica would not hold the test for long.
    cluster = await startCluster({ replicas: 2, env: { ROOM_BOTS: "0", DRAIN_SECONDS: "5" } });
    browser = await launchBrowser();
  });

  after(async () => {
    await witness?.room.leave().catch(() => undefined);
    await browser?.close();
    await cluster?.stop();
  });

  it("shows the moving notice, follows the room to the other replica with the same seat, colour and score, and play goes on", async () => {
    const { page, sockets } = await openWatchedGame(browser, cluster.url, "/?name=alice&play=1");
    const before = await hookOf(page);
    assert.ok(before.roomId && before.sessionId);
    const owner = currentReplica(sockets);
    assert.ok(owner, "the page's socket takes a replica's route");
    const other = cluster.replicas.find((r) => r.name !== owner)!.name;

    const witnessClient = new Client(cluster.url);
    witness = new Witness(witnessClient, await witnessClient.joinById(before.roomId, { name: "witness" }, SnekState), before.sessionId);
    await waitFor("the witness to decode alice", () => witness!.before, 10_000);
    const hudBefore = await hudOf(page);

    // The notice is up for a fraction of a second: the page records every text the banner shows.
    await page.evaluate(() => {
      const banner = document.getElementById("drain-banner")!;
      const seen: string[] = [];
      (window as unknown as { bannerTexts: string[] }).bannerTexts = seen;
      const record = (): void => {
        if (!banner.hidden && banner.textContent && seen.at(-1) !== banner.textContent) seen.push(banner.textContent);
      };
      new MutationObserver(record).observe(banner, { attributes: true, attributeFilter: ["hidden"], childList: true, characterData: true, subtree: true });
    });

    // Unsteered snakes reach a wall in seconds: move a live one, so the picture after the move shows it.
    await waitFor("alice alive", async () => {
      const h = await hookOf(page);
      if (h.you?.alive === false) await page.keyboard.press("Space");
      return h.you?.alive;
    }, 15_000, 50);
    const stopped: Promise<ExitStatus> = cluster.stopReplica(owner, "SIGTERM");
    await waitFor(`the page on a socket routed to ${other}`, () => currentReplica(sockets) === other, 15_000, 20);
    const moved = await waitForHook(page, "the page in the successor room",
      `h.screen === 'game' && h.connection === 'open' && h.roomId !== ${JSON.stringify(before.roomId)}`, 10_000);
    await page.screenshot({ path: resultPath("web-room-moved.png") });

    const bannerTexts = await page.evaluate(() => (window as unknown as { bannerTexts: string[] }).bannerTexts);
    assert.ok(bannerTexts.some((text) => /Moving to another server/.test(text)), `the page showed the move notice; the banner showed ${JSON.stringify(bannerTexts)}`);
    assert.equal(moved.sessionId, before.sessionId, "the same seat, not a new join");
    assert.equal(moved.screen, "game", "no trip through the lobby");
    assert.ok(routeOf(sockets.at(-1)!.url) === other && sockets.filter((s) => s.open).length === 1, "one game socket open, to the other replica");
    assert.equal(new URL(page.url()).searchParams.get("room"), moved.roomId, "the address names the room the page is in now");

    // The same player: the witness decodes alice's seat at the tick the old room stopped and the successor started.
    await waitFor("the witness in the successor with alice decoded", () => witness!.after ?? witness!.lost, 10_000);
    assert.equal(witness.lost, undefined, "the witness followed the move too");
    assert.equal(witness.room.roomId, moved.roomId, "page and witness are in the same successor");
    assert.equal(witness.after!.tick, witness.before!.tick, "compared at the same tick");
    assert.deepEqual(witness.after, witness.before, "name, colour, score and best survive the move");
    assert.equal((await hudOf(page)).colour, hudBefore.colour, "the HUD shows the same colour");
    assert.equal((await hudOf(page)).name, hudBefore.name);

    // Play goes on: ticks advance in the page, and a key press turns the snake as the server sees it.
    await waitForHook(page, "ticks after the move", `h.tick > ${moved.tick + 10}`, 10_000);
    const dir = await turnAndConfirm(page, witness.target(cluster.url), ARROW_KEYS);
    await waitForHook(page, `the page to decode its snake heading ${dir}`, `h.you && h.you.dir === ${JSON.stringify(dir)}`, 5000);

    const exit = await stopped;
    assert.deepEqual(exit, { code: 0, signal: null }, `${owner} exits 0 after handing its room over`);
    assert.ok(!page.isClosed());
    await page.context().close();
  });
});

/** The replica of the page's open game socket. */
function currentReplica(sockets: readonly GameSocket[]): string | undefined {
  const open = sockets.filter((s) => s.open);
  return open.length === 1 ? routeOf(open[0]!.url) : undefined;
}

async function hudOf(page: Page): Promise<{ name: string; colour: string }> {
  return {
    name: await page.innerText("#hud-name"),
    colour: await page.evaluate(() => getComputedStyle(document.getElementById("hud-swatch")!).backgroundColor),
  };
}
