// The lobby page: name, Quick play, Create private room, Join by code and the
// live room list. It only shows things and reports what the player chose.

import { byId, el, setText } from "../dom.ts";
import type { ListedRoom } from "../net/roomList.ts";
import { normalizeRoomCode } from "./launch.ts";

export type LobbyChoice =
  | { kind: "quick" }
  | { kind: "create" }
  | { kind: "code"; roomId: string };

export class LobbyView {
  private readonly root = byId("lobby");
  private readonly notice = byId("lobby-notice");
  private readonly status = byId("lobby-status");
  private readonly nameInput = byId<HTMLInputElement>("name-input");
  private readonly codeInput = byId<HTMLInputElement>("code-input");
  private readonly list = byId<HTMLUListElement>("room-list");
  private readonly empty = byId("room-list-empty");
  private readonly live = byId("rooms-live");
  private readonly buttons = [byId<HTMLButtonElement>("quick-play"), byId<HTMLButtonElement>("create-private"), byId<HTMLButtonElement>("join-code")];
  private busy = false;
  private readonly onChoice: (choice: LobbyChoice) => void;

  constructor(onChoice: (choice: LobbyChoice) => void, onNameChange: (name: string) => void) {
    this.onChoice = onChoice;
    byId("quick-play").addEventListener("click", () => this.choose({ kind: "quick" }));
    byId("create-private").addEventListener("click", () => this.choose({ kind: "create" }));
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
    document.title = "Snek · multiplayer snake";
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
      join.addEventListener("click", () => this.choose({ kind: "code", roomId: room.roomId }));
      item.append(el("span", "room-id", room.roomId), el("span", "room-count", `${room.clients}/${room.maxClients} players`), join);
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
