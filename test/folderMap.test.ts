// The README's folder map is how a newcomer finds a concern by its folder, so
// it must name every top-level folder in the repository.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

describe("README folder map", () => {
  it("names every top-level folder the repository tracks", () => {
    const tracked = execFileSync("git", ["ls-files"], { encoding: "utf8" }).split("\n");
    const folders = new Set(tracked.filter((file) => file.includes("/")).map((file) => file.slice(0, file.indexOf("/"))));
    assert.ok(folders.has("rooms"), "git ls-files listed no rooms/: not run from the repository root?");
    const readme = readFileSync("README.md", "utf8");
    const start = readme.indexOf("| folder | what is there |");
    assert.ok(start >= 0, "README.md has no folder map table");
    const map = readme.slice(start, readme.indexOf("\n\n", start));
    for (const folder of folders) assert.match(map, new RegExp(`^\\| \\[\`${folder.replace(".", "\\.")}/`, "m"), `README.md's folder map does not name ${folder}/`);
  });
});
