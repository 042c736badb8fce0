import assert from "node:assert/strict";
import { NAME_STORAGE_KEY, loadName, normalizeRoomCode, parseLaunch, saveName, shareLink, withoutLaunchParams } from "./launch.ts";

describe("launch parameters and share links", () => {
  it("reads ?room=, ?name= and ?play=1", () => {
    assert.deepEqual(parseLaunch("?room=AbC_12-x&name=Ann&play=1"), { roomId: "AbC_12-x", name: "Ann", play: true, watch: false });
    assert.deepEqual(parseLaunch(""), { play: false, watch: false });
  });

  it("reads ?game=four and ?watch=1, and ignores an unknown game", () => {
    assert.deepEqual(parseLaunch("?room=r1&game=four&watch=1"), { roomId: "r1", play: false, watch: true, game: "four" });
    assert.equal(parseLaunch("?game=chess&play=1").game, undefined);
  });

  it("ignores a room id that cannot be one and cleans the name like the server", () => {
    assert.deepEqual(parseLaunch("?room=<script>&name=%20%20Bo%0Ab%20"), { name: "Bob", play: false, watch: false });
  });

  it("accepts a pasted share link as a room code", () => {
    assert.equal(normalizeRoomCode("  http://games.example.com/?room=Xy_9  "), "Xy_9");
    assert.equal(normalizeRoomCode("Xy_9"), "Xy_9");
    assert.equal(normalizeRoomCode("not a code"), undefined);
  });

  it("builds a share link on the page's own origin and path, dropping other parameters", () => {
    assert.equal(shareLink("https://snek.example.com/play/?name=Ann&play=1#x", "Xy_9"), "https://snek.example.com/play/?room=Xy_9");
    assert.equal(shareLink("https://h/?play=1", "Xy_9", "four"), "https://h/?room=Xy_9&game=four");
    assert.equal(shareLink("https://h/", "Xy_9", "four", true), "https://h/?room=Xy_9&game=four&watch=1");
    assert.equal(shareLink("https://h/", "Xy_9", "snek", true), "https://h/?room=Xy_9&watch=1");
  });

  it("removes room and play from the address when back in the lobby, keeping the name", () => {
    assert.equal(withoutLaunchParams("http://h/?room=a&play=1&name=Ann&game=four&watch=1"), "http://h/?name=Ann");
  });

  it("remembers the name, and survives storage that throws", () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    saveName(storage, "Ann");
    assert.equal(store.get(NAME_STORAGE_KEY), "Ann");
    assert.equal(loadName(storage), "Ann");
    const broken = { getItem: (): string => { throw new Error("denied"); }, setItem: (): void => { throw new Error("denied"); } };
    assert.equal(loadName(broken), "");
    assert.doesNotThrow(() => saveName(broken, "Ann"));
  });
});
