// What the browser tests share: the server under test (booted here, or an
// injected base URL such as the local edge: WEB_E2E_URL=http://127.0.0.1:8080),
// pages that play, and a view of the server's own state to check them against.

import path from "node:path";
import { Client, type Room } from "@colyseus/sdk";
import type { BrowserContext, Page } from "playwright-core";
import { dirFromCode } from "../../rooms/snek/protocol.ts";
import type { Cell, Dir } from "../../rooms/snek/rules.ts";
import { SnekState } from "../../rooms/snek/state.ts";
import { ensureWebBuild } from "../../scripts/ensure-web-build.ts";
import { bootServer, type TestServer } from "../support/server.ts";
import { waitFor } from "../support/wait.ts";
import { hookOf, waitForHook } from "./browser.ts";

export const WEB_DIST = path.resolve("web/dist");

export interface ServerSnake {
  alive: boolean;
  dir: Dir;
  head: Cell;
}

/** The game server the pages talk to, and the server's truth about a snake. */
export interface Target {
  baseUrl: string;
  /** Set when the server runs in this process (its internals are reachable). */
  local: TestServer | undefined;
  snake(roomId: string, sessionId: string): Promise<ServerSnake | undefined>;
  close(): Promise<void>;
}

/**
 * Boots the real server on web/dist (building it first if it is stale), or
 * uses WEB_E2E_URL when set. Against a remote target the truth comes from an
 * SDK client that joins the room and reads the state the server sends.
 */
export async function startTarget(env: Record<string, string> = {}): Promise<Target> {
  const injected = process.env.WEB_E2E_URL;
  if (injected) {
    const observers = new Map<string, Room<unknown, SnekState>>();
    return {
      baseUrl: injected.replace(/\/$/, ""),
      local: undefined,
      async snake(roomId, sessionId) {
        let observer = observers.get(roomId);
        if (!observer) {
          observer = await new Client(injected).joinById(roomId, { name: "observer" }, SnekState);
          observers.set(roomId, observer);
        }
        const player = observer.state.players?.get(sessionId);
        return player ? { alive: player.alive, dir: dirFromCode(player.dir), head: { x: player.x, y: player.y } } : undefined;
      },
      async close() {
        await Promise.all([...observers.values()].map((room) => room.leave().catch(() => undefined)));
      },
    };
  }
  ensureWebBuild({ log: () => undefined });
  const server = await bootServer({ WEB_DIST, ...env });
  return {
    baseUrl: server.url,
    local: server,
    async snake(roomId, sessionId) {
      const snake = server.room(roomId).world.snakes.get(sessionId);
      if (!snake) return undefined;
      return { alive: snake.alive, dir: snake.dir, head: snake.body[0] ?? snake.lastHead };
    },
    close: () => server.close(),
  };
}

/** Opens `path` in a fresh page and waits until it is in a game with its own snake drawn. */
export async function openGame(context: BrowserContext, baseUrl: string, pathAndQuery: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(baseUrl + pathAndQuery);
  await waitForHook(page, "the page to be in a game", "h.screen === 'game' && h.connection === 'open' && h.tick > 0 && h.frames > 0", 20_000);
  return page;
}

const TURNS: Record<Dir, [Dir, Dir]> = { up: ["left", "right"], down: ["left", "right"], left: ["up", "down"], right: ["up", "down"] };
/** A way for a player to ask for a turn. */
export type Steer = (page: Page, dir: Dir) => Promise<void>;

function keys(map: Record<Dir, string>): Steer {
  return (page, dir) => page.keyboard.press(map[dir]);
}
export const ARROW_KEYS = keys({ up: "ArrowUp", down: "ArrowDown", left: "ArrowLeft", right: "ArrowRight" });
export const WASD_KEYS = keys({ up: "KeyW", down: "KeyS", left: "KeyA", right: "KeyD" });
/** A finger (or mouse) drag of 60 px across the play area. */
export const SWIPE: Steer = async (page, dir) => {
  const box = await page.locator("#stage").boundingBox();
  if (!box) throw new Error("no play area");
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  const d = { up: [0, -60], down: [0, 60], left: [-60, 0], right: [60, 0] }[dir];
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + d[0]!, y + d[1]!, { steps: 6 });
  await page.mouse.up();
};

/**
 * Asks for a turn the snake can take (perpendicular, towards the roomier
 * side) and waits until the server's own snake heads that way. A
 * snake that dies first (walls come fast on a small board) is waited out and
 * tried again.
 */
export async function turnAndConfirm(page: Page, target: Target, steer: Steer, timeoutMs = 15_000): Promise<Dir> {
  const { roomId, sessionId } = await hookOf(page);
  if (!roomId || !sessionId) throw new Error("the page is not in a game");
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    const before = await waitFor("the snake to be alive on the server", async () => {
      const snake = await target.snake(roomId, sessionId);
      return snake?.alive ? snake : undefined;
    }, Math.max(1, deadline - Date.now()));
    const [a, b] = TURNS[before.dir];
    const centre = 24;
    const towards: Dir = a === "up" || a === "down"
      ? (before.head.y > centre ? "up" : "down")
      : (before.head.x > centre ? "left" : "right");
    const dir = towards === a || towards === b ? towards : a;
    await steer(page, dir);
    try {
      await waitFor(`the server to turn the snake ${dir}`, async () => {
        const snake = await target.snake(roomId, sessionId);
        if (!snake?.alive) throw new Error("died before the turn applied");
        return snake.dir === dir;
      }, 2000);
      return dir;
    } catch (error) {
      if (Date.now() > deadline || attempt >= 4) throw error;
    }
  }
}
