// Four in a row pages follow their room to another replica: two players and
// a watching page play through the edge of a 2-replica cluster, the replica
// holding the room gets SIGTERM mid-game, and every page lands in the new
// room with the same board, seat and turn, and the game goes on there.

import assert from "node:assert/strict";
import { Client, type Room } from "@colyseus/sdk";
import type { Browser, Page } from "playwright-core";
import { startCluster, type Cluster } from "../../deploy/local/cluster.ts";
import { FourState } from "../../rooms/four/state.ts";
import { followMigrations } from "../../rooms/kit/client/follow.ts";
import type { FourTestHook } from "../../web/src/four/fourGame.ts";
import { ensureWebBuild } from "../../scripts/ensure-web-build.ts";
import { skipWithoutBinaries } from "../support/binaries.ts";
import { replicaOf } from "../support/cluster.ts";
import { waitFor } from "../support/wait.ts";
import { launchBrowser, skipWithoutBrowser } from "./browser.ts";

const fourHook = (page: Page): Promise<FourTestHook> => page.evaluate(() => ({ ...window.__four }));

describe("four in a row pages when their room moves to another replica", function () {
  this.timeout(120_000);
  let cluster: Cluster;
  let browser: Browser;

  before(async function () {
    skipWithoutBinaries(this, ["redis-server", "nginx"]);
    skipWithoutBrowser(this);
    ensureWebBuild({ log: () => undefined });
    cluster = await startCluster({ replicas: 2, env: { ROOM_BOTS: "0", DRAIN_SECONDS: "5" } });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await cluster?.stop();
  });

  it("keeps the board, the seats and the turn for both players and the watcher, and the game goes on", async () => {
    const open = async (path: string): Promise<Page> => {
      const page = await (await browser.newContext({ viewport: { width: 800, height: 600 } })).newPage();
      await page.goto(cluster.url + path);
      return page;
    };
    const alice = await open("/?name=alice");
    await alice.click("#create-private-four");
    await waitFor("alice seated", async () => (await fourHook(alice)).seat === 1, 15_000, 50);
    const roomId = (await fourHook(alice)).roomId!;
    const bob = await open(`/?room=${roomId}&game=four&name=bob`);
    const eve = await open(`/?room=${roomId}&game=four&watch=1`);
    const pages = [alice, bob, eve];
    await waitFor("all three pages in the game", async () => (await Promise.all(pages.map(fourHook))).every((h) => h.roomId === roomId && h.frames > 0), 15_000, 50);

    // An SDK client in the room says which replica holds it, and follows the move like the pages.
    const client = new Client(cluster.url);
    let truth: Room<unknown, FourState> = await client.joinById(roomId, { spectate: true }, FourState);
    followMigrations(client, truth, { moved: (next) => { truth = next as Room<unknown, FourState>; }, lost: (m) => assert.fail(m) });

    /** The player to move presses a column key until the server has the move (a just-moved room says "paused" for a moment). */
    const move = async (page: Page, key: string): Promise<void> => {
      const moves = (await fourHook(page)).moves;
      await waitFor(`${key} to be played`, async () => {
        if ((await fourHook(page)).moves > moves) return true;
        await page.keyboard.press(key);
        return false;
      }, 15_000, 300);
      await waitFor("every page to draw it", async () => (await Promise.all(pages.map(fourHook))).every((h) => h.moves === moves + 1), 10_000, 50);
    };
    await move(alice, "Digit4");
    await move(bob, "Digit4");
    await move(alice, "Digit5");
    const before = await Promise.all(pages.map(fourHook));
    const owner = replicaOf(truth);
    assert.ok(owner);

    const stopped = cluster.stopReplica(owner, "SIGTERM");
    await waitFor("every page in the new room", async () => (await Promise.all(pages.map(fourHook))).every((h) => h.roomId !== roomId && h.roomId !== undefined && h.connection === "open"), 20_000, 50);
    const after = await Promise.all(pages.map(fourHook));
    for (const [i, hook] of after.entries()) {
      assert.equal(hook.sessionId, before[i]!.sessionId, "the same seat, not a new join");
      assert.equal(hook.board, before[i]!.board, "the same board");
      assert.equal(hook.seat, before[i]!.seat);
      assert.equal(hook.yourTurn, before[i]!.yourTurn, "the same player to move");
      assert.equal(hook.spectator, before[i]!.spectator);
    }
    assert.equal(new Set(after.map((h) => h.roomId)).size, 1);
    await waitFor("the SDK client in the new room", () => truth.roomId === after[0]!.roomId, 10_000);
    assert.notEqual(replicaOf(truth), owner, "the room lives on the other replica now");

    await move(bob, "Digit3");
    assert.equal(Array.from(truth.state.board).join(""), (await fourHook(eve)).board, "the watcher sees the move made after the move");
    assert.deepEqual(await stopped, { code: 0, signal: null });
    await truth.leave();
    for (const page of pages) await page.context().close();
  });
});
