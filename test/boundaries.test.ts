// The module table, enforced: every import of every source file is read and
// checked against the boundaries STYLE.md names (see test/support/boundaries.ts).
// The checker is also run on made-up graphs, so a violation is known to fail.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { typecheckProjects } from "../scripts/typecheck.ts";
import { checkBoundaries, explain, importsOf, readImportGraph, readLayout, resolveImport, type Import, type Layout } from "./support/boundaries.ts";

const root = process.cwd();

/** A graph from "file → specifiers", resolved as the real reader resolves them. */
function graphOf(files: Record<string, string[]>): Map<string, Import[]> {
  return new Map(Object.entries(files).map(([file, specifiers]) => [file, specifiers.map((specifier) => ({ specifier, target: resolveImport(file, specifier) }))]));
}

const layout: Layout = {
  games: ["snek", "four"],
  simulations: new Map([["snek", new Set(["rooms/snek/rules.ts", "rooms/snek/rng.ts"])], ["four", new Set(["rooms/four/rules.ts"])]]),
  studioGames: ["test/fixtures/tally"],
};

function violationsOf(files: Record<string, string[]>): string[] {
  return checkBoundaries(graphOf(files), layout).map(explain);
}

function parsedConfig(project: string): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(root, project), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, "\n")) });
  assert.ok(parsed, `${project} did not parse`);
  return parsed;
}

