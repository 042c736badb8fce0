// Suites that need local binaries (redis-server, nginx, chromium) skip with the
// install command when one is missing, so `npm test` works on a bare laptop.
// Under CI=true a missing binary fails the suite instead: CI must run them all.

import { MissingBinariesError, requireBinaries } from "../../deploy/local/binaries.ts";

export function ciRequiresEverything(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === "true";
}

/**
 * Call in a before() hook: returns the binaries' paths, or skips every test of
 * the suite with a message naming what is missing and how to install it.
 */
export function skipWithoutBinaries<const N extends string>(ctx: Mocha.Context, names: readonly N[]): Record<N, string> {
  try {
    return requireBinaries(names);
  } catch (error) {
    if (!(error instanceof MissingBinariesError)) throw error;
    if (ciRequiresEverything()) throw new Error(`${error.message} (CI=true: these tests may not be skipped)`);
    console.log(`      skipped: ${error.message}`);
    ctx.skip();
  }
}
