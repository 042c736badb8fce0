// npm run bench:migration — live room moves under play. Three replicas behind
// the edge, rooms of 32 players each (SDK clients that turn now and then).
//
// Default: SIGTERM the replica holding the most rooms, every player follows
// its room to another replica; repeat until 20 rooms have moved. Prints each
// player's pause (last patch in the old room to the successor's first state,
// and to its first patch after that), lost players, and where each move's
// time went, read from the replicas' own log lines and the clients: while the
// game plays on (placement, the successor created with every seat reserved,
// the members' sockets opened to it) and while it is frozen (freeze to the
// successor showing the game).
//
//   npm run bench:migration -- --rollout [--rooms 9] [--players 32]
//
// is a rolling update instead: every replica restarted in StatefulSet order
// (highest ordinal first, each one ready before the next) with a new
// REPLICA_VERSION, while the players play. Prints moves per game (mean, max),
// pause p50/p99 and lost players.

import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { Client, type Room } from "@colyseus/sdk";
import { followMigrations } from "../rooms/kit/client/follow.ts";
import { DIRS } from "../rooms/snek/rules.ts";
import { startCluster, type Cluster } from "../deploy/local/cluster.ts";

const ROOMS_PER_ROUND = 4;
const FOLLOW_TIMEOUT_MS = 15_000;

class BenchPlayer {
  room: Room;
  readonly game: number;
  lastPatchAt = 0;
  /** One entry per move: last patch before -> first state after (and -> the first patch after it), and its parts. */
  readonly moves: { pauseMs?: number; nextTickMs?: number; noticeAt: number; joinedAt?: number; lastPatchAt?: number }[] = [];
  lost = false;
  private readonly steer: NodeJS.Timeout;

  constructor(client: Client, room: Room, game: number) {
    this.room = room;
    this.game = game;
    this.track(client, room);
    // A turn every ~700 ms, like a player; the rules ignore reversals.
    this.steer = setInterval(() => this.room.send("turn", { dir: DIRS[Math.floor(Math.random() * 4)]! }), 700 + Math.random() * 300);
  }

  get settled(): boolean {
    return this.lost || this.moves.every((m) => m.nextTickMs !== undefined);
  }

  private track(client: Client, room: Room): void {
    room.onStateChange(() => {
      if (room !== this.room) return;
      const now = performance.now();
      const move = this.moves.at(-1);
      if (move?.lastPatchAt !== undefined && move.nextTickMs === undefined) move.nextTickMs = now - move.lastPatchAt;
      this.lastPatchAt = now;
    });
    followMigrations(client, room, {
      moving: () => { this.moves.push({ noticeAt: performance.now() }); },
      joined: () => {
        const move = this.moves.at(-1);
        if (move) move.joinedAt = performance.now();
      },
      // Called once the successor's first state is in (and the old room has sent its last patch).
      moved: (next) => {
        const move = this.moves.at(-1);
        if (move) {
          move.lastPatchAt = this.lastPatchAt;
          move.pauseMs = performance.now() - this.lastPatchAt;
        }
        this.room = next;
        this.track(client, next);
      },
      lost: () => { this.lost = true; },
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.steer);
    await this.room.leave(true).catch(() => undefined);
  }
}

/** The replicas' "room moved" and "successor created" log lines: the server's side of each move. */
class ServerTimings {
  readonly prepareMs: number[] = [];
  readonly frozenMs: number[] = [];
  readonly showMs: number[] = [];
  readonly candidatesMs: number[] = [];
  readonly createMs: number[] = [];
  readonly reserveMs: number[] = [];
  readonly roundTripMs: number[] = [];
  /** Moves whose members were not all in the successor by the cut-over deadline. */
  notAllHere = 0;

