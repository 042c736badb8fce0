// `npm run typecheck` (and the first step of `npm test`): one type check per
// area, each with only the globals its code may use, so crossing a boundary the
// style names (a pure simulation, a browser client) is a type error:
//
//   rooms/<game>/tsconfig.sim.json  a game's pure simulation: neither the DOM nor Node
//   web/tsconfig.json               the browser client: the DOM, not Node
//   tsconfig.json                   server, kit, bots, scripts, benches, deploy, tests: Node, no DOM
//   test/web/tsconfig.json          Node code that also handles the DOM (browser tests, web unit tests)
//
// Fast by two means: every area is checked in this one process, parsing the
// declaration files they share (TypeScript's libs, @types/node, packages) once;
// and each check is incremental (build info under node_modules/.cache/tsc), so
// unchanged files are not checked again.

import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Every area's tsconfig, relative to the repository root: each game's simulation first, then the rest. */
export function typecheckProjects(root = repoRoot): string[] {
  const rooms = path.join(root, "rooms");
  const simulations = readdirSync(rooms, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(rooms, entry.name, "tsconfig.sim.json")))
    .map((entry) => `rooms/${entry.name}/tsconfig.sim.json`)
    .sort();
  return [...simulations, "web/tsconfig.json", "tsconfig.json", "test/web/tsconfig.json"];
}

/** Declaration files under node_modules, parsed once for every area (they do not depend on an area's options). */
const sharedDeclarations = new Map<string, ts.SourceFile>();

function checkProject(project: string): readonly ts.Diagnostic[] {
  const tsBuildInfoFile = path.join(repoRoot, "node_modules", ".cache", "tsc", `${project.replaceAll("/", "_")}.tsbuildinfo`);
  const configProblems: ts.Diagnostic[] = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(repoRoot, project), { incremental: true, tsBuildInfoFile }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => { configProblems.push(diagnostic); },
  });
  if (!parsed) return configProblems;

  const host = ts.createIncrementalCompilerHost(parsed.options);
  const readSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, options, onError, shouldCreate) => {
    if (!fileName.includes("/node_modules/")) return readSourceFile(fileName, options, onError, shouldCreate);
    const { languageVersion, impliedNodeFormat } = typeof options === "object" ? options : { languageVersion: options, impliedNodeFormat: undefined };
    const key = `${fileName}|${languageVersion}|${impliedNodeFormat}`;
    let file = sharedDeclarations.get(key);
    if (!file) {
      file = readSourceFile(fileName, options, onError, shouldCreate);
      if (file) sharedDeclarations.set(key, file);
    }
    return file;
  };
  const program = ts.createIncrementalProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    host,
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(parsed),
    projectReferences: parsed.projectReferences,
  });
  const diagnostics = [
    ...program.getConfigFileParsingDiagnostics(),
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program.getSyntacticDiagnostics(),
    ...program.getSemanticDiagnostics(),
  ];
  // noEmit: this writes only the build info, for the next run.
  program.emit();
  return [...diagnostics, ...leakedGlobals(project, parsed.options, program.getProgram())];
}

/**
 * An area's options can keep Node or the DOM out only of its own files: a
 * package's declarations can still pull them in (@colyseus/sdk's did, through
 * @colyseus/core and express). This reports such a leak as an error.
 */
function leakedGlobals(project: string, options: ts.CompilerOptions, program: ts.Program): ts.Diagnostic[] {
  const files = program.getSourceFiles().map((file) => file.fileName);
  const leaks: string[] = [];
  if (options.types?.length === 0 && files.some((file) => file.includes("/node_modules/@types/node/"))) leaks.push("Node's types (@types/node)");
  if (!(options.lib ?? []).some((lib) => /dom/i.test(lib)) && files.some((file) => /\/lib\.dom\.d\.ts$/.test(file))) leaks.push("the DOM (lib.dom.d.ts)");
  return leaks.map((what) => ({
    category: ts.DiagnosticCategory.Error,
    code: 0,
    file: undefined,
    start: undefined,
    length: undefined,
    messageText: `${project} must not see ${what}, but a declaration file brings them in; \`npx tsc -p ${project} --explainFiles\` shows which`,
  }));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const formatHost: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (fileName) => fileName,
    getCurrentDirectory: () => repoRoot,
    getNewLine: () => "\n",
  };
  const failed: string[] = [];
  for (const project of typecheckProjects()) {
    const diagnostics = checkProject(project);
    if (diagnostics.length === 0) continue;
    failed.push(project);
    const format = process.stdout.isTTY ? ts.formatDiagnosticsWithColorAndContext : ts.formatDiagnostics;
    console.error(format(diagnostics, formatHost));
  }
  if (failed.length > 0) {
    console.error(`typecheck failed in ${failed.join(", ")}`);
    process.exit(1);
  }
}
