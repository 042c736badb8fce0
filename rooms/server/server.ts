// Builds and starts one roomservice process: Colyseus with the rooms of every
// game in the games list, the operations endpoints and the web client; with REDIS_URL, shared presence and
// matchmaking for several replicas. main.ts calls it with the config; tests
// call it in-process on an ephemeral port.

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ErrorCode, LobbyRoom, LocalDriver, LocalPresence, Room, Server, ServerError, matchMaker, type MatchMakerDriver, type Presence } from "@colyseus/core";
import { RedisPresence } from "@colyseus/redis-presence";
import { WebSocketTransport } from "@colyseus/ws-transport";
import { Cluster } from "ioredis";
import { pickConfig, type Config } from "./config.ts";
import { applyCorsPolicy, corsHeadersFor } from "./cors.ts";
import { CreateLimit } from "./createLimit.ts";
import { installFramedSends } from "./framedSends.ts";
import { installFrontDoor } from "./frontDoor.ts";
import { REQUEST_TIMEOUT_MS } from "./httpLimits.ts";
import { Lifecycle } from "./lifecycle.ts";
import { enableCoalescedRealtimeListing } from "./lobbyNotices.ts";
import { createLogger, type Logger } from "./logger.ts";
import { matchmakeGate } from "./matchmakeGate.ts";
import { listedLocked, unlockedOnceReachable } from "./listedOnceReachable.ts";
import { RoomMover } from "./migration.ts";
import { RedisHealth, redactRedisUrl } from "./redis.ts";
import { RecoveringRedisDriver } from "./redisDriver.ts";
import { assertPortFree, PortInUseError } from "./port.ts";
import { ClusterPresence } from "./redisCluster.ts";
import { RouteGuard } from "./routeGuard.ts";
import { QuickJoin } from "./quickJoin.ts";
import { ReplicaRegistry } from "./replicas.ts";
import { SuccessorChannel } from "./successors.ts";
import { mountRoutes } from "./routes.ts";
import { cutSlowConsumers, type WatchedSockets } from "./slowConsumers.ts";
import { startStandby } from "./standby.ts";
import { GAMES, type Game } from "../games.ts";
import { KIT_CONFIG, type KitSettings } from "../kit/settings.ts";
import { JoinOptions, MAX_MESSAGE_BYTES } from "../kit/protocol.ts";
import { matchPlayersToFreeSeats } from "../kit/seats.ts";

export interface RunningServer {
  server: Server;
  port: number;
  log: Logger;
  lifecycle: Lifecycle;
  /** Stops at once (tests); SIGTERM goes through the drain instead. */
  close(): Promise<void>;
}

interface Backends {
  presence: Presence;
  driver: MatchMakerDriver;
  redis?: RedisHealth;
  replicas?: ReplicaRegistry;
  successors?: SuccessorChannel;
}

function backendsFor(config: Config, log: Logger): Backends {
  if (!config.redisUrl) return { presence: new LocalPresence(), driver: new LocalDriver() };
  const redis = new RedisHealth(log, { cluster: config.redisCluster });
  const presence = redis.connect(config.redisUrl, "presence");
  return {
    presence: presence instanceof Cluster ? new ClusterPresence(presence) : new RedisPresence(presence),
    driver: new RecoveringRedisDriver(redis.connect(config.redisUrl, "driver")),
    redis,
    successors: new SuccessorChannel(log),
    replicas: new ReplicaRegistry(redis.connect(config.redisUrl, "replicas"), { version: config.replicaVersion ?? "", replicaName: config.replicaName }, log),
  };
}

/** Colyseus' listen() never settles when the port is taken, so an error on the HTTP server rejects it here. */
async function listen(server: Server, transport: WebSocketTransport, port: number, host: string): Promise<void> {
  const http = transport.server!;
  let onError: ((error: NodeJS.ErrnoException) => void) | undefined;
  const failed = new Promise<never>((_, reject) => {
    onError = (error) => reject(error.code === "EADDRINUSE" ? new PortInUseError(port) : error);
    http.once("error", onError);
  });
  try {
    await Promise.race([server.listen(port, host), failed]);
  } finally {
    http.off("error", onError!);
  }
}

