// Creates the Phaser game once, the first time a room is joined. This module
// (and Phaser with it) is loaded lazily, so the lobby appears at once.

import Phaser from "phaser";
import { PAGE_COLOR } from "../game/palette.ts";
import { GameScene, type StageBridge } from "./GameScene.ts";

export interface Stage {
  /** Start drawing (entering a game). */
  wake(): void;
  /** Stop the render loop (back in the lobby). */
  sleep(): void;
  /** The canvas Phaser draws into (once Phaser has booted). */
  readonly canvas: HTMLCanvasElement | undefined;
}

export function createStage(parent: HTMLElement, bridge: StageBridge): Stage {
  const renderer = new URLSearchParams(location.search).get("renderer");
  const game = new Phaser.Game({
    type: renderer === "canvas" ? Phaser.CANVAS : renderer === "webgl" ? Phaser.WEBGL : Phaser.AUTO,
    parent,
    backgroundColor: PAGE_COLOR,
    banner: false,
    disableContextMenu: true,
    scale: { mode: Phaser.Scale.RESIZE, width: parent.clientWidth || 800, height: parent.clientHeight || 600 },
    render: { antialias: true, powerPreference: "high-performance" },
    scene: [new GameScene(bridge)],
  });
  return {
    get canvas() {
      return game.canvas ?? undefined;
    },
    wake: () => {
      game.loop.wake();
      game.scale.refresh();
    },
    sleep: () => game.loop.sleep(),
  };
}
