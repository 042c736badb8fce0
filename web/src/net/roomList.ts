// The live list of public game rooms, kept from Colyseus' LobbyRoom messages:
// `rooms` (the whole list), `+` [roomId, room] (added or changed) and `-` roomId.

import { SNEK, isGameName, type GameName } from "../lobby/games.ts";

export interface ListedRoom {
  roomId: string;
  game: GameName;
  clients: number;
  maxClients: number;
}

/** The fields of a LobbyRoom listing this client reads; the rest is ignored. */
export interface RoomListing {
  roomId: string;
  name?: string;
  clients: number;
  maxClients: number;
  private?: boolean;
  unlisted?: boolean;
}

export class RoomList {
  private readonly rooms = new Map<string, ListedRoom>();

  replaceAll(listings: readonly RoomListing[]): void {
    this.rooms.clear();
    for (const listing of listings) this.upsert(listing.roomId, listing);
  }

  upsert(roomId: string, listing: RoomListing): void {
    // A listing without a name comes from a server that ran Snek only.
    const game = listing.name ?? SNEK;
    if (!isGameName(game) || listing.private === true || listing.unlisted === true) {
      this.rooms.delete(roomId);
      return;
    }
    this.rooms.set(roomId, { roomId, game, clients: listing.clients, maxClients: listing.maxClients });
  }

  remove(roomId: string): void {
    this.rooms.delete(roomId);
  }

  /** Busiest first, so Quick play's likely room is on top; then by id for a steady order. */
  list(): ListedRoom[] {
    return [...this.rooms.values()].sort((a, b) => b.clients - a.clients || a.roomId.localeCompare(b.roomId));
  }
}
