// The module table STYLE.md describes, as code: which part of the tree may
// import which. readImportGraph() reads every import of every source file (with
// TypeScript's own scanner: static, type-only, re-exports and dynamic imports);
// checkBoundaries() is pure, so its rules are tested on made-up graphs too.
//
//   rooms/             imports nothing outside rooms/ (the image ships rooms/ alone)
//   rooms/kit/         imports no game, no rooms/server and not rooms/games.ts
//   rooms/<game>/      imports only its own folder and rooms/kit/
//   simulations        (each game's tsconfig.sim.json) import only each other
//   rooms/ otherwise   (the platform) imports a game only in rooms/games.ts
//   web/src/           imports only client-safe modules and packages
//   loadtest/          client packages and Node; outside its folder, only client-safe modules
//   rooms/kit/client/, rooms/<game>/protocol.ts and state.ts
//                      are client-safe themselves: browsers and bots import them
//   test/fixtures/<g>/ a studio's game kept in the test tree: only the kit and
//                      its own folder (serve.ts, its server entry, starts the platform)
//
// A module is client-safe when it is outside rooms/server and rooms/games.ts,
// imports no Node built-in and no package outside CLIENT_PACKAGES, and imports
// only client-safe modules. Test files (*.test.ts) are exempt: they are not shipped.

import { existsSync, readFileSync, readdirSync } from "node:fs";
import { isBuiltin } from "node:module";
import path from "node:path";
import ts from "typescript";

/** What a browser (and a bot, which plays like one) may load. */
export const CLIENT_PACKAGES = new Set(["@colyseus/sdk", "@colyseus/schema", "zod", "phaser"]);
/** Folders under rooms/ that are the platform, not games. */
const PLATFORM_FOLDERS = new Set(["kit", "server"]);

/** One import as written, and what it names. */
export interface Import {
  specifier: string;
  /** A repository file (relative, "/"-separated), a package name, or a Node built-in. */
  target: { kind: "file"; path: string } | { kind: "package"; name: string } | { kind: "builtin"; name: string };
}

/** Every source file (repository-relative path) with its imports. */
export type ImportGraph = ReadonlyMap<string, readonly Import[]>;

export interface Layout {
  /** Game folder names under rooms/ (every folder but kit and server). */
  games: readonly string[];
  /** Each game's simulation files, from its tsconfig.sim.json. */
  simulations: ReadonlyMap<string, ReadonlySet<string>>;
  /** Folders of games written outside rooms/ on the kit alone, as a studio would (test/fixtures/<game>). */
  studioGames: readonly string[];
}

/** A studio game's server entry: the one file of its folder that may start the platform. */
const STUDIO_ENTRY = "serve.ts";

export interface Violation {
  file: string;
  specifier: string;
  rule: string;
}

export function explain(violation: Violation): string {
  return `${violation.file} imports "${violation.specifier}": ${violation.rule}`;
}

const isTest = (file: string): boolean => file.endsWith(".test.ts");
const under = (file: string, folder: string): boolean => file.startsWith(`${folder}/`);

function gameOf(file: string, layout: Layout): string | undefined {
  return layout.games.find((game) => under(file, `rooms/${game}`));
}

/** Why a module is not client-safe (following its imports), or undefined when it is. */
function clientUnsafety(graph: ImportGraph): (file: string) => string | undefined {
  const why = new Map<string, string>();
  const isServerCode = (file: string): boolean => under(file, "rooms/server") || file === "rooms/games.ts";
  for (const [file, imports] of graph) {
    for (const { target } of imports) if (target.kind === "file" && isServerCode(target.path)) why.set(target.path, `${target.path} is server code`);
  }
  for (const [file, imports] of graph) {
    if (isServerCode(file)) why.set(file, `${file} is server code`);
    for (const { target } of imports) {
      if (why.has(file)) break;
      if (target.kind === "builtin") why.set(file, `${file} imports the Node built-in ${target.name}`);
      else if (target.kind === "package" && !CLIENT_PACKAGES.has(target.name)) why.set(file, `${file} imports ${target.name}, a server-side package`);
    }
  }
  // A module that imports an unsafe one is unsafe for the same reason; repeat until nothing changes (cycles included).
  for (let changed = true; changed;) {
    changed = false;
    for (const [file, imports] of graph) {
      if (why.has(file)) continue;
      const unsafeImport = imports.find(({ target }) => target.kind === "file" && why.has(target.path));
      if (unsafeImport?.target.kind === "file") {
        why.set(file, why.get(unsafeImport.target.path)!);
        changed = true;
      }
    }
  }
  return (file) => why.get(file);
}

