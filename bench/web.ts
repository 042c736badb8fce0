// npm run bench:web: how the web client holds up in a full room. Boots the
// server on web/dist (rebuilt if stale), fills one room with 31 SDK bots that
// steer at random (valid turns, away from walls, respawning at once), opens
// the game in headless Chromium as the 32nd snake and measures frames.
// Prints figures; asserts nothing. docs/performance.md ("Web client") says
// how to read them.
//
//   --seconds N     measuring time (default 15)
//   --width W --height H   window size (default 1280x720)
//   --renderer webgl|canvas   force Phaser's renderer (default: Phaser's choice)

import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { Client, type Room } from "@colyseus/sdk";
import { ROOM_NAME, dirFromCode } from "../rooms/snek/protocol.ts";
import { isReversal, nextCell, type Dir } from "../rooms/snek/rules.ts";
import { loadConfig } from "../rooms/server/config.ts";
import { createLogger } from "../rooms/server/logger.ts";
import { startServer } from "../rooms/server/server.ts";
import { SnekState } from "../rooms/snek/state.ts";
import { ensureWebBuild } from "../scripts/ensure-web-build.ts";
import { browserUnavailable, launchBrowser, resultPath } from "../test/web/browser.ts";

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "15" },
    width: { type: "string", default: "1280" },
    height: { type: "string", default: "720" },
    renderer: { type: "string" },
    bots: { type: "string", default: "31" },
  },
});
const MEASURE_SECONDS = Number(args.seconds);
const WARMUP_SECONDS = 3;
const BOTS = Number(args.bots);
const DIRS: Dir[] = ["up", "right", "down", "left"];

const unavailable = browserUnavailable();
if (unavailable) {
  console.log(`bench:web: ${unavailable}`);
  process.exit(0);
}

ensureWebBuild({ log: (line) => console.log(line) });
const bundle = bundleSizes(path.resolve("web/dist"));

const config = loadConfig({ PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "warn", WEB_DIST: "web/dist" });
const server = await startServer(config, createLogger(config.logLevel));
const url = `http://127.0.0.1:${server.port}`;

// ---- bots ---------------------------------------------------------------------

const bots: Room<unknown, SnekState>[] = [];
const first = await new Client(url).joinOrCreate(ROOM_NAME, { name: "bot-00" }, SnekState);
bots.push(first);
for (let i = 1; i < BOTS; i++) {
  bots.push(await new Client(url).joinById(first.roomId, { name: `bot-${String(i).padStart(2, "0")}` }, SnekState));
}
let turnsSent = 0;
for (const bot of bots) steer(bot);

/** Turns now and then at random, always when a wall is two cells ahead, never into a reversal. */
function steer(bot: Room<unknown, SnekState>): void {
  let lastTick = -1;
  bot.onStateChange((state) => {
    if (state.tick === lastTick) return;
    lastTick = state.tick;
    const me = state.players.get(bot.sessionId);
    if (!me) return;
    if (!me.alive) {
      bot.send("respawn", {});
      return;
    }
    const dir = dirFromCode(me.dir);
    const ahead = nextCell(nextCell({ x: me.x, y: me.y }, dir), dir);
    const blocked = ahead.x < 0 || ahead.y < 0 || ahead.x >= state.width || ahead.y >= state.height;
    if (!blocked && Math.random() > 0.12) return;
    const options = DIRS.filter((d) => d !== dir && !isReversal(dir, d)).filter((d) => {
      const cell = nextCell(nextCell({ x: me.x, y: me.y }, d), d);
      return cell.x >= 0 && cell.y >= 0 && cell.x < state.width && cell.y < state.height;
    });
    const turn = options[Math.floor(Math.random() * options.length)];
    if (turn) {
      bot.send("turn", { dir: turn });
      turnsSent++;
    }
  });
}

// ---- the page -------------------------------------------------------------------

const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: Number(args.width), height: Number(args.height) } });
const query = new URLSearchParams({ room: first.roomId, name: "bench" });
if (args.renderer) query.set("renderer", args.renderer);
await page.goto(`${url}/?${query}`);
await page.waitForFunction("window.__snek && window.__snek.screen === 'game' && window.__snek.frames > 10", undefined, { timeout: 30_000 });
// The page's own snake respawns at once too, so the room keeps 32 snakes.
await page.evaluate(() => {
  setInterval(() => {
    if (window.__snek.you && !window.__snek.you.alive) window.dispatchEvent(new KeyboardEvent("keydown", { code: "Space", key: " " }));
  }, 100);
});
await new Promise((resolve) => setTimeout(resolve, WARMUP_SECONDS * 1000));

