// One Redis blip while the lobby polls the room list must not break a replica
// for good: real redis-server, a real replica process, real SDK clients.

import assert from "node:assert/strict";
import { Client, type Room } from "@colyseus/sdk";
import { Redis } from "ioredis";
import { startCluster, type Cluster } from "../../deploy/local/cluster.ts";
import { ROOM_LISTINGS_KEY } from "../../rooms/server/redisDriver.ts";
import { skipWithoutBinaries } from "../support/binaries.ts";
import { withTimeout } from "../support/cluster.ts";
import { waitFor } from "../support/wait.ts";

describe("a Redis blip during room-list polling", function () {
  this.timeout(90_000);
  let cluster: Cluster;
  const rooms: Room[] = [];

  before(async function () {
    skipWithoutBinaries(this, ["redis-server", "nginx"]);
    cluster = await startCluster({ replicas: 1, env: { ROOM_BOTS: "0", LOG_LEVEL: "warn", DRAIN_SECONDS: "0" } });
  });
  after(async () => {
    await Promise.all(rooms.map((r) => withTimeout("leave", r.leave(), 2000).catch(() => undefined)));
    await cluster?.stop();
  });

  const replicaUrl = () => cluster.replicas[0]!.url;
  const status = async (path: string): Promise<number> => {
    const res = await fetch(`${replicaUrl()}${path}`, { signal: AbortSignal.timeout(5000) });
    await res.body?.cancel();
    return res.status;
  };
  /** Quick play directly on the replica, or undefined while it refuses. */
  const quickPlay = async (): Promise<Room | undefined> => {
    try {
      return await new Client(replicaUrl()).joinOrCreate("snek", { name: "after-blip" });
    } catch {
      return undefined;
    }
  };

  it("recovers quick play and the room list by itself once Redis is back", async () => {
    const seen: number[] = [];
    let polling = true;
    // The lobby's poll, as the web client does it.
    const poller = (async () => {
      while (polling) {
        seen.push(await status("/api/rooms").catch(() => 0));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    try {
      await waitFor("the room list answered while Redis is up", () => seen.includes(200));
      await cluster.stopRedis("SIGKILL");
      await waitFor("a room-list lookup failed while Redis was away", () => seen.some((s) => s !== 200), 20_000);
      assert.equal(await status("/readyz"), 503);
      await cluster.startRedis();
      const failedSoFar = seen.length;
      await waitFor("the room list answers 200 again", () => seen.slice(failedSoFar).includes(200), 30_000, 100);
    } finally {
      polling = false;
      await poller;
    }
    const room = await waitFor("quick play works again", quickPlay, 30_000, 250);
    rooms.push(room);
    assert.equal(await status("/readyz"), 200);
  });

  it("answers /readyz 503 while room-list lookups fail, even with Redis up, and 200 once they work", async () => {
    const redis = new Redis(cluster.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      await Promise.all(rooms.splice(0).map((r) => r.leave()));
      // A listings hash that HGETALL cannot read (WRONGTYPE): Redis answers, the lookup fails.
      await redis.set(ROOM_LISTINGS_KEY, "not a hash");
      assert.equal(await status("/api/rooms"), 503);
      const res = await fetch(`${replicaUrl()}/readyz`);
      assert.equal(res.status, 503);
      assert.match(await res.text(), /room list lookups fail: WRONGTYPE/);
      await redis.del(ROOM_LISTINGS_KEY);
      assert.equal(await status("/readyz"), 200);
      assert.equal(await status("/api/rooms"), 200);
    } finally {
      redis.disconnect();
    }
  });
});
