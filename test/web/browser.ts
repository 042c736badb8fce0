// Headless Chromium for the browser tests and bench:web, driven by
// playwright-core. Without /usr/bin/chromium the suite skips with a message,
// except under CI=true, where a missing browser is a failure.

import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import type { SnekTestHook } from "../../web/src/testHook.ts";
import { CHROMIUM_PATH, cannotRun } from "../support/binaries.ts";

export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];
export const RESULTS_DIR = path.resolve("test-results");

/**
 * Why the browser suite cannot run here (missing, or present but unable to
 * start, e.g. spawn EACCES), or undefined if it can. Throws under CI=true instead of skipping.
 */
export function browserUnavailable(): string | undefined {
  const message = existsSync(CHROMIUM_PATH)
    ? cannotRun("chromium", CHROMIUM_PATH)
    : `Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`;
  if (message === undefined) return undefined;
  if (process.env.CI === "true") throw new Error(`${message}. CI=true, so this is a failure, not a skip.`);
  return message;
}

/** Call in a before() hook: skips the suite with the reason when Chromium is missing (fails under CI=true). */
export function skipWithoutBrowser(ctx: Mocha.Context): void {
  const unavailable = browserUnavailable();
  if (!unavailable) return;
  process.stdout.write(`      skipped: ${unavailable}\n`);
  ctx.skip();
}

export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs], headless: true });
}

export function resultPath(file: string): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  return path.join(RESULTS_DIR, file);
}

/** Reads window.__snek. */
export function hookOf(page: Page): Promise<SnekTestHook> {
  return page.evaluate(() => {
    const { frameTimes: _omitted, ...rest } = window.__snek;
    return { ...rest, frameTimes: [] };
  });
}

/** Waits until `predicate` holds for window.__snek, polling in the page (bounded). */
export async function waitForHook(page: Page, what: string, predicate: string, timeoutMs = 10_000): Promise<SnekTestHook> {
  try {
    await page.waitForFunction(`(() => { const h = window.__snek; return !!h && (${predicate}); })()`, undefined, { timeout: timeoutMs, polling: 50 });
  } catch (error) {
    const hook = await hookOf(page).catch(() => undefined);
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${predicate}); hook: ${JSON.stringify(hook)}`, { cause: error });
  }
  return hookOf(page);
}
