// The web client's entry point: the lobby, joining, one game at a time, and
// the way back to the lobby with a message when a game ends or a join fails.

import { followMigrations } from "../../../rooms/kit/client/follow.ts";
import { CLOSE_CODES } from "../../../rooms/kit/protocol.ts";
import { byId } from "../dom.ts";
import { FourGame, type FourRoom } from "../four/fourGame.ts";
import type { GameAction } from "../game/input.ts";
import { GameSession, type SessionEnd, type SnakeView, type SnekRoom } from "../game/session.ts";
import { FOUR, SNEK } from "../lobby/games.ts";
import { Hud } from "../hud/hud.ts";
import { loadName, parseLaunch, saveName, shareLink, withoutLaunchParams } from "../lobby/launch.ts";
import { LobbyView, type LobbyChoice } from "../lobby/lobbyView.ts";
import { GameServer, RoomFeed } from "../net/gameServer.ts";
import { describeJoinError, describeLeave } from "../net/joinErrors.ts";
import type { FrameLayout } from "../scenes/GameScene.ts";
import type { Stage } from "../scenes/stage.ts";
import { installTestHook, recordFrame } from "../testHook.ts";

const hook = installTestHook();
const launch = parseLaunch(location.search);
const server = new GameServer();
const gameElement = byId("game");
const stageElement = byId("stage");
const loadingOverlay = byId("loading-overlay");
const storage = safeLocalStorage();

let session: GameSession | undefined;
let stage: Stage | undefined;

const lobby = new LobbyView((choice) => void play(choice), (name) => saveName(storage, name));
const hud = new Hud({
  leave: () => void session?.leave(),
  respawn: () => session?.act({ kind: "respawn" }),
});
const feed = new RoomFeed(server, (rooms, live) => lobby.showRooms(rooms, live));
const four = new FourGame({
  client: server.client,
  renderer: launch.renderer ?? "canvas",
  ended: (message) => backToLobby(message),
});

// Phaser is the bulk of the download: it is fetched while the player reads the lobby.
type StageModule = typeof import("../scenes/stage.ts");
let stageModule: Promise<StageModule> | undefined;
const loadStageModule = (): Promise<StageModule> => (stageModule ??= import("../scenes/stage.ts"));

const stageHost = {
  session: () => session,
  act: (action: GameAction) => session?.act(action),
  framed: (drawMs: number, snakes: readonly SnakeView[], layout: FrameLayout) => {
    recordFrame(hook, session, snakes, drawMs, layout);
    hud.placeDeathCard(layout.focus && layout.focus.y / Math.max(1, layout.areaHeight));
  },
};

/** Joins as chosen; `why` prefixes the lobby message if it fails (e.g. "the server restarted"). */
async function play(choice: LobbyChoice, why?: string): Promise<void> {
  hook.screen = "joining";
  hook.notice = undefined;
  lobby.setBusy(true, choice.kind === "create" ? "Creating a private room…" : "Joining…");
  const name = lobby.name;
  saveName(storage, name);
  void loadStageModule().catch(() => undefined);

  let room: Awaited<ReturnType<GameServer["join"]>>;
  try {
    room = await server.join(choice, name);
  } catch (error) {
    const reason = describeJoinError(error, choice);
    backToLobby(why ? `${why} ${reason}` : reason);
    return;
  }
  void feed.stop();
  if (room.name === FOUR) enterFour(room as FourRoom, choice);
  else await enterGame(room as SnekRoom, choice);
}

/** Shows a joined Four in a row room (fourGame.ts runs it, and calls backToLobby when it ends). */
function enterFour(room: FourRoom, choice: LobbyChoice): void {
  const spectator = choice.kind === "code" && choice.watch === true;
  const link = shareLink(location.href, room.roomId, FOUR);
  history.replaceState(null, "", spectator ? shareLink(location.href, room.roomId, FOUR, true) : link);
  document.title = `Four in a row · room ${room.roomId}`;
  Object.assign(hook, { screen: "game", roomId: room.roomId, sessionId: room.sessionId, connection: "open" });
  lobby.hide();
  four.enter(room, { spectator, inviteLink: link, created: choice.kind === "create" });
}

