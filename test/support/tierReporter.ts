// The reporter `npm test` uses: a line per test file as it finishes (so a long
// run shows progress), a summary per tier at the end, and every failure in
// full. The tiers are the suite's three (README): pure rules and client parts,
// a real server with real SDK clients, and the real topology.

import path from "node:path";
import Mocha from "mocha";

const { EVENT_RUN_BEGIN, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END, EVENT_SUITE_END } = Mocha.Runner.constants;

type Tier = "pure" | "server" | "topology";
const TIER_TITLES: Record<Tier, string> = {
  pure: "pure (rules, client parts, load tool)",
  server: "real server + SDK clients",
  topology: "topology (Redis, replicas, nginx, Chromium, helm)",
};

/** Which tier a test file belongs to, by its folder. */
export function tierOf(file: string): Tier {
  const relative = path.relative(process.cwd(), file).split(path.sep).join("/");
  if (/^test\/(cluster|deploy|web|helm)\//.test(relative) || relative === "loadtest/migration.test.ts") return "topology";
  // The load tool's own end-to-end test starts real servers.
  if (relative.startsWith("test/") || relative === "loadtest/loadtest.test.ts") return "server";
  return "pure";
}

interface Counts { passed: number; failed: number; pending: number; ms: number }
const zero = (): Counts => ({ passed: 0, failed: 0, pending: 0, ms: 0 });

export default class TierReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const print = (line: string) => process.stdout.write(`${line}\n`);
    const byTier = new Map<Tier, Counts>();
    const byFile = new Map<string, Counts>();
    const countsIn = <K>(map: Map<K, Counts>, key: K): Counts => map.get(key) ?? map.set(key, zero()).get(key)!;
    const count = (test: Mocha.Test, key: keyof Omit<Counts, "ms">): void => {
      const file = test.file ?? "(unknown file)";
      for (const counts of [countsIn(byFile, file), countsIn(byTier, tierOf(file))]) {
        counts[key]++;
        counts.ms += test.duration ?? 0;
      }
    };
    runner.on(EVENT_TEST_PASS, (test) => count(test, "passed"));
    runner.on(EVENT_TEST_PENDING, (test) => count(test, "pending"));
    runner.on(EVENT_TEST_FAIL, (test) => { if (test.type === "test") count(test, "failed"); });
    // A file is done when the last of its top-level suites ends.
    const lastSuiteOf = new Map<string, Mocha.Suite>();
    runner.once(EVENT_RUN_BEGIN, () => {
      for (const suite of runner.suite.suites) if (suite.file) lastSuiteOf.set(suite.file, suite);
    });
    runner.on(EVENT_SUITE_END, (suite) => {
      if (!suite.file || lastSuiteOf.get(suite.file) !== suite) return;
      const counts = byFile.get(suite.file) ?? zero();
      const mark = counts.failed > 0 ? "✗" : "✓";
      const extra = [counts.failed && `${counts.failed} failed`, counts.pending && `${counts.pending} skipped`].filter(Boolean).join(", ");
      print(`  ${mark} ${path.relative(process.cwd(), suite.file)}: ${counts.passed} passed${extra ? `, ${extra}` : ""} (${(counts.ms / 1000).toFixed(1)} s)`);
      byFile.delete(suite.file);
    });
    runner.once(EVENT_RUN_END, () => {
      print("");
      for (const tier of ["pure", "server", "topology"] as const) {
        const c = byTier.get(tier);
        if (!c) continue;
        print(`  ${TIER_TITLES[tier].padEnd(52)} ${String(c.passed).padStart(4)} passed  ${String(c.failed).padStart(3)} failed  ${String(c.pending).padStart(3)} skipped  ${(c.ms / 1000).toFixed(0).padStart(5)} s`);
      }
      this.epilogue();
    });
  }
}
