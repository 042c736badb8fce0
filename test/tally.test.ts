// docs/your-game.md, proved: Tally (test/fixtures/tally/), a game written
// only against the room kit, served beside the real games by passing a
// longer games list to startServer; it drains in place like any room, and
// with Redis and two replicas behind the edge it moves on SIGTERM with its
// total, its players and their counts.

import assert from "node:assert/strict";
import { Client, type Room } from "@colyseus/sdk";
import { startCluster, type Cluster } from "../deploy/local/cluster.ts";
import { GAMES } from "../rooms/games.ts";
import { followMigrations } from "../rooms/kit/client/follow.ts";
import { CLOSE_CODES, SERVER_MESSAGES, type RejectedNotice } from "../rooms/kit/protocol.ts";
import { TALLY, TALLY_GAME, TallyState } from "./fixtures/tally/TallyRoom.ts";
import { skipWithoutBinaries } from "./support/binaries.ts";
import { exitOf, replicaOf } from "./support/cluster.ts";
import { bootServer, type TestServer } from "./support/server.ts";
import { nextEvent, waitFor } from "./support/wait.ts";

type TallyRoom = Room<unknown, TallyState>;
const total = (room: TallyRoom): number => room.state.total;
const counts = (room: TallyRoom) => Object.fromEntries([...room.state.players].map(([id, p]) => [id, { name: p.name, count: p.count }]));

/**
 * `by` adds `amount`, and every client sees the new total. A room that has
 * just arrived from another replica holds the game still until all its
 * players are back, and says so ("paused"): the add is sent again then. The
 * gate says each reason at most once a second, so the next try waits that
 * long: each try is then either applied or answered, never both unheard.
 */
async function add(rooms: TallyRoom[], by: TallyRoom, amount: number): Promise<void> {
  const expected = total(by) + amount;
  let pausedAt: number | undefined;
  const off = by.onMessage(SERVER_MESSAGES.rejected, (notice: RejectedNotice) => { if (notice.reason === "paused") pausedAt = Date.now(); });
  by.send("add", { amount });
  await waitFor(`a total of ${expected}`, () => {
    if (pausedAt !== undefined && Date.now() - pausedAt > RETRY_AFTER_PAUSED_MS) {
      pausedAt = undefined;
      by.send("add", { amount });
    }
    return rooms.every((r) => total(r) === expected);
  }, 15_000);
  off();
}

/** Past the gate's one-notice-per-reason-per-second window. */
const RETRY_AFTER_PAUSED_MS = 1100;

describe("a third game from the test tree, on the kit alone", function () {
  this.timeout(60_000);

  describe("served beside the real games by one process", () => {
    let server: TestServer;
    before(async () => { server = await bootServer({ DRAIN_SECONDS: "1" }, [...GAMES, TALLY_GAME]); });
    after(async () => { await server.close(); });

    it("is served and listed with its name; its input goes through the kit's gate", async () => {
      const client = new Client(server.url);
      const ann: TallyRoom = await client.joinOrCreate(TALLY, { name: "ann" }, TallyState);
      const ben: TallyRoom = await client.joinOrCreate(TALLY, { name: "ben" }, TallyState);
      assert.equal(ben.roomId, ann.roomId, "quick play finds the room");
      await add([ann, ben], ann, 3);
      await add([ann, ben], ben, 4);
      assert.deepEqual(counts(ann), { [ann.sessionId]: { name: "ann", count: 3 }, [ben.sessionId]: { name: "ben", count: 4 } });
      const listed = (await (await fetch(`${server.url}/api/rooms`)).json()) as { roomId: string; name: string }[];
      assert.ok(listed.some((r) => r.roomId === ann.roomId && r.name === TALLY), JSON.stringify(listed));
      const rejected = nextEvent<[RejectedNotice]>("a rejection", (done) => ann.onMessage(SERVER_MESSAGES.rejected, done));
      ann.send("add", { amount: 11 });
      assert.equal((await rejected)[0].reason, "invalid");
      await ann.leave(); await ben.leave();
    });

    it("drains like any room: players are told, play on, then are closed with 4011", async () => {
      const ann: TallyRoom = await new Client(server.url).create(TALLY, { name: "ann" }, TallyState);
      const notice = nextEvent<[{ message: string }]>("the drain notice", (done) => ann.onMessage(SERVER_MESSAGES.draining, done));
      const closed = nextEvent<[number]>("the room to close", (done) => ann.onLeave.once(done), 15_000);
      const drained = server.lifecycle.drain("SIGTERM");
      assert.match((await notice)[0].message, /\w/);
      await add([ann], ann, 2);
      assert.equal((await closed)[0], CLOSE_CODES.drained);
      assert.equal(await drained, "drained");
    });
  });

  describe("with Redis, two replicas and the edge", () => {
    let cluster: Cluster;
    before(async function () {
      skipWithoutBinaries(this, ["redis-server", "nginx"]);
      cluster = await startCluster({ replicas: 2, serverEntry: "test/fixtures/tally/serve.ts", env: { ROOM_BOTS: "0", DRAIN_SECONDS: "20" } });
    });
    after(async () => { await cluster?.stop(); });

    it("moves on SIGTERM with its total, its players and their counts, and the replica exits 0", async () => {
      const [annClient, benClient] = [new Client(cluster.url), new Client(cluster.url)];
      let ann: TallyRoom = await annClient.create(TALLY, { name: "ann" }, TallyState);
      let ben: TallyRoom = await benClient.joinById(ann.roomId, { name: "ben" }, TallyState);
      await add([ann, ben], ann, 5);
      await add([ann, ben], ben, 7);
      const before = { total: total(ann), counts: counts(ann), sessionIds: [ann.sessionId, ben.sessionId] };
      const from = replicaOf(ann);
      const owner = cluster.replicas.find((r) => r.name === from)!;
      assert.ok(owner, `the room's replica (${from}) is one of the cluster's`);

      const moved = (client: Client, room: TallyRoom) => nextEvent<[TallyRoom]>(`${room.sessionId} to follow the room`, (done) => {
        followMigrations(client, room, { moved: (next) => done(next as TallyRoom), lost: (message) => assert.fail(`move lost: ${message}`) });
      }, 20_000);
      for (const room of [ann, ben]) room.onMessage(SERVER_MESSAGES.draining, () => undefined);
      const [annMoved, benMoved] = [moved(annClient, ann), moved(benClient, ben)];
      const exited = exitOf(owner.process);
      owner.process.kill("SIGTERM");
      [[ann], [ben]] = [await annMoved, await benMoved];

      assert.notEqual(replicaOf(ann), from, "the room now lives on the other replica");
      assert.equal(ann.roomId, ben.roomId);
      assert.deepEqual([ann.sessionId, ben.sessionId], before.sessionIds);
      await waitFor("the moved game on both clients", () => [ann, ben].every((r) => total(r) === before.total && r.state.players.size === 2));
      assert.deepEqual(counts(ben), before.counts);
      // And it plays on there.
      await add([ann, ben], ben, 1);
      assert.equal(await exited, 0);
      await ann.leave(); await ben.leave();
    });
  });
});
