// One Four in a row game on the page: the room, its HUD (plain DOM: who is
// seated, wins, whose turn, rematch, invite, leave) and the Phaser stage,
// created on first use. It follows the room when the server moves it to
// another replica, and hands control back to the lobby when the game ends.

import type { Client, Room } from "@colyseus/sdk";
import { CLIENT_MESSAGES } from "../../../rooms/four/protocol.ts";
import { followMigrations } from "../../../rooms/kit/client/follow.ts";
import { SERVER_MESSAGES, type RejectedNotice } from "../../../rooms/kit/protocol.ts";
import { byId, copyText, el, setText } from "../dom.ts";
import { describeLeave } from "../net/joinErrors.ts";
import { DiscDrops } from "./falling.ts";
import type { FourBridge } from "./FourScene.ts";
import { pictureOf, type DecodedFour, type FourPicture } from "./picture.ts";

export type FourRoom = Room<unknown, DecodedFour>;

export interface FourHost {
  client: Client;
  /** The game ended; `message` says why, if the player should know. */
  ended(message: string | undefined): void;
  renderer: "webgl" | "canvas";
}

/** window.__four: facts browser tests wait on instead of scraping pixels. */
export interface FourTestHook {
  roomId: string | undefined;
  sessionId: string | undefined;
  spectator: boolean;
  connection: "open" | "reconnecting" | "closed" | undefined;
  /** The board as 42 digits, row-major from the top. */
  board: string;
  seat: number | undefined;
  yourTurn: boolean;
  over: boolean;
  winner: string;
  moves: number;
  headline: string;
  frames: number;
  /** The reason of the last `rejected` notice. */
  rejected: string | undefined;
}

declare global {
  interface Window {
    __four: FourTestHook;
  }
}

export class FourGame {
  private readonly root = byId("four");
  private readonly seatsEl = byId("four-seats");
  private readonly headlineEl = byId("four-headline");
  private readonly noticeEl = byId("four-notice");
  private readonly watchingEl = byId("four-watching");
  private readonly rematchButton = byId<HTMLButtonElement>("four-rematch");
  private readonly invitePanel = byId("four-invite-panel");
  private readonly inviteLink = byId<HTMLInputElement>("four-invite-link");
  private readonly inviteCopy = byId<HTMLButtonElement>("four-invite-copy");
  private readonly stageEl = byId("four-stage");
  private readonly drops = new DiscDrops();
  private readonly host: FourHost;
  private room: FourRoom | undefined;
  private picture: FourPicture | undefined;
  private stage: Promise<unknown> | undefined;
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly timerEl = byId("four-timer");
  /** The turn being timed ("sessionId:moves") and when this client saw it begin. */
  private timedTurn = { key: "", sinceMs: 0 };
  readonly hook: FourTestHook = {
    roomId: undefined, sessionId: undefined, spectator: false, connection: undefined, board: "", seat: undefined,
    yourTurn: false, over: false, winner: "", moves: 0, headline: "", frames: 0, rejected: undefined,
  };

  constructor(host: FourHost) {
    this.host = host;
    window.__four = this.hook;
    byId("four-leave").addEventListener("click", () => void this.room?.leave());
    // The move timer, counted from when this client saw the turn begin (the server's clock decides).
    setInterval(() => this.showTimer(), 250);
    this.rematchButton.addEventListener("click", () => this.room?.send("rematch", CLIENT_MESSAGES.rematch.parse({})));
    byId("four-invite").addEventListener("click", () => (this.invitePanel.hidden = !this.invitePanel.hidden));
    this.inviteCopy.addEventListener("click", async () => {
      const copied = await copyText(this.inviteLink.value, this.inviteLink);
      setText(this.inviteCopy, copied ? "Copied!" : "Press Ctrl+C");
      setTimeout(() => setText(this.inviteCopy, "Copy"), 1800);
    });
  }

