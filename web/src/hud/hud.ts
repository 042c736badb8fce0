// The HUD: plain DOM over the canvas, so text is crisp, selectable by screen
// readers and never drawn into the game. It shows what GameSession.hud()
// reports and counts down death and drain timers.

import { copyText, byId, el, setText } from "../dom.ts";
import { cssColor, snakeColor } from "../game/palette.ts";
import type { HudView } from "../game/session.ts";

export interface HudActions {
  leave(): void;
  respawn(): void;
}

const CONNECTION_LABELS: Record<HudView["connection"], string> = {
  open: "Connected",
  reconnecting: "Reconnecting…",
  closed: "Disconnected",
};

export class Hud {
  private readonly swatch = byId("hud-swatch");
  private readonly name = byId("hud-name");
  private readonly watching = byId("hud-watching");
  /** Your score, length and best: nothing to show while watching. */
  private readonly yourStats = [byId("hud-score"), byId("hud-length"), byId("hud-best")].map((b) => b.parentElement!);
  private readonly score = byId("hud-score");
  private readonly length = byId("hud-length");
  private readonly best = byId("hud-best");
  private readonly players = byId("hud-players");
  private readonly ping = byId("hud-ping");
  private readonly connection = byId("hud-connection");
  private readonly connectionText = byId("hud-connection-text");
  private readonly topList = byId<HTMLOListElement>("hud-top-list");
  private readonly drainBanner = byId("drain-banner");
  private readonly invitePanel = byId("invite-panel");
  private readonly inviteLink = byId<HTMLInputElement>("invite-link");
  private readonly inviteCode = byId("invite-code");
  private readonly inviteTitle = byId("invite-title");
  private readonly inviteCopy = byId<HTMLButtonElement>("invite-copy");
  private readonly deathOverlay = byId("death-overlay");
  private readonly deathScore = byId("death-score");
  private readonly deathBest = byId("death-best");
  private readonly deathCountdown = byId("death-countdown");
  private readonly reconnectOverlay = byId("reconnect-overlay");
  private readonly startHint = byId("start-hint");
  private last: HudView | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private topKey = "";
  /** Public games re-enter matchmaking by themselves when the server drains; private ones cannot. */
  private rejoinsOnDrain = true;

  constructor(actions: HudActions) {
    byId("hud-leave").addEventListener("click", () => actions.leave());
    byId("respawn-button").addEventListener("click", () => actions.respawn());
    byId("hud-invite").addEventListener("click", () => this.toggleInvite());
    byId("invite-close").addEventListener("click", () => (this.invitePanel.hidden = true));
    this.inviteCopy.addEventListener("click", async () => {
      const copied = await copyText(this.inviteLink.value, this.inviteLink);
      setText(this.inviteCopy, copied ? "Copied!" : "Press Ctrl+C");
      setTimeout(() => setText(this.inviteCopy, "Copy"), 1800);
    });
  }

  /** A new game: reset everything, and open the invite panel for a room you just created. */
  start(roomId: string, link: string, privateRoom: boolean): void {
    this.last = undefined;
    this.topKey = "";
    this.rejoinsOnDrain = !privateRoom;
    this.inviteLink.value = link;
    setText(this.inviteCode, roomId);
    setText(this.inviteTitle, privateRoom
      ? "Your private room is ready. Share this link to play together:"
      : "Share this link to play in this room together:");
    this.invitePanel.hidden = !privateRoom;
    this.drainBanner.hidden = true;
    this.deathOverlay.hidden = true;
    this.reconnectOverlay.hidden = true;
    this.startHint.hidden = true;
    this.timer ??= setInterval(() => this.countdowns(), 250);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.invitePanel.hidden = true;
  }

  update(hud: HudView): void {
    this.last = hud;
    const you = hud.you;
    setText(this.name, you?.name ?? "");
    this.watching.hidden = !hud.watching;
    this.swatch.hidden = hud.watching;
    for (const stat of this.yourStats) stat.hidden = hud.watching;
    this.swatch.style.background = cssColor(snakeColor(you?.color ?? 0));
    setText(this.score, String(you?.score ?? 0));
    setText(this.length, String(you?.length ?? 0));
    setText(this.best, String(you?.best ?? 0));
    setText(this.players, hud.bots > 0 ? `${hud.players} + ${hud.bots} bots` : String(hud.players));
    setText(this.ping, hud.pingMs === undefined ? "–" : `${hud.pingMs} ms`);
    setText(this.connectionText, CONNECTION_LABELS[hud.connection]);
    this.connection.title = CONNECTION_LABELS[hud.connection];
    this.connection.dataset.state = hud.connection;
    this.reconnectOverlay.hidden = hud.connection !== "reconnecting";
    this.deathOverlay.hidden = !(you && !you.alive && hud.connection === "open");
    setText(this.deathScore, String(you?.score ?? 0));
    setText(this.deathBest, String(you?.best ?? 0));
    this.renderTop(hud);
    this.countdowns();
  }

  private renderTop(hud: HudView): void {
    const key = JSON.stringify(hud.top.map((s) => [s.sessionId, s.name, s.score, s.color, s.alive, s.you, s.bot]));
    if (key === this.topKey) return;
    this.topKey = key;
    const items = hud.top.map((standing) => {
      const item = el("li", [standing.you ? "you" : "", standing.alive ? "" : "dead"].filter(Boolean).join(" "));
      const swatch = el("span", "swatch");
      swatch.style.background = cssColor(snakeColor(standing.color));
      item.append(swatch, el("span", "who", standing.you ? `${standing.name} (you)` : standing.bot ? `${standing.name} (bot)` : standing.name), el("span", "score", String(standing.score)));
      return item;
    });
    this.topList.replaceChildren(...items);
  }

  private countdowns(): void {
    const hud = this.last;
    if (!hud) return;
    const now = performance.now();
    const notice = hud.serverNotice;
    if (notice) {
      const seconds = notice.endsAtMs === undefined ? undefined : Math.max(0, Math.ceil((notice.endsAtMs - now) / 1000));
      setText(this.drainBanner, seconds === undefined ? notice.message
        : `This server is restarting: the game ends in ${seconds} s. ${this.rejoinsOnDrain ? "You will be moved to a new game." : "Create a new room afterwards to keep playing."}`);
      this.drainBanner.hidden = false;
    } else {
      this.drainBanner.hidden = true;
    }
    this.startHint.hidden = hud.startsAtMs === undefined || hud.connection !== "open";
    if (hud.startsAtMs !== undefined) {
      const seconds = Math.max(0, Math.ceil((hud.startsAtMs - now) / 1000));
      setText(this.startHint, `Turn to start (arrows, WASD or swipe) · off by itself in ${seconds} s`);
    }
    if (hud.respawnAtMs !== undefined) {
      const seconds = Math.max(0, Math.ceil((hud.respawnAtMs - now) / 1000));
      setText(this.deathCountdown, seconds > 0 ? `Back in ${seconds} s, or respawn now.` : "Respawning…");
    }
  }

  /**
   * Keeps the crash card clear of where you died: `focusY` is that place's
   * height on the board area (0 top, 1 bottom); the card takes the other half.
   */
  placeDeathCard(focusY: number | undefined): void {
    const place = focusY !== undefined && focusY > 0.5 ? "top" : "bottom";
    if (this.deathOverlay.dataset.place !== place) this.deathOverlay.dataset.place = place;
  }

  private toggleInvite(): void {
    this.invitePanel.hidden = !this.invitePanel.hidden;
    if (!this.invitePanel.hidden) this.inviteLink.select();
  }
}
