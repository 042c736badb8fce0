// `npm run dev`: the game server (restarted on change by node --watch) and the
// Vite dev server with hot reload, which proxies matchmaking, /api and room
// sockets to the game server (see web/vite.config.ts). Open the Vite URL.

import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const gamePort = process.env.PORT ?? "2567";
const children: ChildProcess[] = [];

function run(name: string, args: string[], env: Record<string, string> = {}): void {
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: "inherit", env: { ...process.env, ...env } });
  child.on("exit", (code, signal) => {
    if (stopping) return;
    console.error(`dev: ${name} exited (${signal ?? code}); stopping`);
    stop(code ?? 1);
  });
  children.push(child);
}

let stopping = false;
function stop(code: number): void {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  process.exitCode = code;
}

process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

// A short drain: in development, waiting DRAIN_SECONDS on every restart only gets in the way.
run("game server", ["--watch-path=rooms", "rooms/server/main.ts"], { PORT: gamePort, DRAIN_SECONDS: process.env.DRAIN_SECONDS ?? "0" });
run("vite", [path.join("node_modules", "vite", "bin", "vite.js"), "--config", "web/vite.config.ts"], {
  GAME_SERVER_URL: `http://127.0.0.1:${gamePort}`,
});
