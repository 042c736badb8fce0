// window.__snek: a small, read-only window into the client for browser tests
// and the benchmark, so they wait on facts instead of scraping pixels.
//
//   screen        "lobby" | "joining" | "game"
//   connection    "open" | "reconnecting" | "closed" while in a game, else undefined
//   roomId, sessionId   of the current game
//   tick          newest server tick decoded
//   you           your head cell, direction and whether you are alive (server state as decoded)
//   players       players in the room
//   snakes        the snakes in the last drawn frame: sessionId, name, and whether it is yours
//   renderer      "webgl" or "canvas" once the game has started drawing
//   frames        frames drawn since the page loaded
//   frameTimes    the last 600 frame build+draw durations (ms), for bench:web
//   watching      true while spectating (?watch=1): no snake of your own, no input
//   notice        the message the lobby shows (why a join or game failed), if any
//   stats         patches, drops, reconnects, rejected, turnsSent for the current game

import type { FrameLayout } from "./scenes/GameScene.ts";
import type { Dir } from "../../rooms/snek/rules.ts";
import type { ConnectionState, GameSession, SnakeView } from "./game/session.ts";

export interface SnekTestHook {
  screen: "lobby" | "joining" | "game";
  connection: ConnectionState | undefined;
  roomId: string | undefined;
  sessionId: string | undefined;
  tick: number;
  you: { x: number; y: number; dir: Dir; alive: boolean } | undefined;
  players: number;
  snakes: { sessionId: string; name: string; you: boolean }[];
  renderer: "webgl" | "canvas" | undefined;
  frames: number;
  frameTimes: number[];
  watching: boolean;
  notice: string | undefined;
  stats: GameSession["stats"] | undefined;
  /** Where the last frame put your head (or place of death) and the visible name labels, in CSS px of #stage. */
  layout: FrameLayout | undefined;
}

declare global {
  interface Window {
    __snek: SnekTestHook;
  }
}

const FRAME_TIMES_KEPT = 600;

export function installTestHook(): SnekTestHook {
  const hook: SnekTestHook = {
    screen: "lobby",
    connection: undefined,
    roomId: undefined,
    sessionId: undefined,
    tick: 0,
    you: undefined,
    players: 0,
    snakes: [],
    renderer: undefined,
    frames: 0,
    frameTimes: [],
    watching: false,
    notice: undefined,
    stats: undefined,
    layout: undefined,
  };
  window.__snek = hook;
  return hook;
}

/** Copies the session's facts into the hook (after each drawn frame). */
export function recordFrame(hook: SnekTestHook, session: GameSession | undefined, snakes: readonly SnakeView[], drawMs: number, layout?: FrameLayout): void {
  hook.frames++;
  hook.layout = layout;
  hook.frameTimes.push(drawMs);
  if (hook.frameTimes.length > FRAME_TIMES_KEPT) hook.frameTimes.splice(0, hook.frameTimes.length - FRAME_TIMES_KEPT);
  // Rebuilt only when the set of snakes changes, so a frame allocates nothing here.
  if (snakes.length !== hook.snakes.length || snakes.some((s, i) => s.sessionId !== hook.snakes[i]?.sessionId || s.name !== hook.snakes[i]?.name)) {
    hook.snakes = snakes.map((s) => ({ sessionId: s.sessionId, name: s.name, you: s.you }));
  }
  if (!session) return;
  const snapshot = session.snapshot();
  hook.connection = session.connection;
  hook.tick = snapshot.tick;
  hook.you = snapshot.you;
  hook.players = snapshot.players;
  hook.stats = session.stats;
}
