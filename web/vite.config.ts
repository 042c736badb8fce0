// Vite config for the web client. `npm run build` writes web/dist, which the
// game server serves at /; `npm run dev` (scripts/web-dev.ts) runs this dev
// server with HMR and proxies everything that is not the client to the game
// server, so the client can always talk to its own origin.

import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const webRoot = fileURLToPath(new URL(".", import.meta.url));
const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const gameServer = process.env.GAME_SERVER_URL ?? "http://127.0.0.1:2567";

export default defineConfig({
  root: webRoot,
  // Relative asset URLs, so the same build works at / and under a path prefix behind an edge.
  base: "./",
  publicDir: "public",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // Phaser alone is ~1.2 MB minified; it is split into its own lazily loaded chunk.
    chunkSizeWarningLimit: 1600,
    reportCompressedSize: false,
  },
  server: {
    host: "127.0.0.1",
    port: 5173,
    // The client imports the shared rules from ../rooms/snek.
    fs: { allow: [repoRoot] },
    proxy: {
      "/matchmake": { target: gameServer },
      "/api": { target: gameServer },
      "/healthz": { target: gameServer },
      // Room sockets are /<processId>/<roomId>?sessionId=…; Vite's own HMR socket has no sessionId.
      "^/[\\w-]+/[\\w-]+\\?.*sessionId=": { target: gameServer, ws: true },
    },
  },
});
