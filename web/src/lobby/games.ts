// The games this client can show, by room name: what the lobby calls them.
// A room of any other name is not listed.

import { ROOM_NAME as FOUR } from "../../../rooms/four/protocol.ts";
import { ROOM_NAME as SNEK } from "../../../rooms/snek/protocol.ts";

export const GAME_TITLES = { [SNEK]: "Snek", [FOUR]: "Four in a row" } as const;
export type GameName = keyof typeof GAME_TITLES;
export { FOUR, SNEK };

export function isGameName(name: unknown): name is GameName {
  return typeof name === "string" && Object.hasOwn(GAME_TITLES, name);
}
