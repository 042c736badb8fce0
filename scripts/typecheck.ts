// `npm run typecheck` (and the first step of `npm test`): one tsc run per area,
// each with only the globals its code may use, so a boundary the style names
// (a pure simulation, a browser client) is a type error when crossed:
//
//   rooms/<game>/tsconfig.sim.json  a game's pure simulation: neither the DOM nor Node
//   web/tsconfig.json               the browser client: the DOM, not Node
//   tsconfig.json                   server, kit, bots, scripts, benches, deploy, tests: Node, no DOM
//   test/web/tsconfig.json          Node code that also handles the DOM (browser tests, web unit tests)
//
// Each run is incremental (build info under node_modules/.cache/tsc), so an
// unchanged area is checked again in about a second.

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");

/** Every area's tsconfig, relative to the repository root: each game's simulation first (smallest), then the rest. */
export function typecheckProjects(root = repoRoot): string[] {
  const rooms = path.join(root, "rooms");
  const simulations = readdirSync(rooms, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(rooms, entry.name, "tsconfig.sim.json")))
    .map((entry) => `rooms/${entry.name}/tsconfig.sim.json`)
    .sort();
  return [...simulations, "web/tsconfig.json", "tsconfig.json", "test/web/tsconfig.json"];
}

function buildInfoFile(project: string): string {
  return path.join(repoRoot, "node_modules", ".cache", "tsc", `${project.replaceAll("/", "_")}.tsbuildinfo`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const failed: string[] = [];
  for (const project of typecheckProjects()) {
    const run = spawnSync(process.execPath, [tsc, "--noEmit", "-p", project, "--incremental", "--tsBuildInfoFile", buildInfoFile(project), "--pretty"], {
      cwd: repoRoot,
      stdio: "inherit",
    });
    if (run.status !== 0) failed.push(project);
  }
  if (failed.length > 0) {
    console.error(`typecheck failed in ${failed.join(", ")}`);
    process.exit(1);
  }
}
