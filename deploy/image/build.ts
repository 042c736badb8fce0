// Builds the roomservice image with a real container engine. Where the
// official base image can be pulled, that is one `docker build`. Where no
// image registry is reachable (only npm and Debian), `--local-base` first
// makes a stand-in for node:24-slim: Debian bookworm from debootstrap, the
// Node binary of the `node` npm package, npm from its tarball and this
// machine's CA bundle (deploy/image/local-node.Dockerfile). Both base images
// are kept in the engine and reused by later builds.
//
//   npm run image -- [--tag roomservice:local] [--local-base]
//
// The image test (test/deploy/image.test.ts) and .ci/run use the same functions.

import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { findBinary } from "../local/binaries.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export const LOCAL_DEBIAN_IMAGE = "local/debian:bookworm";
export const LOCAL_NODE_IMAGE = "local/node:24-slim";
const CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
const DEFAULT_MIRROR = "http://deb.debian.org/debian";
/** Lines of a failed command's output kept for its error message. */
const TAIL_LINES = 30;

export type Log = (line: string) => void;

/** Runs a command, streaming its output lines to `log`; resolves with its stdout (and stderr with `stderrToo`), rejects with the last lines when it fails. */
export function run(command: string, args: string[], log: Log, options: { cwd?: string; input?: NodeJS.ReadableStream; stderrToo?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? repoRoot, stdio: [options.input ? "pipe" : "ignore", "pipe", "pipe"] });
    if (options.input) options.input.pipe(child.stdin!);
    const tail: string[] = [];
    let stdout = "";
    const onData = (chunk: Buffer, keep: boolean): void => {
      const text = chunk.toString("utf8");
      if (keep) stdout += text;
      for (const line of text.split("\n").filter(Boolean)) {
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
        log(line);
      }
    };
    child.stdout!.on("data", (chunk: Buffer) => onData(chunk, true));
    child.stderr!.on("data", (chunk: Buffer) => onData(chunk, options.stderrToo ?? false));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(stdout.trim());
      else reject(new Error(`${command} ${args.join(" ")} exited with ${code}\n  ${tail.join("\n  ")}`));
    });
  });
}

/** Why no container engine can be used here, or undefined when `docker info` answers. */
export async function engineUnavailable(): Promise<string | undefined> {
  try {
    await run("docker", ["info", "--format", "{{.ServerVersion}}"], () => undefined);
    return undefined;
  } catch (error) {
    const message = (error as NodeJS.ErrnoException).code === "ENOENT" ? "the docker command is not installed" : "the Docker engine does not answer (is dockerd running?)";
    return `${message}. Install and start one with: apt-get install -y docker.io && (dockerd >/var/log/dockerd.log 2>&1 &)`;
  }
}

async function imageExists(ref: string): Promise<boolean> {
  try {
    await run("docker", ["image", "inspect", "--format", "{{.Id}}", ref], () => undefined);
    return true;
  } catch {
    return false;
  }
}

/** The Debian mirror apt already uses here (deb822 or one-line sources), so debootstrap needs no other network. */
export function aptMirror(): string {
  for (const file of ["/etc/apt/sources.list.d/debian.sources", "/etc/apt/sources.list"]) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, "utf8");
    const deb822 = /^URIs:\s*(\S+\/debian)\/?\s*$/m.exec(text);
    const oneLine = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+\/debian)\/?\s+bookworm\s/m.exec(text);
    const found = deb822?.[1] ?? oneLine?.[1];
    if (found) return found;
  }
  return DEFAULT_MIRROR;
}

