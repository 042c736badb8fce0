// The game server as the client sees it: always the origin that served the
// page, so the same build works on localhost, behind the edge proxy and in
// Kubernetes (where matchmaking hands out each replica's public address).

import { Client, type Room } from "@colyseus/sdk";
import { FourState } from "../../../rooms/four/state.ts";
import type { JoinOptions } from "../../../rooms/kit/protocol.ts";
import { ROOM_NAME } from "../../../rooms/snek/protocol.ts";
import { SnekState } from "../../../rooms/snek/state.ts";
import { FOUR } from "../lobby/games.ts";
import type { LobbyChoice } from "../lobby/lobbyView.ts";
import { RoomList, type RoomListing } from "./roomList.ts";

export const LOBBY_ROOM_NAME = "lobby";

export class GameServer {
  readonly client: Client;

  constructor(origin: string = location.origin) {
    this.client = new Client(origin);
  }

  /**
   * Joins as chosen in the lobby, any game. A code join that does not name its
   * game decodes the state by reflection: the caller tells the game by `room.name`.
   */
  join(choice: LobbyChoice, name: string): Promise<Room> {
    const schema = choice.game === FOUR ? FourState : choice.game === ROOM_NAME ? SnekState : undefined;
    if (choice.kind === "code") return this.client.joinById(choice.roomId, joinOptions(name, undefined, choice.watch), schema as typeof SnekState);
    const options = joinOptions(name, choice.kind === "create");
    return choice.kind === "quick"
      ? this.client.joinOrCreate(choice.game, options, schema as typeof SnekState)
      : this.client.create(choice.game, options, schema as typeof SnekState);
  }
}

function joinOptions(name: string, privateRoom: boolean | undefined, spectate = false): JoinOptions & { spectate?: boolean } {
  const options: JoinOptions & { spectate?: boolean } = {};
  if (name !== "") options.name = name;
  if (privateRoom !== undefined) options.private = privateRoom;
  if (spectate) options.spectate = true;
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
      // No filter: every game's rooms (RoomList keeps the games this client knows).
      const lobby = await this.server.client.joinOrCreate(LOBBY_ROOM_NAME);
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
