// The game server as the client sees it: always the origin that served the
// page, so the same build works on localhost, behind the edge proxy and in
// Kubernetes (where matchmaking hands out each replica's public address).

import { Client } from "@colyseus/sdk";
import type { JoinOptions } from "../../../rooms/kit/protocol.ts";
import { ROOM_NAME } from "../../../rooms/snek/protocol.ts";
import { SnekState } from "../../../rooms/snek/state.ts";
import type { SnekRoom } from "../game/session.ts";
import { RoomList, type RoomListing } from "./roomList.ts";

export const LOBBY_ROOM_NAME = "lobby";

export class GameServer {
  readonly client: Client;

  constructor(origin: string = location.origin) {
    this.client = new Client(origin);
  }

  quickPlay(name: string): Promise<SnekRoom> {
    return this.client.joinOrCreate(ROOM_NAME, joinOptions(name, false), SnekState);
  }

  createPrivate(name: string): Promise<SnekRoom> {
    return this.client.create(ROOM_NAME, joinOptions(name, true), SnekState);
  }

  joinById(roomId: string, name: string): Promise<SnekRoom> {
    return this.client.joinById(roomId, joinOptions(name, undefined), SnekState);
  }
}

function joinOptions(name: string, privateRoom: boolean | undefined): JoinOptions {
  const options: JoinOptions = {};
  if (name !== "") options.name = name;
  if (privateRoom !== undefined) options.private = privateRoom;
  return options;
}

/**
 * The live list of public rooms, through Colyseus' LobbyRoom. If the lobby
 * cannot be joined it polls GET /api/rooms instead, so the list still works.
 */
export class RoomFeed {
  private readonly rooms = new RoomList();
  private lobby: Awaited<ReturnType<Client["joinOrCreate"]>> | undefined;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private stopped = false;
  private readonly server: GameServer;
  private readonly onChange: (rooms: ReturnType<RoomList["list"]>, live: boolean) => void;

  constructor(server: GameServer, onChange: (rooms: ReturnType<RoomList["list"]>, live: boolean) => void) {
    this.server = server;
    this.onChange = onChange;
  }

  async start(): Promise<void> {
    this.stopped = false;
    try {
      const lobby = await this.server.client.joinOrCreate(LOBBY_ROOM_NAME, { filter: { name: ROOM_NAME } });
      if (this.stopped) {
        await lobby.leave();
        return;
      }
      this.lobby = lobby;
      lobby.reconnection.enabled = false;
      lobby.onMessage("rooms", (listings: RoomListing[]) => {
        this.rooms.replaceAll(listings);
        this.publish(true);
      });
      lobby.onMessage("+", ([roomId, listing]: [string, RoomListing]) => {
        this.rooms.upsert(roomId, listing);
        this.publish(true);
      });
      lobby.onMessage("-", (roomId: string) => {
        this.rooms.remove(roomId);
        this.publish(true);
      });
      lobby.onLeave(() => {
        this.lobby = undefined;
        if (!this.stopped) this.poll();
      });
    } catch {
      this.poll();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer !== undefined) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    const lobby = this.lobby;
    this.lobby = undefined;
    if (lobby) await lobby.leave().catch(() => undefined);
  }

  private poll(): void {
    if (this.pollTimer !== undefined) return;
    const fetchRooms = async (): Promise<void> => {
      try {
        const response = await fetch(new URL("api/rooms", document.baseURI), { cache: "no-store" });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        this.rooms.replaceAll((await response.json()) as RoomListing[]);
        this.publish(false);
      } catch {
        this.publish(false);
      }
    };
    void fetchRooms();
    this.pollTimer = setInterval(() => void fetchRooms(), 5000);
  }

  private publish(live: boolean): void {
    if (!this.stopped) this.onChange(this.rooms.list(), live);
  }
}
