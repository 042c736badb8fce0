// The image, built by a real container engine and run the way the Helm chart
// runs it: read-only root filesystem, every capability dropped, uid 1000.
// Skips when no engine answers (and fails under CI=true, where .ci/run starts
// one). Where no image registry is reachable it builds on the local stand-in
// for node:24-slim (deploy/image/build.ts --local-base).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Client } from "@colyseus/sdk";
import { buildImage, engineUnavailable, ensureLocalNode, LOCAL_NODE_IMAGE, run, type ImageLabels } from "../../deploy/image/build.ts";
import { skipBecause } from "../support/binaries.ts";
import { nextEvent, waitFor } from "../support/wait.ts";

/** Per run: test runs in other checkouts share the engine, and each must run the image it built. */
const TAG = `roomservice:image-test-${process.pid}`;
/** First build on a fresh machine: debootstrap, two npm installs, the web build. Later builds hit the engine's cache. */
const BUILD_TIMEOUT_MS = 20 * 60_000;
const DRAIN_SECONDS = 2;
const quiet = (): void => undefined;

async function docker(...args: string[]): Promise<string> {
  return run("docker", args, quiet);
}

describe("the container image", function () {
  this.timeout(60_000);
  let labels: ImageLabels;
  let container: string | undefined;
  let url: string;
  const buildLog: string[] = [];

  before(async function () {
    const unavailable = await engineUnavailable();
    if (unavailable) skipBecause(this, `no container engine: ${unavailable}`);
    this.timeout(BUILD_TIMEOUT_MS);
    const log = (line: string): void => { buildLog.push(line); };
    try {
      await ensureLocalNode(log);
      labels = await buildImage({ tag: TAG, nodeImage: LOCAL_NODE_IMAGE, log });
    } catch (error) {
      throw new Error(`${(error as Error).message}\n  build output (last 40 lines):\n    ${buildLog.slice(-40).join("\n    ")}`);
    }
    container = await docker("run", "--detach", "--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
      "--user", "1000:1000", "--publish", "127.0.0.1::2567", "--env", `DRAIN_SECONDS=${DRAIN_SECONDS}`, TAG);
    try {
      const published = await docker("port", container, "2567/tcp");
      url = `http://${published.split("\n")[0]}`;
      await waitFor("the container's /readyz to answer 200", async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200, 30_000, 100);
    } catch (error) {
      // The container's own output says why it did not start (e.g. a module the image lacks).
      const logs = await run("docker", ["logs", "--tail", "20", container], quiet, { stderrToo: true }).catch(() => "");
      throw new Error(`${(error as Error).message}\n  container output:\n    ${logs.split("\n").join("\n    ")}`);
    }
  });

  after(async () => {
    if (container) await docker("rm", "--force", container).catch(() => undefined);
    // The tag only; the build layers stay cached for the next run.
    await docker("image", "rm", "--no-prune", TAG).catch(() => undefined);
  });

  it("carries the OCI labels of this checkout and runs as uid 1000, read-only, with no capabilities", async () => {
    const image = JSON.parse(await docker("image", "inspect", TAG))[0];
    const label = (name: string) => image.Config.Labels[`org.opencontainers.image.${name}`];
    assert.equal(label("title"), "roomservice");
    assert.equal(label("version"), JSON.parse(readFileSync("package.json", "utf8")).version);
    assert.equal(label("revision"), labels.revision);
    assert.equal(label("created"), labels.created);
    assert.equal(label("licenses"), "MIT");
    assert.equal(label("base.name"), LOCAL_NODE_IMAGE);
    assert.equal(image.Config.User, "node", "the image itself names a non-root user");

    const state = JSON.parse(await docker("inspect", container!))[0];
    assert.equal(state.HostConfig.ReadonlyRootfs, true);
    assert.deepEqual(state.HostConfig.CapDrop, ["ALL"]);
    // What the server process itself runs as, and that it cannot write its own files.
    assert.equal(await docker("exec", container!, "id", "-u"), "1000");
    await assert.rejects(docker("exec", container!, "touch", "/tmp/written"), /Read-only file system/);
  });

  it("answers /healthz, serves the web client and passes its own HEALTHCHECK", async () => {
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(await health.text(), "ok\n");
    const page = await (await fetch(`${url}/`)).text();
    const bundle = /<script type="module"[^>]+src="\.?(\/assets\/[^"]+\.js)"/.exec(page)?.[1];
    assert.ok(bundle, "the built web client, not the status page");
    assert.equal((await fetch(`${url}${bundle}`)).status, 200);
    await waitFor("Docker to report the container healthy", async () => (await docker("inspect", "--format", "{{.State.Health.Status}}", container!)) === "healthy", 45_000, 500);
  });

  it("runs the chart's `helm test` join (scripts/smoke.ts) from the image itself, hardened the same way", async () => {
    // In the server container's network namespace, so --url reaches it on its own port.
    const out = await docker("run", "--rm", "--read-only", "--cap-drop", "ALL", "--user", "1000:1000", "--network", `container:${container!}`,
      TAG, "node", "scripts/smoke.ts", "--url", "http://127.0.0.1:2567", "--timeout-seconds", "15");
    assert.match(out, /^ok: joined snek room \S+ as \S+ through http:\/\/127\.0\.0\.1:2567/);
  });

  it("lets a real client join and decode the game, then drains on SIGTERM and exits 0", async () => {
    const room = await new Client(url).joinOrCreate("snek", { name: "boxed" });
    const me = await waitFor("my player in the decoded state", () => (room.state as { players?: Map<string, { name: string; alive: boolean }> }).players?.get(room.sessionId));
    assert.equal(me.name, "boxed");

    const draining = nextEvent<[unknown]>("the draining notice", (done) => room.onMessage("draining", done), 10_000);
    const left = nextEvent<[number]>("the socket to close", (done) => room.onLeave(done), (DRAIN_SECONDS + 10) * 1000);
    await docker("kill", "--signal", "SIGTERM", container!);
    await draining;
    const [code] = await left;
    assert.equal(code, 4011, "closed with 'join again' after the drain");
    const exit = await run("docker", ["wait", container!], quiet);
    assert.equal(exit, "0");
    const logs = await run("docker", ["logs", container!], quiet);
    assert.match(logs, /"msg":"drain finished"/);
    assert.match(logs, /"result":"drained"/);
  });
});