/** Every import that crosses a boundary, with the rule it breaks. */
export function checkBoundaries(graph: ImportGraph, layout: Layout): Violation[] {
  const violations: Violation[] = [];
  const unsafe = clientUnsafety(graph);
  const simulationOf = (file: string): ReadonlySet<string> | undefined => {
    for (const files of layout.simulations.values()) if (files.has(file)) return files;
    return undefined;
  };

  for (const [file, imports] of graph) {
    if (isTest(file)) continue;
    const game = gameOf(file, layout);
    const simulation = simulationOf(file);
    for (const { specifier, target } of imports) {
      const report = (rule: string): void => { violations.push({ file, specifier, rule }); };
      const importedGame = target.kind === "file" ? gameOf(target.path, layout) : undefined;
      const importedPath = target.kind === "file" ? target.path : undefined;

      if (simulation && !(importedPath && simulation.has(importedPath))) {
        report("a simulation imports only its own simulation files (its tsconfig.sim.json), no package, no Node");
      }
      if (under(file, "rooms") && importedPath && !under(importedPath, "rooms")) {
        report("the image ships rooms/ alone: server code imports nothing outside it");
      }
      if (under(file, "rooms/kit") && importedPath && (importedGame || under(importedPath, "rooms/server") || importedPath === "rooms/games.ts")) {
        report("the kit imports no game and no server module");
      }
      if (game && importedPath && !under(importedPath, `rooms/${game}`) && !under(importedPath, "rooms/kit")) {
        report("a game imports only its own folder and the kit: never the platform, another game, or the tools around it");
      }
      if (under(file, "rooms") && !game && !under(file, "rooms/kit") && file !== "rooms/games.ts" && importedGame) {
        report(`the platform names its games only in rooms/games.ts; import rooms/${importedGame}/ there`);
      }
      if ((under(file, "rooms/kit/client") || (game && /^(protocol|state)\.ts$/.test(path.posix.basename(file))))) {
        const why = target.kind === "file" ? unsafe(target.path)
          : target.kind === "builtin" ? `${target.name} is a Node built-in`
          : CLIENT_PACKAGES.has(target.name) ? undefined : `${target.name} is a server-side package`;
        if (why) report(`clients (browsers, bots) import this file, so it must be client-safe, but ${why}`);
      }
      const studioGame = layout.studioGames.find((folder) => under(file, folder));
      if (studioGame && path.posix.basename(file) !== STUDIO_ENTRY && importedPath && !under(importedPath, "rooms/kit") && !under(importedPath, studioGame)) {
        report(`a studio's game (${studioGame}) is written on the kit alone: it imports only rooms/kit/ and its own folder`);
      }
      if (under(file, "web/src")) {
        if (target.kind === "builtin") report("the web client runs in a browser: no Node built-ins");
        else if (target.kind === "package" && !CLIENT_PACKAGES.has(target.name)) report(`the web client loads only client packages (${[...CLIENT_PACKAGES].join(", ")})`);
        else if (importedPath && unsafe(importedPath)) report(`the web client imports only client-safe modules, but ${unsafe(importedPath)}`);
      }
      if (under(file, "loadtest")) {
        if (target.kind === "package" && !CLIENT_PACKAGES.has(target.name)) report(`the bots are clients: they load only client packages (${[...CLIENT_PACKAGES].join(", ")}) and Node`);
        else if (importedPath && !under(importedPath, "loadtest") && unsafe(importedPath)) report(`the bots import only client-safe modules, but ${unsafe(importedPath)}`);
      }
    }
  }
  return violations;
}

// ---------------------------------------------------------------- reading the tree

/** The areas whose imports the table constrains. */
const SOURCE_ROOTS = ["rooms", "web/src", "loadtest", "test/fixtures"];

function sourceFiles(root: string, folder: string): string[] {
  const dir = path.join(root, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const child = `${folder}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(root, child);
    return /\.(ts|mts|js|mjs)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [child] : [];
  });
}

/** A package's name from a bare specifier: "@scope/name/sub" → "@scope/name", "name/sub" → "name". */
function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

export function resolveImport(file: string, specifier: string): Import["target"] {
  if (specifier.startsWith(".")) return { kind: "file", path: path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)) };
  if (specifier.startsWith("node:") || isBuiltin(specifier)) return { kind: "builtin", name: specifier };
  return { kind: "package", name: packageName(specifier) };
}

export function importsOf(file: string, source: string): Import[] {
  const { importedFiles } = ts.preProcessFile(source, true, true);
  return importedFiles.map(({ fileName }) => ({ specifier: fileName, target: resolveImport(file, fileName) }));
}

export function readImportGraph(root: string): Map<string, Import[]> {
  const graph = new Map<string, Import[]>();
  for (const file of SOURCE_ROOTS.flatMap((folder) => sourceFiles(root, folder))) {
    graph.set(file, importsOf(file, readFileSync(path.join(root, file), "utf8")));
  }
  // Modules those import from elsewhere (e.g. test/support from loadtest) are read too, for client-safety.
  const pending = [...graph.values()].flat();
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { target } = next;
    if (target.kind !== "file" || graph.has(target.path) || !existsSync(path.join(root, target.path))) continue;
    const imports = importsOf(target.path, readFileSync(path.join(root, target.path), "utf8"));
    graph.set(target.path, imports);
    pending.push(...imports);
  }
  return graph;
}

/** The game folders under rooms/, each with its simulation files as its tsconfig.sim.json lists them. */
export function readLayout(root: string): Layout & { withoutSimulation: string[] } {
  const fixtures = path.join(root, "test", "fixtures");
  const studioGames = existsSync(fixtures)
    ? readdirSync(fixtures, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => `test/fixtures/${entry.name}`)
    : [];
  const rooms = path.join(root, "rooms");
  const games = readdirSync(rooms, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !PLATFORM_FOLDERS.has(entry.name))
    .map((entry) => entry.name)
    .sort();
  const simulations = new Map<string, Set<string>>();
  const withoutSimulation: string[] = [];
  for (const game of games) {
    const configPath = path.join(rooms, game, "tsconfig.sim.json");
    if (!existsSync(configPath)) {
      withoutSimulation.push(game);
      continue;
    }
    const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    const files = (parsed?.fileNames ?? []).map((file) => path.relative(root, file).split(path.sep).join("/"));
    simulations.set(game, new Set(files));
  }
  return { games, simulations, studioGames, withoutSimulation };
}
