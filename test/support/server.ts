// Boots the real roomservice server in this process on an ephemeral port, with
// the same config code main.ts uses. Colyseus' matchmaker is a process-wide
// singleton, so a test file boots one server in before() and closes it in after().

import { Client, type Room } from "@colyseus/sdk";
import { matchMaker } from "@colyseus/core";
import { GAMES, type Game } from "../../rooms/games.ts";
import { loadConfig } from "../../rooms/server/config.ts";
import { createLogger } from "../../rooms/server/logger.ts";
import { startServer, type RunningServer } from "../../rooms/server/server.ts";
import type { SnekRoom } from "../../rooms/snek/SnekRoom.ts";
import { nextEvent } from "./wait.ts";

export interface TestServer extends RunningServer {
  url: string;
  client(): Client;
  /** The live room object, for arranging a scene (placing food, steering into walls). */
  room(roomId: string): SnekRoom;
  close(): Promise<void>;
}

/** `games`: what the server runs (default: the real list, rooms/games.ts). */
export async function bootServer(env: Record<string, string> = {}, games: readonly Game[] = GAMES): Promise<TestServer> {
  // No drain by default: close() should not wait DRAIN_SECONDS for rooms to end.
  // No room bots by default: a test's room holds exactly the players it joined (bot tests set ROOM_BOTS).
  const config = loadConfig({ PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", DRAIN_SECONDS: "0", ROOM_BOTS: "0", ...env });
  const running = await startServer(config, createLogger(config.logLevel), games);
  const url = `http://127.0.0.1:${running.port}`;
  return {
    ...running,
    url,
    client: () => new Client(url),
    room: (roomId) => {
      const room = matchMaker.getLocalRoomById(roomId) as unknown as SnekRoom | undefined;
      if (!room) throw new Error(`room ${roomId} is not on this process`);
      return room;
    },
  };
}

/** Resolves after the next state patch this client decodes. */
export function nextPatch(room: Room, timeoutMs = 5000): Promise<unknown> {
  return nextEvent(`a patch in room ${room.roomId}`, (done) => room.onStateChange.once(done), timeoutMs).then(([state]) => state);
}
