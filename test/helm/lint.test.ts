// `helm lint --strict` over every CI values file: the chart, its schema and
// its templates are well-formed for each supported combination.
import assert from "node:assert/strict";
import { basename } from "node:path";
import { ciValuesFiles, lintArgs, runHelm } from "./render.ts";

describe("helm lint --strict", () => {
  it("has the CI values files, the three cloud recipes among them", () => {
    assert.deepEqual(ciValuesFiles().map((f) => basename(f)), [
      "autoscaling-values.yaml",
      "bundled-redis-values.yaml",
      "default-values.yaml",
      "eks-values.yaml",
      "gateway-values.yaml",
      "gke-gateway-values.yaml",
      "gke-ingress-values.yaml",
      "network-policy-values.yaml",
    ]);
  });

  for (const file of ciValuesFiles()) {
    it(`passes for ci/${basename(file)}`, () => {
      const result = runHelm(lintArgs([file]));
      assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
      assert.match(result.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
    });
  }

  // Lint only logs a template's `fail` (rendering tests cover those); the schema it does enforce.
  it("fails when the values break the schema", () => {
    const result = runHelm(lintArgs([], { replicaCount: "0" }));
    assert.notEqual(result.status, 0);
    assert.match(result.stdout + result.stderr, /at '\/replicaCount': minimum: got 0, want 1/);
  });
});
