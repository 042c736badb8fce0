// Docs stand alone: no file in the repository sends a reader to notes that
// live outside it (the founders' notes file, or a sibling "shared" folder).

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../loadtest/serverProcess.ts";

// Spelled in pieces so this file does not match itself.
const OUTSIDE = [new RegExp(["FIELD", "NOTES"].join("-"), "i"), new RegExp(String.raw`\.\./shared\b`), new RegExp("/work/" + "shared")];

describe("the repository is self-contained", () => {
  it("no tracked file points to notes outside the repository", () => {
    const files = execFileSync("git", ["ls-files"], { cwd: REPO_ROOT, encoding: "utf8" }).split("\n").filter(Boolean);
    const offenders: string[] = [];
    for (const file of files) {
      if (/\.(png|svg|ico|zip|tgz)$/.test(file)) continue;
      const text = readFileSync(path.join(REPO_ROOT, file), "utf8");
      text.split("\n").forEach((line, i) => {
        if (OUTSIDE.some((pattern) => pattern.test(line))) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    assert.deepEqual(offenders, []);
  });
});
