// Suites that need local binaries (redis-server, nginx, chromium) skip with the
// install command when one is missing or cannot run here, so `npm test` works
// on a bare laptop. Under CI=true that fails the suite instead: CI must run them all.

import { spawnSync } from "node:child_process";
import { installHint, MissingBinariesError, requireBinaries } from "../../deploy/local/binaries.ts";

/** The browser the web tests and bench:web drive (playwright-core does not download one). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function ciRequiresEverything(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === "true";
}

/** How each binary is asked for its version: a cheap run that proves it can start on this machine. */
const VERSION_ARGS: Record<string, string[]> = { "redis-server": ["--version"], nginx: ["-v"], chromium: ["--version"] };
const runChecks = new Map<string, string | undefined>();

/**
 * Why the file at `path` cannot run here (e.g. "spawn EACCES", a missing
 * library), or undefined when it starts. A file that exists is not enough:
 * a non-executable or foreign-architecture binary fails only when started.
 */
export function cannotRun(name: string, path: string): string | undefined {
  const key = `${name}\0${path}`;
  if (!runChecks.has(key)) {
    const run = spawnSync(path, VERSION_ARGS[name] ?? ["--version"], { timeout: 15_000, stdio: "ignore" });
    const why = run.error ? `spawn ${(run.error as NodeJS.ErrnoException).code ?? run.error.message}` : run.status !== 0 ? `\`${path} --version\` exited with ${run.status ?? run.signal}` : undefined;
    runChecks.set(key, why && `${name} at ${path} cannot run here (${why}). ${installHint([name])}`);
  }
  return runChecks.get(key);
}

/** Skips the suite with `reason` (printed once), or throws under CI=true. */
export function skipBecause(ctx: Mocha.Context, reason: string): never {
  if (ciRequiresEverything()) throw new Error(`${reason} (CI=true: these tests may not be skipped)`);
  // Straight to stdout: test/support/quiet.ts holds back console output, and this line is the point.
  process.stdout.write(`      skipped: ${reason}\n`);
  ctx.skip();
}

/**
 * Call in a before() hook: returns the binaries' paths, or skips every test of
 * the suite with a message naming what is missing or broken and how to install it.
 */
export function skipWithoutBinaries<const N extends string>(ctx: Mocha.Context, names: readonly N[]): Record<N, string> {
  let found: Record<N, string>;
  try {
    found = requireBinaries(names);
  } catch (error) {
    if (!(error instanceof MissingBinariesError)) throw error;
    skipBecause(ctx, error.message);
  }
  for (const name of names) {
    const why = cannotRun(name, found[name]);
    if (why) skipBecause(ctx, why);
  }
  return found;
}
