// The lobby page: name, Quick play and Create private room for each game,
// Join by code and the live room list (Join or Watch each room). It only shows
// things and reports what the player chose.

import { NAME_MAX_CHARS } from "../../../rooms/kit/protocol.ts";
import { byId, el, setText } from "../dom.ts";
import type { ListedRoom } from "../net/roomList.ts";
import { FOUR, GAME_TITLES, SNEK, type GameName } from "./games.ts";
import { normalizeRoomCode, shareLink } from "./launch.ts";

/** `game` absent on a code join: the room's own name decides once joined. */
export type LobbyChoice =
  | { kind: "quick"; game: GameName }
  | { kind: "create"; game: GameName }
  | { kind: "code"; roomId: string; game?: GameName; watch?: boolean };

export class LobbyView {
  private readonly root = byId("lobby");
  private readonly notice = byId("lobby-notice");
  private readonly status = byId("lobby-status");
  private readonly nameInput = byId<HTMLInputElement>("name-input");
  private readonly codeInput = byId<HTMLInputElement>("code-input");
  private readonly list = byId<HTMLUListElement>("room-list");
  private readonly empty = byId("room-list-empty");
  private readonly live = byId("rooms-live");
  private readonly buttons = ["quick-play", "create-private", "quick-play-four", "create-private-four", "join-code"].map((id) => byId<HTMLButtonElement>(id));
  private busy = false;
  private readonly onChoice: (choice: LobbyChoice) => void;

  constructor(onChoice: (choice: LobbyChoice) => void, onNameChange: (name: string) => void) {
    this.onChoice = onChoice;
    // The server cuts longer names; the field stops at the same length.
    this.nameInput.maxLength = NAME_MAX_CHARS;
    byId("quick-play").addEventListener("click", () => this.choose({ kind: "quick", game: SNEK }));
    byId("create-private").addEventListener("click", () => this.choose({ kind: "create", game: SNEK }));
    byId("quick-play-four").addEventListener("click", () => this.choose({ kind: "quick", game: FOUR }));
    byId("create-private-four").addEventListener("click", () => this.choose({ kind: "create", game: FOUR }));
    byId<HTMLFormElement>("join-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const roomId = normalizeRoomCode(this.codeInput.value);
      if (!roomId) {
        this.showNotice("Enter a room code (letters, digits, - and _) or paste a room link.");
        this.codeInput.focus();
        return;
      }
      this.choose({ kind: "code", roomId });
    });
    this.nameInput.addEventListener("input", () => onNameChange(this.name));
  }

  get name(): string {
    return this.nameInput.value.trim();
  }

  set name(value: string) {
    this.nameInput.value = value;
  }

  show(): void {
    this.root.hidden = false;
    this.setBusy(false);
    document.title = "Snek · Four in a row";
  }

  hide(): void {
    this.root.hidden = true;
  }

  /** A message the player must see (why the last game or join failed). Rendered as text. */
  showNotice(message: string | undefined): void {
    this.notice.hidden = message === undefined;
    setText(this.notice, message ?? "");
  }

  setBusy(busy: boolean, status = ""): void {
    this.busy = busy;
    for (const button of this.buttons) button.disabled = busy;
    for (const button of this.list.querySelectorAll("button")) button.disabled = busy;
    setText(this.status, status);
  }

  showRooms(rooms: readonly ListedRoom[], live: boolean): void {
    this.live.dataset.state = live ? "live" : "offline";
    setText(this.live, live ? "live" : "polling");
    this.empty.hidden = rooms.length > 0;
    const items = rooms.map((room) => {
      const item = el("li");
      item.dataset.roomId = room.roomId;
      const full = room.clients >= room.maxClients;
      const join = el("button", "small", full ? "Full" : "Join");
      join.type = "button";
      join.disabled = full || this.busy;
      join.setAttribute("aria-label", `Join room ${room.roomId}`);
      join.addEventListener("click", () => this.choose({ kind: "code", roomId: room.roomId, game: room.game }));
      // A link, so watching can also open in another tab.
      const watch = el("a", "small watch", "Watch");
      watch.href = shareLink(location.href, room.roomId, room.game, true);
      watch.setAttribute("aria-label", `Watch room ${room.roomId}`);
      item.dataset.game = room.game;
      item.append(
        el("span", "room-game", GAME_TITLES[room.game]), el("span", "room-id", room.roomId),
        el("span", "room-count", `${room.clients}/${room.maxClients} players${room.spectators > 0 ? ` · ${room.spectators} watching` : ""}`), join, watch,
      );
      return item;
    });
    this.list.replaceChildren(...items);
  }

  private choose(choice: LobbyChoice): void {
    if (this.busy) return;
    this.showNotice(undefined);
    this.onChoice(choice);
  }
}