/** local/debian:bookworm from a debootstrap minbase, unless the engine has it already. */
export async function ensureLocalDebian(log: Log): Promise<void> {
  if (await imageExists(LOCAL_DEBIAN_IMAGE)) return;
  const debootstrap = findBinary("debootstrap");
  if (!debootstrap) throw new Error(`image: ${LOCAL_DEBIAN_IMAGE} is not in the engine and debootstrap is not installed; apt-get install -y debootstrap (as root)`);
  const work = mkdtempSync(path.join(tmpdir(), "roomservice-debootstrap-"));
  const rootfs = path.join(work, "rootfs");
  try {
    const mirror = aptMirror();
    log(`image: debootstrap --variant=minbase bookworm from ${mirror} (once; the result is kept as ${LOCAL_DEBIAN_IMAGE})`);
    await run(debootstrap, ["--variant=minbase", "bookworm", rootfs, mirror], log);
    const tar = spawn("tar", ["-C", rootfs, "-c", "."], { stdio: ["ignore", "pipe", "inherit"] });
    await run("docker", ["import", "-", LOCAL_DEBIAN_IMAGE], log, { input: tar.stdout! });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** local/node:24-slim on local/debian:bookworm, unless the engine has it already. */
export async function ensureLocalNode(log: Log): Promise<void> {
  if (await imageExists(LOCAL_NODE_IMAGE)) return;
  await ensureLocalDebian(log);
  const context = mkdtempSync(path.join(tmpdir(), "roomservice-node-image-"));
  try {
    const nodeBinary = path.join(repoRoot, "node_modules", "node", "bin", "node");
    if (!existsSync(nodeBinary)) throw new Error(`image: ${nodeBinary} is missing; run npm install first (the node package ships the runtime)`);
    if (!existsSync(CA_BUNDLE)) throw new Error(`image: ${CA_BUNDLE} is missing; apt-get install -y ca-certificates`);
    copyFileSync(nodeBinary, path.join(context, "node"));
    copyFileSync(CA_BUNDLE, path.join(context, "ca-certificates.crt"));
    const packed = await run("npm", ["pack", "npm@11", "--pack-destination", context, "--silent"], log, { cwd: context });
    copyFileSync(path.join(context, packed.split("\n").pop()!), path.join(context, "npm.tgz"));
    copyFileSync(path.join(repoRoot, "deploy", "image", "local-node.Dockerfile"), path.join(context, "Dockerfile"));
    log(`image: building ${LOCAL_NODE_IMAGE}`);
    await run("docker", ["build", "--build-arg", `DEBIAN_IMAGE=${LOCAL_DEBIAN_IMAGE}`, "-t", LOCAL_NODE_IMAGE, context], log);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

export interface ImageLabels {
  version: string;
  revision: string;
  created: string;
}

/** OCI label values from the checkout: package.json's version, the commit and its time (so a rebuild of one commit labels alike). */
export async function labelsFromCheckout(): Promise<ImageLabels> {
  const { version } = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string };
  const quiet: Log = () => undefined;
  try {
    const revision = await run("git", ["rev-parse", "HEAD"], quiet);
    const created = await run("git", ["log", "-1", "--format=%cI"], quiet);
    return { version, revision, created };
  } catch {
    return { version, revision: "unknown", created: new Date().toISOString() };
  }
}

/** Builds the repository's Dockerfile; `nodeImage` replaces the pinned official base. */
export async function buildImage(options: { tag: string; nodeImage?: string; log: Log }): Promise<ImageLabels> {
  const labels = await labelsFromCheckout();
  const args = ["build", "-t", options.tag,
    "--build-arg", `VERSION=${labels.version}`, "--build-arg", `REVISION=${labels.revision}`, "--build-arg", `CREATED=${labels.created}`];
  if (options.nodeImage) args.push("--build-arg", `NODE_IMAGE=${options.nodeImage}`);
  options.log(`image: docker ${args.join(" ")} .`);
  await run("docker", [...args, "."], options.log);
  return labels;
}

const usage = "usage: npm run image -- [--tag roomservice:local] [--local-base]";

async function main(argv: string[]): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { tag: { type: "string", default: "roomservice:local" }, "local-base": { type: "boolean", default: false }, help: { type: "boolean", default: false } }, strict: true }));
  } catch (error) {
    console.error(`image: ${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(usage);
    return;
  }
  const unavailable = await engineUnavailable();
  if (unavailable) {
    console.error(`image: no container engine: ${unavailable}`);
    process.exit(1);
  }
  const log: Log = (line) => console.log(line);
  try {
    if (values["local-base"]) await ensureLocalNode(log);
    await buildImage({ tag: values.tag, nodeImage: values["local-base"] ? LOCAL_NODE_IMAGE : undefined, log });
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  console.log(`image: built ${values.tag}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
