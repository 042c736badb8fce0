import assert from "node:assert/strict";
import { Histogram } from "./histogram.ts";

/** Nearest-rank percentile of a sorted array: the reference the histogram must match. */
function exact(sorted: number[], q: number): number {
  return sorted[Math.max(1, Math.ceil((q / 100) * sorted.length)) - 1]!;
}

describe("latency histogram", () => {
  it("matches exact nearest-rank percentiles within 0.2 % over six decades", () => {
    const values: number[] = [];
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 20000; i++) values.push(0.01 * 10 ** (random() * 6)); // 10 us .. 10 s
    const histogram = new Histogram();
    for (const v of values) histogram.record(v);
    values.sort((a, b) => a - b);
    for (const q of [1, 10, 50, 90, 95, 99, 99.9]) {
      const want = exact(values, q);
      const got = histogram.percentile(q);
      assert.ok(Math.abs(got - want) <= Math.max(0.002 * want, 0.001), `p${q}: got ${got}, want ${want}`);
    }
    assert.equal(histogram.percentile(100), values[values.length - 1]);
    assert.equal(histogram.summary().max, values[values.length - 1]);
    assert.equal(histogram.count, 20000);
  });

  it("keeps sub-millisecond values exact to the microsecond", () => {
    const histogram = new Histogram();
    for (const v of [0.25, 0.5, 0.75, 1]) histogram.record(v);
    assert.deepEqual(histogram.summary(), { p50: 0.5, p95: 1, p99: 1, max: 1 });
  });

  it("reports zeros when empty and ignores nonsense samples", () => {
    const histogram = new Histogram();
    histogram.record(Number.NaN);
    histogram.record(-1);
    assert.deepEqual(histogram.summary(), { p50: 0, p95: 0, p99: 0, max: 0 });
    assert.equal(histogram.mean(), 0);
  });

  it("merges the compact wire form as if all samples were recorded in one place", () => {
    const a = new Histogram();
    const b = new Histogram();
    const all = new Histogram();
    for (let i = 1; i <= 1000; i++) {
      (i % 2 === 0 ? a : b).record(i / 10);
      all.record(i / 10);
    }
    const merged = Histogram.fromData(a.toData());
    merged.merge(b.toData());
    assert.deepEqual(merged.summary(), all.summary());
    assert.equal(merged.count, 1000);
    assert.ok(Math.abs(merged.mean() - all.mean()) < 1e-9);
  });
});
