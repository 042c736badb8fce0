// A mocha root-hook plugin (loaded by every .mocharc): what tests print through
// console (the SDK's "[Colyseus reconnection]" lines, Colyseus' stack traces for
// bad input that the tests send on purpose) is held back, and printed only
// under a test that failed, where it helps. A green run shows the results.
// Mocha's reporter keeps its own reference to console.log, so it still prints.

import { format } from "node:util";

const METHODS = ["log", "info", "warn", "error", "debug"] as const;
/** Enough to explain a failure; a chatty test cannot grow it without bound. */
const MAX_LINES = 400;
let held: string[] = [];

for (const method of METHODS) {
  console[method] = (...args: unknown[]) => {
    held.push(format(...args));
    if (held.length > MAX_LINES) held.shift();
  };
}

export const mochaHooks = {
  afterEach(this: Mocha.Context): void {
    const lines = held;
    held = [];
    if (this.currentTest?.state !== "failed" || lines.length === 0) return;
    process.stderr.write(`\n      output of "${this.currentTest.title}":\n${lines.map((l) => `        ${l}`).join("\n")}\n`);
  },
};
