// Builds and starts one roomservice process: Colyseus with the Snek room, the
// operations endpoints and the web client. main.ts calls it with the config;
// tests call it in-process on an ephemeral port.

import type { AddressInfo } from "node:net";
import { LobbyRoom, LocalDriver, LocalPresence, Server, matchMaker, type Presence } from "@colyseus/core";
import { WebSocketTransport } from "@colyseus/ws-transport";
import type { Config } from "./config.ts";
import { createLogger, type Logger } from "./logger.ts";
import { mountRoutes } from "./routes.ts";
import { MAX_MESSAGE_BYTES, ROOM_NAME } from "../snek/protocol.ts";
import { snekRoomWith } from "../snek/SnekRoom.ts";
import { Lifecycle } from "./lifecycle.ts";
import { mapMatchmakeErrors } from "./matchmakeErrors.ts";

export interface RunningServer {
  server: Server;
  port: number;
  log: Logger;
  lifecycle: Lifecycle;
  /** Stops at once (tests); SIGTERM goes through the drain instead. */
  close(): Promise<void>;
}

export async function startServer(config: Config, log: Logger = createLogger(config.logLevel)): Promise<RunningServer> {
  const lifecycle = new Lifecycle(config, log);
  const presence: Presence = new LocalPresence();
  const server = new Server({
    transport: new WebSocketTransport({ maxPayload: MAX_MESSAGE_BYTES }),
    presence,
    driver: new LocalDriver(),
    publicAddress: config.publicAddress,
    // The drain replaces Colyseus' immediate disconnect; main.ts wires SIGTERM to it.
    gracefullyShutdown: false,
    greet: false,
    express: (app) => mountRoutes(app, { config, lifecycle }),
  });

  server.define(ROOM_NAME, snekRoomWith({
    tickHz: config.tickHz,
    maxPlayers: config.maxPlayers,
    reconnectSeconds: config.reconnectSeconds,
    drainSeconds: config.drainSeconds,
    log,
  })).enableRealtimeListing();
  // The web lobby subscribes here for the live list of public rooms.
  server.define("lobby", LobbyRoom);

  await server.listen(config.port, config.host);
  const http = server.transport.server!;
  mapMatchmakeErrors(http);
  const address = http.address() as AddressInfo | null;
  const port = address?.port ?? config.port;
  lifecycle.attach(server);
  log.info({ port, publicAddress: config.publicAddress ?? null, processId: matchMaker.processId }, "roomservice listening");

  return {
    server,
    port,
    log,
    lifecycle,
    close: () => server.gracefullyShutdown(false),
  };
}