const cdp = await page.context().newCDPSession(page);
await cdp.send("Performance.enable");
const metricsBefore = await metrics();
const sample = await page.evaluate((seconds) => new Promise<{ intervals: number[]; snakes: number[]; frameTimes: number[]; renderer: string }>((resolve) => {
  const intervals: number[] = [];
  const snakes: number[] = [];
  let last = performance.now();
  const end = last + seconds * 1000;
  const onFrame = (now: number): void => {
    intervals.push(now - last);
    snakes.push(window.__snek.snakes.length);
    last = now;
    if (now < end) requestAnimationFrame(onFrame);
    else {
      const probe = document.createElement("canvas").getContext("webgl");
      const info = probe?.getExtension("WEBGL_debug_renderer_info");
      const gl = probe ? (info ? String(probe.getParameter(info.UNMASKED_RENDERER_WEBGL)) : "unnamed") : "none";
      const renderer = `${window.__snek.renderer === "webgl" ? "WebGL" : "Canvas 2D"} renderer (the browser's WebGL: ${gl})`;
      resolve({ intervals, snakes, frameTimes: window.__snek.frameTimes.slice(-intervals.length), renderer });
    }
  };
  requestAnimationFrame(onFrame);
}), MEASURE_SECONDS);
const metricsAfter = await metrics();
const hook = await page.evaluate(() => ({ players: window.__snek.players, frames: window.__snek.frames }));
const screenshot = resultPath("bench-web.png");
await page.screenshot({ path: screenshot });

await browser.close();
await Promise.all(bots.map((bot) => bot.leave().catch(() => undefined)));
await server.close();

// ---- figures ---------------------------------------------------------------------

const frames = sample.intervals.length;
const fps = (intervalMs: number): number => 1000 / intervalMs;
const taskMs = (metricsAfter.TaskDuration! - metricsBefore.TaskDuration!) * 1000;
const scriptMs = (metricsAfter.ScriptDuration! - metricsBefore.ScriptDuration!) * 1000;
const layoutMs = ((metricsAfter.LayoutDuration! - metricsBefore.LayoutDuration!) + (metricsAfter.RecalcStyleDuration! - metricsBefore.RecalcStyleDuration!)) * 1000;

console.log("");
console.log(`bench:web: ${hook.players} snakes in the room (${BOTS} bots + the page), ${args.width}x${args.height}, ${sample.renderer}`);
console.log(`  measured ${MEASURE_SECONDS} s after ${WARMUP_SECONDS} s warm-up: ${frames} frames, ${median(sample.snakes)} snakes drawn per frame (median), bots sent ${turnsSent} turns`);
console.log(`  fps median          ${fps(percentile(sample.intervals, 50)).toFixed(1)}   (1000 / median frame interval)`);
console.log(`  fps p5              ${fps(percentile(sample.intervals, 95)).toFixed(1)}   (1000 / 95th-percentile frame interval)`);
console.log(`  fps mean            ${(frames / (sum(sample.intervals) / 1000)).toFixed(1)}`);
console.log(`  main thread / frame ${(taskMs / frames).toFixed(2)} ms   (all tasks: script ${(scriptMs / frames).toFixed(2)} ms, style+layout ${(layoutMs / frames).toFixed(2)} ms)`);
console.log(`  scene update / frame ${percentile(sample.frameTimes, 50).toFixed(2)} ms median, ${percentile(sample.frameTimes, 95).toFixed(2)} ms p95   (build the picture + record draw commands)`);
console.log(`  bundle              ${kb(bundle.total.raw)} raw, ${kb(bundle.total.gzip)} gzip in total`);
for (const file of bundle.files) console.log(`    ${file.name.padEnd(34)} ${kb(file.raw).padStart(10)} raw ${kb(file.gzip).padStart(10)} gzip`);
console.log(`    first paint (lobby) loads ${kb(bundle.firstPaint.raw)} raw, ${kb(bundle.firstPaint.gzip)} gzip; Phaser's chunk loads while the lobby shows`);
console.log(`  screenshot          ${path.relative(process.cwd(), screenshot)}`);
process.exit(0);

async function metrics(): Promise<Record<string, number>> {
  const { metrics: list } = await cdp.send("Performance.getMetrics");
  return Object.fromEntries(list.map((m: { name: string; value: number }) => [m.name, m.value]));
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
function median(values: readonly number[]): number {
  return percentile(values, 50);
}
function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function bundleSizes(dist: string): { files: { name: string; raw: number; gzip: number }[]; total: { raw: number; gzip: number }; firstPaint: { raw: number; gzip: number } } {
  const files: { name: string; raw: number; gzip: number }[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (entry.startsWith(".")) continue;
      if (statSync(full).isDirectory()) walk(full);
      else {
        const bytes = readFileSync(full);
        // The server compresses with the compression middleware's default (gzip level 6).
        files.push({ name: path.relative(dist, full), raw: bytes.length, gzip: gzipSync(bytes, { level: 6 }).length });
      }
    }
  };
  walk(dist);
  files.sort((a, b) => b.raw - a.raw);
  const total = { raw: sum(files.map((f) => f.raw)), gzip: sum(files.map((f) => f.gzip)) };
  const html = readFileSync(path.join(dist, "index.html"), "utf8");
  const eager = files.filter((f) => f.name === "index.html" || html.includes(f.name.split(path.sep).join("/")));
  return { files, total, firstPaint: { raw: sum(eager.map((f) => f.raw)), gzip: sum(eager.map((f) => f.gzip)) } };
}