/** `games` defaults to the games list; tests may serve others. */
export async function startServer(config: Config, log: Logger = createLogger(config.logLevel), games: readonly Game[] = GAMES): Promise<RunningServer> {
  await assertPortFree(config.port, config.host);
  const { presence, driver, redis, replicas, successors } = backendsFor(config, log);
  const moveRooms = config.migrateOnDrain && replicas && successors ? new RoomMover(replicas, successors, log) : undefined;
  const lifecycle = new Lifecycle(config, log, redis, moveRooms, replicas);
  const routes = config.routeGuard && new RouteGuard(config.routeGuard.file, config.routeGuard.ordinal, log);
  if (routes) lifecycle.unrouted = () => routes.unrouted;
  if (driver instanceof RecoveringRedisDriver) lifecycle.roomList = driver;
  let port = config.port;

  if (redis && !redis.ready) {
    // Hold the port with a standby answer until Redis is there.
    const where = redactRedisUrl(config.redisUrl!);
    const standby = await startStandby(port, config.host, () => `waiting for Redis at ${where}`);
    port = standby.port;
    log.info({ port, redis: where }, "waiting for Redis before accepting rooms");
    await redis.untilReady();
    await standby.close();
  }

  applyCorsPolicy(config.allowedOrigins);
  // Node checks these timeouts every connectionsCheckingInterval (30 s by default): check every second.
  const http = createServer({ requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 1000 });
  const transport = new WebSocketTransport({ server: http, maxPayload: MAX_MESSAGE_BYTES });
  installFramedSends();
  const server = new Server({
    transport,
    presence,
    driver,
    publicAddress: config.publicAddress,
    // New rooms land only on a live, ready replica, newest version first; that is also how a moving room finds its successor.
    selectProcessIdToCreateRoom: replicas?.selectProcessIdToCreateRoom,
    // The drain replaces Colyseus' immediate disconnect; main.ts wires SIGTERM to it.
    gracefullyShutdown: false,
    greet: false,
    express: (app) => mountRoutes(app, { config, lifecycle, log, games: games.map((g) => g.name) }),
  });
  // Seat-aware quick play (see quickJoin.ts).
  const quickJoin = new QuickJoin({ log, seatsPlayers: replicas && ((id) => replicas.seatsPlayers(id)) });
  quickJoin.install();

  // The compiler checks that Config has each of the kit's settings, with the kit's type.
  const kit: KitSettings = { ...pickConfig(config, KIT_CONFIG), log, mover: moveRooms, rooms: lifecycle.rooms };
  for (const game of games) {
    const roomClass = listedLocked(refusedWhileDraining(game.room(kit, config), lifecycle));
    enableCoalescedRealtimeListing(unlockedOnceReachable(matchPlayersToFreeSeats(server.define(game.name, roomClass))));
  }
  // The web lobby subscribes here for the live list of public rooms.
  server.define("lobby", LobbyRoom);

  await listen(server, transport, port, config.host);
  installFrontDoor(http, matchmakeGate({
    unavailable: () => lifecycle.matchmakingUnavailable(),
    // Every game room takes the kit's join options, or its own stricter ones.
    optionsSchemas: Object.fromEntries(games.map((game) => [game.name, game.joinOptions ?? JoinOptions])),
    corsHeaders: (req) => corsHeadersFor(config.allowedOrigins, req.headers.origin),
    creates: new CreateLimit(config.maxCreatesPerMinute),
    quickPlay: (method, roomName, options, req) => quickJoin.answerHttp(method, roomName, options, req),
  }));
  // The transport's ws server is protected in its typings; its clients are every open socket.
  const slowConsumers = cutSlowConsumers((transport as unknown as { wss: WatchedSockets }).wss, log);
  port = (http.address() as AddressInfo).port;
  lifecycle.attach(server);
  await replicas?.start(() => lifecycle.ready);
  // A replica that does not move rooms (MIGRATE_ON_DRAIN=false) cannot restore one either: it refuses, and the mover asks the next.
  await successors?.serve(() => moveRooms !== undefined && lifecycle.ready);
  redis?.onRecovered(() => void lifecycle.redisRecovered());
  routes?.start();
  log.info({ port, publicAddress: config.publicAddress ?? null, redis: Boolean(redis), processId: matchMaker.processId }, "roomservice listening");

  return {
    server,
    port,
    log,
    lifecycle,
    close: async () => {
      slowConsumers.stop();
      routes?.stop();
      await replicas?.stop();
      await server.gracefullyShutdown(false);
      await redis?.close();
    },
  };
}

/**
 * Nothing lands on a draining replica. No room is born there: not from a
 * matchmaking request already in flight, nor from Colyseus' fallback when a
 * remote create times out (it then creates the room locally, whatever state
 * this process is in); the request fails (503) and the edge retries it
 * elsewhere. And its rooms take no new seat, even from a replica whose
 * listing is a moment old: Colyseus asks hasReachedMaxClients() before every
 * reservation (reconnections excepted), so the joiner moves on to another room.
 */
function refusedWhileDraining<C extends new () => Room>(roomClass: C, lifecycle: Lifecycle): C {
  // Mixins need a constructor type with `any[]` arguments (TS2545).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const Base = roomClass as unknown as new (...args: any[]) => Room;
  return class extends Base {
    override async onCreate(options: unknown): Promise<void> {
      if (lifecycle.isDraining) throw new ServerError(ErrorCode.MATCHMAKE_UNHANDLED, "this replica is draining; matchmaking continues on other replicas");
      await super.onCreate?.(options);
    }

    override hasReachedMaxClients(): boolean {
      return lifecycle.isDraining || super.hasReachedMaxClients();
    }
  } as unknown as C;
}
