// The one list of games this server runs. Adding a game is its own folder
// under rooms/ and one line here; nothing in rooms/server names a game.

import { FOUR_CONFIG, fourRoomWith } from "./four/FourRoom.ts";
import { JoinOptions as FourJoinOptions, MAX_PLAYERS as FOUR_SEATS, ROOM_NAME as FOUR } from "./four/protocol.ts";
import type { GameDefinition } from "./kit/GameRoom.ts";
import { pickConfig, type Config } from "./server/config.ts";
import { JoinOptions as SnekJoinOptions, ROOM_NAME as SNEK } from "./snek/protocol.ts";
import { SNEK_CONFIG, snekRoomWith } from "./snek/SnekRoom.ts";

export type Game = GameDefinition<Config>;

export const GAMES: readonly Game[] = [
  { name: SNEK, room: (kit, config) => snekRoomWith({ ...kit, ...pickConfig(config, SNEK_CONFIG) }), joinOptions: SnekJoinOptions },
  { name: FOUR, room: (kit, config) => fourRoomWith({ ...kit, maxPlayers: FOUR_SEATS, ...pickConfig(config, FOUR_CONFIG) }), joinOptions: FourJoinOptions },
];