/** Games that lost their room in a move (the server could not move it, or its seat could not be taken). */
const movedOut = new WeakSet<GameSession>();

/** Shows a joined room: a new session, the HUD, and the stage (created on first use). */
async function enterGame(room: SnekRoom, choice: LobbyChoice, hasState = false): Promise<void> {
  const watching = choice.kind === "code" && choice.watch === true;
  const game: GameSession = new GameSession(room, {
    watching,
    onHud: (view) => {
      if (session !== game) return;
      hud.update(view);
      hook.connection = view.connection;
    },
    onEnd: (end) => void ended(game, end, choice),
  });
  session = game;
  if (hasState) game.takeCurrentState();
  // The server moves games off a draining replica: follow with the same seat (rooms/kit/client/follow.ts).
  followMigrations(server.client, room, {
    // Decoded through reflection: the same fields as SnekState, which the SDK cannot name here.
    moved: (next) => {
      // Called once the successor's first state is in: drawn at once.
      if (session === game) void enterGame(next as SnekRoom, choice, true);
      else void next.leave();
    },
    lost: () => movedOut.add(game),
  });
  const link = shareLink(location.href, room.roomId);
  history.replaceState(null, "", watching ? shareLink(location.href, room.roomId, SNEK, true) : link);
  document.title = `Snek · ${watching ? "watching " : ""}room ${room.roomId}`;
  Object.assign(hook, { screen: "game", roomId: room.roomId, sessionId: room.sessionId, connection: "open", watching });

  lobby.hide();
  gameElement.hidden = false;
  hud.start(room.roomId, link, choice.kind === "create");
  try {
    if (!stage) {
      loadingOverlay.hidden = false;
      stage = (await loadStageModule()).createStage(stageElement, stageHost, launch.renderer);
      hook.renderer = stage.renderer;
    }
    stage.wake();
  } catch (error) {
    console.error(error);
    await game.leave();
    backToLobby("The game could not start its graphics (WebGL). Try another browser, or turn on hardware acceleration.");
  } finally {
    loadingOverlay.hidden = true;
  }
}

async function ended(game: GameSession, end: SessionEnd, choice: LobbyChoice): Promise<void> {
  if (session !== game) return;
  session = undefined;
  hud.stop();
  stage?.sleep();
  gameElement.hidden = true;
  // A drained public game, or one whose move failed, moves on by itself: matchmaking finds a room on a replica that stays.
  if ((end.code === CLOSE_CODES.drained || movedOut.has(game)) && choice.kind !== "create") {
    lobby.show();
    lobby.showNotice("The server restarted. Finding you a new game…");
    await play({ kind: "quick", game: SNEK }, "The server restarted and your game ended; no new game could be found yet.");
    return;
  }
  backToLobby(movedOut.has(game)
    ? "The server restarted and your private room could not be moved. Create a new room to keep playing."
    : describeLeave(end.code, end.reconnectFailed));
}

function backToLobby(message: string | undefined): void {
  history.replaceState(null, "", withoutLaunchParams(location.href));
  Object.assign(hook, { screen: "lobby", connection: undefined, roomId: undefined, sessionId: undefined, notice: message });
  gameElement.hidden = true;
  lobby.show();
  lobby.showNotice(message);
  void feed.start();
}

function safeLocalStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

// Coming back to the tab: the picture restarts its timing from the next patch instead of replaying the gap.
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") session?.resync();
});

lobby.name = launch.name ?? loadName(storage);
if (launch.name) saveName(storage, launch.name);
if (launch.roomId) void play({ kind: "code", roomId: launch.roomId, watch: launch.watch, ...(launch.game ? { game: launch.game } : {}) });
else if (launch.play) void play({ kind: "quick", game: launch.game ?? SNEK });
else backToLobby(undefined);
