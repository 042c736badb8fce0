// The live list of public game rooms, kept from Colyseus' LobbyRoom messages:
// `rooms` (the whole list), `+` [roomId, room] (added or changed) and `-` roomId.

import type { RoomListingMetadata } from "../../../rooms/kit/protocol.ts";
import { SNEK, isGameName, type GameName } from "../lobby/games.ts";

export interface ListedRoom {
  roomId: string;
  game: GameName;
  /** Players (spectators take no player seat). */
  clients: number;
  maxClients: number;
  spectators: number;
}

/** The fields of a LobbyRoom listing this client reads; the rest is ignored. */
export interface RoomListing {
  roomId: string;
  name?: string;
  clients: number;
  maxClients: number;
  private?: boolean;
  unlisted?: boolean;
  /** The room's own counts: Colyseus' `clients` counts spectators too. */
  metadata?: Partial<RoomListingMetadata>;
  /** GET /api/rooms gives the counts at the top level. */
  spectators?: number;
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
    const clients = listing.metadata?.players ?? listing.clients;
    const spectators = listing.metadata?.spectators ?? listing.spectators ?? 0;
    this.rooms.set(roomId, { roomId, game, clients, maxClients: listing.maxClients, spectators });
  }

  remove(roomId: string): void {
    this.rooms.delete(roomId);
  }

  /** Busiest first, so Quick play's likely room is on top; then by id for a steady order. */
  list(): ListedRoom[] {
    return [...this.rooms.values()].sort((a, b) => b.clients - a.clients || a.roomId.localeCompare(b.roomId));
  }
}