  /** Shows a joined room. `inviteLink` asks the opponent in; `created` opens the invite at once. */
  enter(room: FourRoom, options: { spectator: boolean; inviteLink: string; created: boolean }): void {
    this.room = room;
    this.drops.forget();
    this.picture = undefined;
    Object.assign(this.hook, { roomId: room.roomId, sessionId: room.sessionId, spectator: options.spectator, connection: "open", rejected: undefined });
    this.inviteLink.value = options.inviteLink;
    this.invitePanel.hidden = !options.created;
    // Opened for the creator: it closes by itself once the opponent sits down.
    this.invitePanel.dataset.auto = options.created ? "1" : "";
    this.watchingEl.hidden = !options.spectator;
    this.showNotice(undefined);
    this.root.hidden = false;

    room.onStateChange((state) => {
      if (this.room === room) this.show(pictureOf(state, room.sessionId));
    });
    room.onMessage(SERVER_MESSAGES.rejected, (notice: RejectedNotice) => {
      this.hook.rejected = notice.reason;
      this.showNotice(notice.message);
    });
    room.onMessage(SERVER_MESSAGES.draining, (notice: { message: string }) => this.showNotice(notice.message));
    room.onDrop(() => {
      this.hook.connection = "reconnecting";
      this.showNotice("Connection lost. Reconnecting… your seat is kept.", false);
    });
    room.onReconnect(() => {
      this.hook.connection = "open";
      this.showNotice(undefined);
    });
    room.onLeave((code) => {
      if (this.room !== room) return;
      this.hook.connection = "closed";
      this.leave(describeLeave(code, false));
    });
    followMigrations(this.host.client, room, {
      moving: (notice) => this.showNotice(notice.message),
      moved: (next) => {
        if (this.room !== room) return void next.leave();
        this.room = undefined;
        this.enter(next as FourRoom, { ...options, created: false });
      },
      lost: (message) => {
        if (this.room === room) this.leave(message);
      },
    });
    this.stage ??= import("./FourScene.ts").then(({ createFourStage }) => createFourStage(this.stageEl, this.bridge, this.host.renderer));
  }

  private readonly bridge: FourBridge = {
    picture: () => this.picture,
    drops: () => this.drops,
    drop: (column) => {
      // Moves the server would refuse anyway are still sent: its notice says why.
      if (this.room && !this.hook.spectator) this.room.send("drop", CLIENT_MESSAGES.drop.parse({ column }));
    },
    framed: () => void this.hook.frames++,
  };

  private show(picture: FourPicture): void {
    this.picture = picture;
    this.drops.update(picture.cells, performance.now());
    setText(this.headlineEl, picture.headline);
    const turnKey = picture.turn === undefined ? "" : `${picture.turn}:${picture.moves}`;
    if (turnKey !== this.timedTurn.key) this.timedTurn = { key: turnKey, sinceMs: performance.now() };
    this.showTimer();
    this.rematchButton.hidden = !picture.canAskRematch;
    if (picture.seats.length === 2 && this.invitePanel.dataset.auto === "1") {
      this.invitePanel.hidden = true;
      this.invitePanel.dataset.auto = "";
    }
    this.seatsEl.replaceChildren(...picture.seats.map((seat) => {
      const item = el("span", `four-seat${seat.seat === picture.turn ? " to-move" : ""}`);
      const swatch = el("span", "swatch");
      swatch.style.background = seat.color;
      const label = `${seat.name}${seat.you ? " (you)" : ""}${seat.connected ? "" : " · reconnecting"}${seat.rematch ? " · rematch?" : ""}`;
      item.append(swatch, el("span", "four-seat-name", label), el("b", "four-seat-wins", String(seat.wins)));
      return item;
    }));
    Object.assign(this.hook, {
      board: picture.cells.join(""), seat: picture.you, yourTurn: picture.yourTurn, over: picture.over,
      winner: this.room?.state.winner ?? "", moves: picture.moves, headline: picture.headline,
    });
  }

  private showTimer(): void {
    const picture = this.picture;
    if (!picture || this.timedTurn.key === "") return void setText(this.timerEl, "");
    const left = Math.max(0, Math.ceil(picture.turnSeconds - (performance.now() - this.timedTurn.sinceMs) / 1000));
    setText(this.timerEl, `${left} s to move`);
  }

  /** A line under the board; it fades after a few seconds unless it must stay (reconnecting). */
  private showNotice(message: string | undefined, fades = true): void {
    if (this.noticeTimer !== undefined) clearTimeout(this.noticeTimer);
    setText(this.noticeEl, message ?? "");
    if (message && fades) this.noticeTimer = setTimeout(() => setText(this.noticeEl, ""), 4000);
  }

  private leave(message: string | undefined): void {
    this.room = undefined;
    this.picture = undefined;
    this.root.hidden = true;
    Object.assign(this.hook, { roomId: undefined, sessionId: undefined });
    this.host.ended(message);
  }
}
