// Creates the Phaser game once, the first time a room is joined. This module
// (and Phaser with it) is loaded lazily, so the lobby appears at once.

import Phaser from "phaser";
import type { GameAction } from "../game/input.ts";
import { PAGE_COLOR } from "../game/palette.ts";
import type { GameSession, SnakeView } from "../game/session.ts";
import { GameScene, type CanvasRect, type FrameLayout } from "./GameScene.ts";
import { chooseRenderer, probeGlRenderer, type RendererChoice } from "./rendererChoice.ts";

export interface Stage {
  readonly renderer: RendererChoice;
  /** Start drawing (entering a game). */
  wake(): void;
  /** Stop the render loop (back in the lobby). */
  sleep(): void;
}

export interface StageHost {
  session(): GameSession | undefined;
  act(action: GameAction): void;
  framed(drawMs: number, snakes: readonly SnakeView[], layout: FrameLayout): void;
}

/**
 * `area` is the element the board may fill; the canvas sits inside it, sized
 * by the scene. `forcedRenderer` ("webgl" or "canvas", from ?renderer=)
 * overrides the renderer choice (rendererChoice.ts).
 */
export function createStage(area: HTMLElement, host: StageHost, forcedRenderer?: string): Stage {
  const renderer = chooseRenderer(forcedRenderer, forcedRenderer ? undefined : probeGlRenderer());
  const holder = document.createElement("div");
  holder.className = "stage-canvas";
  area.append(holder);
  let areaSize = { width: area.clientWidth, height: area.clientHeight };
  new ResizeObserver(() => {
    areaSize = { width: area.clientWidth, height: area.clientHeight };
  }).observe(area);

  let game: Phaser.Game | undefined = undefined;
  const scene = new GameScene({
    ...host,
    areaSize: () => areaSize,
    touchSurface: () => area,
    placeCanvas: (rect: CanvasRect) => {
      Object.assign(holder.style, { left: `${rect.left}px`, top: `${rect.top}px`, width: `${rect.width}px`, height: `${rect.height}px` });
      game?.scale.resize(Math.max(1, rect.width), Math.max(1, rect.height));
    },
  });
  game = new Phaser.Game({
    // AUTO still falls back to Canvas if WebGL fails after all.
    type: renderer === "canvas" ? Phaser.CANVAS : Phaser.AUTO,
    parent: holder,
    backgroundColor: PAGE_COLOR,
    banner: false,
    disableContextMenu: true,
    // The scene sizes the canvas itself (placeCanvas), to the board rather than the whole area.
    scale: { mode: Phaser.Scale.NONE, width: Math.max(1, areaSize.width), height: Math.max(1, areaSize.height) },
    render: { antialias: true, powerPreference: "high-performance" },
    scene: [scene],
  });
  const running = game;
  return {
    renderer,
    wake: () => running.loop.wake(),
    sleep: () => running.loop.sleep(),
  };
}