describe("module boundaries", () => {
  describe("the checker", () => {
    it("accepts a tree that keeps the table", () => {
      assert.deepEqual(violationsOf({
        "rooms/games.ts": ["./snek/SnekRoom.ts", "./four/FourRoom.ts", "./kit/GameRoom.ts", "./server/config.ts"],
        "rooms/server/server.ts": ["../games.ts", "../kit/protocol.ts", "@colyseus/core", "node:http"],
        "rooms/kit/GameRoom.ts": ["./protocol.ts", "@colyseus/core", "pino"],
        "rooms/kit/protocol.ts": ["@colyseus/sdk", "zod"],
        "rooms/snek/SnekRoom.ts": ["../kit/GameRoom.ts", "./rules.ts", "node:crypto"],
        "rooms/snek/rules.ts": ["./rng.ts"],
        "rooms/snek/rng.ts": [],
        "rooms/snek/protocol.ts": ["./rules.ts", "zod"],
        "web/src/game/session.ts": ["../../../rooms/snek/protocol.ts", "../../../rooms/kit/protocol.ts", "@colyseus/sdk"],
        "loadtest/bot.ts": ["../rooms/snek/protocol.ts", "node:fs", "@colyseus/sdk"],
        // Tests are not shipped: they may reach anywhere.
        "rooms/kit/arrival.test.ts": ["../snek/rules.ts", "../server/config.ts"],
      }), []);
    });

    it("names the file and the import when the kit imports a game or the server", () => {
      assert.deepEqual(violationsOf({ "rooms/kit/GameRoom.ts": ["../snek/rules.ts", "../server/config.ts", "../games.ts"] }), [
        `rooms/kit/GameRoom.ts imports "../snek/rules.ts": the kit imports no game and no server module`,
        `rooms/kit/GameRoom.ts imports "../server/config.ts": the kit imports no game and no server module`,
        `rooms/kit/GameRoom.ts imports "../games.ts": the kit imports no game and no server module`,
      ]);
    });

    it("refuses a simulation importing anything outside itself: another game file, a package, Node", () => {
      assert.deepEqual(violationsOf({ "rooms/snek/rules.ts": ["./rng.ts", "./protocol.ts", "zod", "node:crypto"], "rooms/four/rules.ts": ["../snek/rng.ts"] }).map((v) => v.split(":")[0]), [
        `rooms/snek/rules.ts imports "./protocol.ts"`,
        `rooms/snek/rules.ts imports "zod"`,
        `rooms/snek/rules.ts imports "node`,
        `rooms/four/rules.ts imports "../snek/rng.ts"`,
        `rooms/four/rules.ts imports "../snek/rng.ts"`,
      ]);
    });

    it("lets only rooms/games.ts among platform files import a game, so a new game is its folder plus one line there", () => {
      assert.deepEqual(violationsOf({
        "rooms/server/routes.ts": ["../snek/protocol.ts"],
        "rooms/lobby.ts": ["./four/protocol.ts"],
        "rooms/games.ts": ["./four/FourRoom.ts"],
      }), [
        `rooms/server/routes.ts imports "../snek/protocol.ts": the platform names its games only in rooms/games.ts; import rooms/snek/ there`,
        `rooms/lobby.ts imports "./four/protocol.ts": the platform names its games only in rooms/games.ts; import rooms/four/ there`,
      ]);
    });

    it("keeps a game out of the platform, other games and the tools around it", () => {
      const rule = "a game imports only its own folder and the kit: never the platform, another game, or the tools around it";
      assert.deepEqual(violationsOf({ "rooms/four/FourRoom.ts": ["../server/config.ts", "../games.ts", "../snek/protocol.ts", "../../loadtest/fourBrain.ts", "../kit/GameRoom.ts", "./rules.ts"] }), [
        `rooms/four/FourRoom.ts imports "../server/config.ts": ${rule}`,
        `rooms/four/FourRoom.ts imports "../games.ts": ${rule}`,
        `rooms/four/FourRoom.ts imports "../snek/protocol.ts": ${rule}`,
        `rooms/four/FourRoom.ts imports "../../loadtest/fourBrain.ts": the image ships rooms/ alone: server code imports nothing outside it`,
        `rooms/four/FourRoom.ts imports "../../loadtest/fourBrain.ts": ${rule}`,
      ]);
      assert.deepEqual(violationsOf({ "rooms/server/main.ts": ["../../deploy/healthcheck.ts", "./config.ts"] }), [
        `rooms/server/main.ts imports "../../deploy/healthcheck.ts": the image ships rooms/ alone: server code imports nothing outside it`,
      ]);
    });

    it("keeps the web client to client-safe modules, following imports to the one that is not", () => {
      assert.deepEqual(violationsOf({
        "web/src/app/main.ts": ["../game/session.ts", "node:fs", "pino", "../../../rooms/server/config.ts"],
        "web/src/game/session.ts": ["../../../rooms/snek/protocol.ts"],
        "rooms/snek/protocol.ts": ["./SnekRoom.ts"],
        "rooms/snek/SnekRoom.ts": ["node:crypto"],
      }), [
        `web/src/app/main.ts imports "../game/session.ts": the web client imports only client-safe modules, but rooms/snek/SnekRoom.ts imports the Node built-in node:crypto`,
        `web/src/app/main.ts imports "node:fs": the web client runs in a browser: no Node built-ins`,
        `web/src/app/main.ts imports "pino": the web client loads only client packages (@colyseus/sdk, @colyseus/schema, zod, phaser)`,
        `web/src/app/main.ts imports "../../../rooms/server/config.ts": the web client imports only client-safe modules, but rooms/server/config.ts is server code`,
        `web/src/game/session.ts imports "../../../rooms/snek/protocol.ts": the web client imports only client-safe modules, but rooms/snek/SnekRoom.ts imports the Node built-in node:crypto`,
        `rooms/snek/protocol.ts imports "./SnekRoom.ts": clients (browsers, bots) import this file, so it must be client-safe, but rooms/snek/SnekRoom.ts imports the Node built-in node:crypto`,
      ]);
    });

    it("follows imports through a cycle to the module that is not client-safe", () => {
      assert.deepEqual(violationsOf({
        "web/src/a.ts": ["./b.ts"],
        "web/src/b.ts": ["./a.ts", "../../rooms/snek/x.ts"],
        "rooms/snek/x.ts": ["./y.ts"],
        "rooms/snek/y.ts": ["./x.ts", "node:fs"],
      }).filter((v) => v.startsWith("web/")), [
        `web/src/a.ts imports "./b.ts": the web client imports only client-safe modules, but rooms/snek/y.ts imports the Node built-in node:fs`,
        `web/src/b.ts imports "./a.ts": the web client imports only client-safe modules, but rooms/snek/y.ts imports the Node built-in node:fs`,
        `web/src/b.ts imports "../../rooms/snek/x.ts": the web client imports only client-safe modules, but rooms/snek/y.ts imports the Node built-in node:fs`,
      ]);
    });

    it("keeps the bots to client-safe modules outside loadtest/ (Node itself is theirs to use)", () => {
      assert.deepEqual(violationsOf({
        "loadtest/bot.ts": ["node:fs", "../rooms/kit/client/follow.ts", "../rooms/kit/metrics.ts", "@colyseus/core"],
        "rooms/kit/client/follow.ts": ["@colyseus/sdk"],
        "rooms/kit/metrics.ts": ["prom-client"],
      }), [
        `loadtest/bot.ts imports "../rooms/kit/metrics.ts": the bots import only client-safe modules, but rooms/kit/metrics.ts imports prom-client, a server-side package`,
        `loadtest/bot.ts imports "@colyseus/core": the bots are clients: they load only client packages (@colyseus/sdk, @colyseus/schema, zod, phaser) and Node`,
      ]);
    });

    it("keeps a studio's game in the test tree on the kit alone, its server entry aside", () => {
      assert.deepEqual(violationsOf({
        "test/fixtures/tally/TallyRoom.ts": ["../../../rooms/kit/GameRoom.ts", "./rules.ts", "../../../rooms/server/config.ts", "../../../rooms/snek/rules.ts", "@colyseus/core"],
        "test/fixtures/tally/serve.ts": ["../../../rooms/server/server.ts", "./TallyRoom.ts"],
      }), [
        `test/fixtures/tally/TallyRoom.ts imports "../../../rooms/server/config.ts": a studio's game (test/fixtures/tally) is written on the kit alone: it imports only rooms/kit/ and its own folder`,
        `test/fixtures/tally/TallyRoom.ts imports "../../../rooms/snek/rules.ts": a studio's game (test/fixtures/tally) is written on the kit alone: it imports only rooms/kit/ and its own folder`,
      ]);
    });

    it("holds the client half of the kit and each game's protocol and state to client-safety, even before a client imports them", () => {
      assert.deepEqual(violationsOf({
        "rooms/kit/client/follow.ts": ["@colyseus/sdk", "../protocol.ts", "../metrics.ts"],
        "rooms/kit/protocol.ts": ["zod"],
        "rooms/kit/metrics.ts": ["prom-client"],
        "rooms/four/protocol.ts": ["zod", "./rules.ts", "node:crypto"],
        "rooms/four/state.ts": ["@colyseus/schema", "@colyseus/core"],
        "rooms/four/FourRoom.ts": ["@colyseus/core", "node:crypto"],
      }), [
        `rooms/kit/client/follow.ts imports "../metrics.ts": clients (browsers, bots) import this file, so it must be client-safe, but rooms/kit/metrics.ts imports prom-client, a server-side package`,
        `rooms/four/protocol.ts imports "node:crypto": clients (browsers, bots) import this file, so it must be client-safe, but node:crypto is a Node built-in`,
        `rooms/four/state.ts imports "@colyseus/core": clients (browsers, bots) import this file, so it must be client-safe, but @colyseus/core is a server-side package`,
      ]);
    });

    it("reads static, type-only, re-exported and dynamic imports", () => {
      const source = [
        `import { a } from "./a.ts";`,
        `import type { B } from "../b.ts";`,
        `export { c } from "./c.ts";`,
        `const d = await import("node:fs");`,
        `type E = typeof import("@scope/pkg/sub");`,
      ].join("\n");
      assert.deepEqual(importsOf("rooms/kit/x.ts", source).map((i) => i.target), [
        { kind: "file", path: "rooms/kit/a.ts" },
        { kind: "file", path: "rooms/b.ts" },
        { kind: "file", path: "rooms/kit/c.ts" },
        { kind: "builtin", name: "node:fs" },
        { kind: "package", name: "@scope/pkg" },
      ]);
    });
  });

  describe("the tree", () => {
    const graph = readImportGraph(root);
    const tree = readLayout(root);

    it("keeps the module table in every import of every source file", () => {
      assert.ok(graph.size > 50 && tree.games.includes("snek") && tree.studioGames.length > 0, `read only ${graph.size} files, games ${tree.games.join(", ")}, studio games ${tree.studioGames.join(", ")}`);
      const violations = checkBoundaries(graph, tree).map(explain);
      assert.deepEqual(violations, [], `imports that cross a boundary:\n  ${violations.join("\n  ")}`);
    });

    it("declares each game's simulation (rooms/<game>/tsconfig.sim.json), typechecked without DOM or Node", () => {
      assert.deepEqual(tree.withoutSimulation, [], "every game keeps its rules pure and lists them in rooms/<game>/tsconfig.sim.json");
      for (const [game, files] of tree.simulations) {
        assert.ok(files.size > 0, `rooms/${game}/tsconfig.sim.json lists no file`);
        const { options } = parsedConfig(`rooms/${game}/tsconfig.sim.json`);
        assert.deepEqual(options.types, [], `rooms/${game}: a simulation gets no @types (no Node)`);
        assert.ok(!(options.lib ?? []).some((lib) => /dom/i.test(lib)), `rooms/${game}: a simulation gets no DOM`);
        assert.ok(typecheckProjects().includes(`rooms/${game}/tsconfig.sim.json`), `npm run typecheck does not check rooms/${game}'s simulation`);
      }
    });

    it("names every game in rooms/games.ts, the only platform file that imports one", () => {
      const importers = (game: string): string[] => [...graph].filter(([file, imports]) =>
        !file.endsWith(".test.ts") && file.startsWith("rooms/") && !file.startsWith(`rooms/${game}/`) &&
        imports.some((i) => i.target.kind === "file" && i.target.path.startsWith(`rooms/${game}/`))).map(([file]) => file);
      for (const game of tree.games) assert.deepEqual(importers(game), ["rooms/games.ts"], `rooms/${game}/ is imported by`);
    });

    it("typechecks the web client with the DOM and without Node, and Node code without the DOM", () => {
      const web = parsedConfig("web/tsconfig.json").options;
      assert.deepEqual(web.types, []);
      assert.ok(web.lib?.some((lib) => /dom/i.test(lib)));
      const node = parsedConfig("tsconfig.json").options;
      assert.ok(node.types?.includes("node"));
      assert.ok(!(node.lib ?? []).some((lib) => /dom/i.test(lib)), "tsconfig.json (server, kit, tools) gets no DOM");
    });

    it("typechecks every source file in some area", () => {
      const checked = new Set(typecheckProjects().flatMap((project) => parsedConfig(project).fileNames.map((file) => path.relative(root, file).split(path.sep).join("/"))));
      const unchecked = ["rooms", "web", "loadtest", "test", "scripts", "bench", "deploy"]
        .flatMap((folder) => ts.sys.readDirectory(path.join(root, folder), [".ts"], ["**/node_modules", "web/dist"]))
        .map((file) => path.relative(root, file).split(path.sep).join("/"))
        .filter((file) => !file.endsWith(".d.ts") && !checked.has(file));
      assert.deepEqual(unchecked, [], "these files are in no tsconfig that npm run typecheck runs");
    });
  });
});
