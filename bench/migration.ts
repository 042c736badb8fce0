// npm run bench:migration — live room moves under play. Three replicas behind
// the edge, rooms of 32 players each (SDK clients that turn now and then);
// SIGTERM the replica holding the most rooms, every player follows its room
// to another replica; repeat until 20 rooms have moved. Prints each player's
// pause (last patch before the move to first patch after) and lost players.

import { Client, type Room } from "@colyseus/sdk";
import { followMigrations } from "../rooms/kit/client/follow.ts";
import { DIRS } from "../rooms/snek/rules.ts";
import { startCluster } from "../deploy/local/cluster.ts";

const ROOMS_TO_MOVE = Number(process.env.BENCH_ROOMS ?? 20);
const PLAYERS_PER_ROOM = 32;
const ROOMS_PER_ROUND = 4;
const FOLLOW_TIMEOUT_MS = 15_000;

class BenchPlayer {
  room: Room;
  lastPatchAt = 0;
  /** Last patch before the move -> first patch after. */
  pauseMs: number | undefined;
  movedAt: number | undefined;
  lost = false;
  private readonly steer: NodeJS.Timeout;

  constructor(client: Client, room: Room) {
    this.room = room;
    this.track(client, room);
    // A turn every ~700 ms, like a player; the rules ignore reversals.
    this.steer = setInterval(() => this.room.send("turn", { dir: DIRS[Math.floor(Math.random() * 4)]! }), 700 + Math.random() * 300);
  }

  private track(client: Client, room: Room): void {
    room.onStateChange(() => {
      const now = performance.now();
      if (this.movedAt !== undefined && this.pauseMs === undefined && room === this.room) this.pauseMs = now - this.lastPatchAt;
      this.lastPatchAt = now;
    });
    followMigrations(client, room, {
      moving: () => { this.movedAt = performance.now(); },
      moved: (next) => { this.room = next; this.track(client, next); },
      lost: () => { this.lost = true; },
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.steer);
    await this.room.leave(true).catch(() => undefined);
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

// Every room is created from this one address: no per-address creation limit.
const cluster = await startCluster({ replicas: 3, env: { ROOM_BOTS: "0", LOG_LEVEL: "warn", DRAIN_SECONDS: "20", MAX_CREATES_PER_MINUTE: "0" } });
const pauses: number[] = [];
let moved = 0;
let lost = 0;
let rounds = 0;
try {
  console.log(`bench:migration — ${ROOMS_TO_MOVE} room moves, ${PLAYERS_PER_ROOM} players a room, 3 replicas behind the edge (${cluster.url})`);
  while (moved < ROOMS_TO_MOVE) {
    rounds++;
    const players: BenchPlayer[] = [];
    const replicaOf = (p: BenchPlayer) => /\/(game-\d+)\//.exec(p.room.connection.url ?? "")?.[1];
    for (let r = 0; r < ROOMS_PER_ROUND; r++) {
      const client = new Client(cluster.url);
      const first = new BenchPlayer(client, await client.create("snek", { name: `r${rounds}-${r}-0` }));
      players.push(first);
      const rest = await Promise.all(Array.from({ length: PLAYERS_PER_ROOM - 1 }, async (_, i) => {
        const c = new Client(cluster.url);
        return new BenchPlayer(c, await c.joinById(first.room.roomId, { name: `r${rounds}-${r}-${i + 1}` }));
      }));
      players.push(...rest);
    }
    // The replica with the most of these rooms is drained.
    const roomsByReplica = new Map<string, Set<string>>();
    for (const p of players) roomsByReplica.set(replicaOf(p)!, (roomsByReplica.get(replicaOf(p)!) ?? new Set()).add(p.room.roomId));
    const [victimName, victimRooms] = [...roomsByReplica].sort((a, b) => b[1].size - a[1].size)[0]!;
    const moving = players.filter((p) => replicaOf(p) === victimName);
    const victim = cluster.replica(victimName);
    const stopped = cluster.stopReplica(victimName, "SIGTERM");
    const deadline = Date.now() + FOLLOW_TIMEOUT_MS;
    while (Date.now() < deadline && moving.some((p) => p.pauseMs === undefined && !p.lost)) await new Promise((r) => setTimeout(r, 20));
    for (const p of moving) {
      if (p.pauseMs !== undefined && !p.lost) pauses.push(p.pauseMs);
      else lost++;
    }
    moved += victimRooms.size;
    console.log(`  round ${rounds}: ${victimName} drained, ${victimRooms.size} rooms / ${moving.length} players moved (exit ${(await stopped).code})`);
    await Promise.all(players.map((p) => p.stop()));
    await cluster.startReplica(victim.name);
  }
  const sorted = pauses.sort((a, b) => a - b);
  console.log(`rooms moved        ${moved} in ${rounds} rounds`);
  console.log(`players moved      ${pauses.length}`);
  console.log(`pause per player   p50 ${percentile(sorted, 50).toFixed(0)} ms   p99 ${percentile(sorted, 99).toFixed(0)} ms   max ${sorted.at(-1)?.toFixed(0)} ms`);
  console.log(`lost players       ${lost}`);
} finally {
  await cluster.stop();
}
process.exit(0);
