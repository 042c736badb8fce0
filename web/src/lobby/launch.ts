// What the page was opened to do, from its URL: `?room=<id>` joins that room
// (`&game=four` for a Four in a row room, `&watch=1` as a spectator), `?name=`
// fills in the name, `?play=1` quick-joins at once (`&game=four`: Four in a
// row). Shared links and the browser tests use these. (`?renderer=` is for bench:web.)

import { cleanName } from "../../../rooms/kit/protocol.ts";
import { SNEK, isGameName, type GameName } from "./games.ts";

export interface Launch {
  roomId?: string;
  name?: string;
  play: boolean;
  /** Which game ?room= or ?play= means (?game=). Absent: Snek for ?play=, the room's own game for ?room=. */
  game?: GameName;
  /** ?watch=1: join ?room= as a spectator. */
  watch: boolean;
  /** ?renderer=webgl|canvas forces Phaser's renderer (for comparing them). */
  renderer?: "webgl" | "canvas";
}

/** Colyseus room ids are short nanoid-style strings. */
const ROOM_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function parseLaunch(search: string): Launch {
  const params = new URLSearchParams(search);
  const yes = (key: string) => ["1", "true", "yes"].includes(params.get(key) ?? "");
  const game = params.get("game");
  const launch: Launch = { play: yes("play"), watch: yes("watch") };
  if (isGameName(game)) launch.game = game;
  const roomId = normalizeRoomCode(params.get("room") ?? "");
  if (roomId) launch.roomId = roomId;
  const name = cleanName(params.get("name") ?? undefined);
  if (name) launch.name = name;
  const renderer = params.get("renderer");
  if (renderer === "webgl" || renderer === "canvas") launch.renderer = renderer;
  return launch;
}

/** A typed or pasted room code (or a whole share link) to a room id, or undefined if it cannot be one. */
export function normalizeRoomCode(input: string): string | undefined {
  const trimmed = input.trim();
  if (trimmed === "") return undefined;
  if (/^https?:\/\//i.test(trimmed)) {
    try {
      return normalizeRoomCode(new URL(trimmed).searchParams.get("room") ?? "");
    } catch {
      return undefined;
    }
  }
  return ROOM_ID.test(trimmed) ? trimmed : undefined;
}

/** The link that opens this page straight into `roomId` (as a player, or watching). */
export function shareLink(pageUrl: string, roomId: string, game: GameName = SNEK, watch = false): string {
  const url = new URL(pageUrl);
  url.search = "";
  url.hash = "";
  url.searchParams.set("room", roomId);
  if (game !== SNEK) url.searchParams.set("game", game);
  if (watch) url.searchParams.set("watch", "1");
  return url.toString();
}

/** The page URL with launch parameters removed, so a reload does not re-join or re-create. */
export function withoutLaunchParams(pageUrl: string): string {
  const url = new URL(pageUrl);
  for (const key of ["room", "play", "game", "watch"]) url.searchParams.delete(key);
  return url.toString();
}

export const NAME_STORAGE_KEY = "snek.name";

export function loadName(storage: Pick<Storage, "getItem"> | undefined): string {
  try {
    return cleanName(storage?.getItem(NAME_STORAGE_KEY) ?? undefined) ?? "";
  } catch {
    return ""; // storage can throw in private modes; the name is a convenience
  }
}

export function saveName(storage: Pick<Storage, "setItem"> | undefined, name: string): void {
  try {
    storage?.setItem(NAME_STORAGE_KEY, name);
  } catch {
    // as above: not remembering the name is acceptable
  }
}
