// A spectator follows a room move like a player: redis-server, two replicas,
// the nginx edge; the replica holding the room gets SIGTERM.

import assert from "node:assert/strict";
import { Client, type Room } from "@colyseus/sdk";
import { followMigrations } from "../../rooms/kit/client/follow.ts";
import { SERVER_MESSAGES, type RejectedNotice } from "../../rooms/kit/protocol.ts";
import { startCluster, type Cluster } from "../../deploy/local/cluster.ts";
import { skipWithoutBinaries } from "../support/binaries.ts";
import { exitOf, playersOf, replicaOf, stillTicking } from "../support/cluster.ts";
import { nextEvent, waitFor } from "../support/wait.ts";

/** A client that follows moves and remembers where it ended up. */
class Follower {
  room: Room;
  moves = 0;
  lost: string | undefined;
  constructor(client: Client, room: Room) {
    this.room = room;
    const follow = (current: Room): void => followMigrations(client, current, {
      moved: (next) => { this.moves++; this.room = next; follow(next); },
      lost: (message) => { this.lost = message; },
    });
    follow(room);
  }
}

describe("a spectator and a room move", function () {
  this.timeout(90_000);
  let cluster: Cluster | undefined;
  before(function () { skipWithoutBinaries(this, ["redis-server", "nginx"]); });
  after(async () => { await cluster?.stop(); });

  it("follows the room to the other replica, still a spectator, still watching", async () => {
    // No room bots: each room holds exactly the clients the test joined.
    cluster = await startCluster({ replicas: 2, env: { DRAIN_SECONDS: "20", ROOM_BOTS: "0" } });
    const playerClient = new Client(cluster.url);
    const player = new Follower(playerClient, await playerClient.create("snek", { name: "player" }));
    const watcherClient = new Client(cluster.url);
    const watcher = new Follower(watcherClient, await watcherClient.joinById(player.room.roomId, { spectate: true }));
    await waitFor("the spectator to see the player", () => playersOf(watcher.room).includes(player.room.sessionId));
    const watcherId = watcher.room.sessionId;
    const owner = cluster.replicas.find((r) => r.name === replicaOf(player.room))!;

    const exited = exitOf(owner.process);
    owner.process.kill("SIGTERM");
    await waitFor("both in the successor room", () => player.moves === 1 && watcher.moves === 1, 15_000);
    assert.equal(watcher.lost, undefined);
    assert.equal(watcher.room.roomId, player.room.roomId, "the spectator is in the player's new room");
    assert.notEqual(replicaOf(watcher.room), owner.name);
    assert.equal(watcher.room.sessionId, watcherId, "the spectator keeps its sessionId");
    await stillTicking(watcher.room, 3);
    assert.deepEqual(playersOf(watcher.room), [player.room.sessionId], "still watching the player, and not a player itself");

    const notice = nextEvent<[RejectedNotice]>("a rejected notice", (done) => watcher.room.onMessage(SERVER_MESSAGES.rejected, done));
    watcher.room.send("turn", { dir: "up" });
    assert.equal((await notice)[0].reason, "spectator", "still a spectator after the move");
    assert.equal(await exited, 0);
    await Promise.all([player.room.leave(), watcher.room.leave()]);
  });
});