  read(line: string): void {
    const json = line.slice(line.indexOf("{"));
    if (!json.includes('"room moved"') && !json.includes('"successor created"') && !json.includes('"cut over"')) return;
    try {
      const entry = JSON.parse(json) as Record<string, number | string | boolean>;
      if (entry["allHere"] === false) this.notAllHere++;
      for (const key of ["prepareMs", "frozenMs", "showMs", "candidatesMs", "createMs", "reserveMs", "roundTripMs"] as const) {
        if (typeof entry[key] === "number") this[key].push(entry[key]);
      }
    } catch {
      // Not a whole JSON line.
    }
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function line(label: string, values: number[]): string {
  return `  ${label.padEnd(40)} p50 ${percentile(values, 50).toFixed(1).padStart(7)} ms   p99 ${percentile(values, 99).toFixed(1).padStart(7)} ms   (${values.length})`;
}

const replicaOf = (room: Room) => /\/(game-\d+)\//.exec(room.connection.url ?? "")?.[1];

async function openGames(cluster: Cluster, games: number, players: number, first = 0): Promise<BenchPlayer[]> {
  const all: BenchPlayer[] = [];
  for (let g = first; g < first + games; g++) {
    const client = new Client(cluster.url);
    const host = new BenchPlayer(client, await client.create("snek", { name: `g${g}-0` }), g);
    all.push(host);
    all.push(...await Promise.all(Array.from({ length: players - 1 }, async (_, i) => {
      const c = new Client(cluster.url);
      return new BenchPlayer(c, await c.joinById(host.room.roomId, { name: `g${g}-${i + 1}` }), g);
    })));
  }
  return all;
}

async function settle(players: BenchPlayer[]): Promise<void> {
  const deadline = Date.now() + FOLLOW_TIMEOUT_MS;
  while (Date.now() < deadline && !players.every((p) => p.settled)) await new Promise((r) => setTimeout(r, 20));
}

function report(players: BenchPlayer[], server: ServerTimings): void {
  const moves = players.flatMap((p) => p.moves);
  const done = moves.filter((m) => m.pauseMs !== undefined);
  console.log(line("pause per player (last patch -> first state)", done.map((m) => m.pauseMs!)));
  console.log(line("  (last patch -> first patch after it)", done.filter((m) => m.nextTickMs !== undefined).map((m) => m.nextTickMs!)));
  console.log("where the time goes, server (per room move), while the game plays on:");
  console.log(line("move begins -> freeze", server.prepareMs));
  console.log(line("  placement (live replicas, counts)", server.candidatesMs));
  console.log(line("  round trip to the successor", server.roundTripMs));
  console.log(line("    remote create", server.createMs));
  console.log(line("    seat reservations", server.reserveMs));
  console.log(`  moves that froze before every member was in the successor: ${server.notAllHere}`);
  console.log("while the game is frozen:");
  console.log(line("freeze -> successor showed the game", server.frozenMs));
  console.log(line("  successor: rebuild + first states", server.showMs));
  console.log("where the time goes, client (per player move):");
  console.log(line("notice -> joined successor (game on)", done.filter((m) => m.joinedAt).map((m) => m.joinedAt! - m.noticeAt)));
  console.log(`  lost players ${players.filter((p) => p.lost || !p.settled).length}`);
}

async function drains(cluster: Cluster, server: ServerTimings, roomsToMove: number, playersPerRoom: number): Promise<void> {
  let moved = 0;
  let rounds = 0;
  const everyone: BenchPlayer[] = [];
  console.log(`bench:migration — ${roomsToMove} room moves, ${playersPerRoom} players a room, 3 replicas behind the edge (${cluster.url}); load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  while (moved < roomsToMove) {
    rounds++;
    const players = await openGames(cluster, ROOMS_PER_ROUND, playersPerRoom, rounds * ROOMS_PER_ROUND);
    // The replica with the most of these rooms is drained.
    const roomsByReplica = new Map<string, Set<string>>();
    for (const p of players) roomsByReplica.set(replicaOf(p.room)!, (roomsByReplica.get(replicaOf(p.room)!) ?? new Set()).add(p.room.roomId));
    const [victimName, victimRooms] = [...roomsByReplica].sort((a, b) => b[1].size - a[1].size)[0]!;
    const moving = players.filter((p) => replicaOf(p.room) === victimName);
    const stopped = cluster.stopReplica(victimName, "SIGTERM");
    await waitFor(() => moving.every((p) => p.moves.length > 0 || p.lost));
    await settle(moving);
    everyone.push(...moving);
    moved += victimRooms.size;
    console.log(`  round ${rounds}: ${victimName} drained, ${victimRooms.size} rooms / ${moving.length} players moved (exit ${(await stopped).code})`);
    await Promise.all(players.map((p) => p.stop()));
    await cluster.startReplica(victimName);
  }
  console.log(`rooms moved ${moved} in ${rounds} rounds, players moved ${everyone.length}; load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  report(everyone, server);
}

async function rollout(cluster: Cluster, server: ServerTimings, games: number, playersPerRoom: number): Promise<void> {
  console.log(`bench:migration --rollout — ${games} games of ${playersPerRoom} players on 3 replicas (version v1), each replica replaced by v2, highest ordinal first (${cluster.url}); load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  const players = await openGames(cluster, games, playersPerRoom);
  const names = cluster.replicas.map((r) => r.name);
  for (const name of [...names].reverse()) {
    const before = players.reduce((n, p) => n + p.moves.length, 0);
    const { code } = await cluster.stopReplica(name, "SIGTERM");
    await settle(players);
    await cluster.startReplica(name, { env: { REPLICA_VERSION: "v2" } });
    console.log(`  ${name} replaced (exit ${code}): ${players.reduce((n, p) => n + p.moves.length, 0) - before} player moves`);
  }
  const movesPerGame = Array.from({ length: games }, (_, g) => Math.max(0, ...players.filter((p) => p.game === g).map((p) => p.moves.length)));
  const mean = movesPerGame.reduce((a, b) => a + b, 0) / games;
  console.log(`moves per game    mean ${mean.toFixed(2)}   max ${Math.max(...movesPerGame)}   (${movesPerGame.join(" ")}); load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  report(players, server);
  await Promise.all(players.map((p) => p.stop()));
}

async function waitFor(done: () => boolean): Promise<void> {
  const deadline = Date.now() + FOLLOW_TIMEOUT_MS;
  while (Date.now() < deadline && !done()) await new Promise((r) => setTimeout(r, 20));
}

const { values: args } = parseArgs({ options: { rollout: { type: "boolean", default: false }, rooms: { type: "string" }, players: { type: "string" } } });
const playersPerRoom = Number(args.players ?? 32);
const rooms = Number(args.rooms ?? process.env.BENCH_ROOMS ?? (args.rollout ? 9 : 20));
if (!Number.isInteger(playersPerRoom) || playersPerRoom < 1 || !Number.isInteger(rooms) || rooms < 1) {
  console.error("usage: npm run bench:migration -- [--rollout] [--rooms N] [--players N]");
  process.exit(2);
}
const server = new ServerTimings();
// Every room is created from this one address: no per-address creation limit. No room bots: a room holds its players only.
const cluster = await startCluster({
  replicas: 3,
  env: { LOG_LEVEL: "info", DRAIN_SECONDS: "20", MAX_CREATES_PER_MINUTE: "0", ROOM_BOTS: "0", REPLICA_VERSION: "v1" },
  log: (text) => server.read(text),
});
try {
  if (args.rollout) await rollout(cluster, server, rooms, playersPerRoom);
  else await drains(cluster, server, rooms, playersPerRoom);
} finally {
  await cluster.stop();
}
process.exit(0);
