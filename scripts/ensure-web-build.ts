// Builds web/dist when it is missing or stale, so `npm install && npm start`
// serves the game with no extra step (npm runs this as `prestart`). Stale
// means: the client's sources, the shared rules it bundles, or the locked
// dependency versions changed since the last build. Checking is cheap: one
// hash over ~50 small files, compared with the hash stored at build time.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const distDir = path.join(repoRoot, "web", "dist");
const stampFile = path.join(distDir, ".build-hash");
/** Everything the bundle is made from. */
const INPUTS = ["web/index.html", "web/vite.config.ts", "web/src", "web/public", "rooms/kit", "rooms/snek", "rooms/four", "package-lock.json"];

export type BuildOutcome = "fresh" | "built" | "stale-no-vite" | "missing-no-vite";

function files(relative: string): string[] {
  const absolute = path.join(repoRoot, relative);
  if (!existsSync(absolute)) return [];
  if (!statSync(absolute).isDirectory()) return [relative];
  return readdirSync(absolute, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith(".") && !entry.name.endsWith(".test.ts"))
    .flatMap((entry) => files(path.join(relative, entry.name)));
}

/** Hash of every build input (paths and contents). */
export function sourceHash(): string {
  const hash = createHash("sha256");
  for (const file of INPUTS.flatMap(files).sort()) {
    hash.update(file.split(path.sep).join("/")).update("\0").update(readFileSync(path.join(repoRoot, file))).update("\0");
  }
  return hash.digest("hex");
}

export function isWebBuildFresh(): boolean {
  if (!existsSync(path.join(distDir, "index.html")) || !existsSync(stampFile)) return false;
  return readFileSync(stampFile, "utf8").trim() === sourceHash();
}

/** Builds web/dist unless it is up to date. `force` builds regardless. */
export function ensureWebBuild(options: { force?: boolean; log?: (line: string) => void } = {}): BuildOutcome {
  const log = options.log ?? ((line: string) => console.log(line));
  const hash = sourceHash();
  const present = existsSync(path.join(distDir, "index.html"));
  if (!options.force && present && existsSync(stampFile) && readFileSync(stampFile, "utf8").trim() === hash) return "fresh";

  const viteBin = path.join(repoRoot, "node_modules", "vite", "bin", "vite.js");
  if (!existsSync(viteBin)) {
    // Production installs (--omit=dev) have no Vite: serve what is there rather than fail to start.
    log(present
      ? "web: web/dist is older than its sources, but Vite is not installed (dev dependencies omitted); serving it as is"
      : "web: web/dist is missing and Vite is not installed; run `npm install` (with dev dependencies) and `npm run build`");
    return present ? "stale-no-vite" : "missing-no-vite";
  }

  const stale = present && existsSync(stampFile) && readFileSync(stampFile, "utf8").trim() !== hash;
  log(!present ? "web: building web/dist (first start)…"
    : options.force && !stale ? "web: rebuilding web/dist (asked to; its sources have not changed)…"
    : "web: sources changed since the last build; rebuilding web/dist…");
  const started = performance.now();
  const result = spawnSync(process.execPath, [viteBin, "build", "--config", "web/vite.config.ts", "--logLevel", "warn"], {
    cwd: repoRoot,
    stdio: "inherit",
  });
  if (result.status !== 0) throw new Error(`web: vite build failed (exit ${result.status ?? result.signal})`);
  writeFileSync(stampFile, `${hash}\n`);
  log(`web: web/dist built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return "built";
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureWebBuild({ force: process.argv.includes("--force") });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
