// Which replica a page plays on, as the browser sees it: the URL of its game
// socket, which goes through the edge route of the room's replica
// (/<replica>/<processId>/<roomId>?sessionId=...).

import type { Browser, Page } from "playwright-core";
import { openGame } from "./support.ts";

export interface GameSocket {
  url: string;
  open: boolean;
}

/** Records the game sockets a page opens (a seat has ?sessionId=; the lobby's listing has none), in order. */
export function watchGameSockets(page: Page): GameSocket[] {
  const sockets: GameSocket[] = [];
  page.on("websocket", (ws) => {
    if (!ws.url().includes("sessionId=")) return;
    const socket = { url: ws.url(), open: true };
    sockets.push(socket);
    ws.on("close", () => { socket.open = false; });
  });
  return sockets;
}

/** The replica named by a socket URL's edge route (/game-<i>/). */
export function routeOf(url: string): string | undefined {
  return /^\/(game-\d+)\//.exec(new URL(url).pathname)?.[1];
}

/** openGame in a fresh small context, with its game sockets recorded from the first request. */
export async function openWatchedGame(browser: Browser, baseUrl: string, pathAndQuery: string): Promise<{ page: Page; sockets: GameSocket[] }> {
  // Small windows: several pages render at once on CI's two cores.
  const context = await browser.newContext({ viewport: { width: 960, height: 600 } });
  let sockets: GameSocket[] | undefined;
  context.on("page", (page) => { sockets ??= watchGameSockets(page); });
  const page = await openGame(context, baseUrl, pathAndQuery);
  if (!sockets) throw new Error("the page opened before its sockets were watched");
  return { page, sockets };
}
