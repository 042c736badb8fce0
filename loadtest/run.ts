// One `npm run loadtest` run: start the bots, sample for progress until the
// duration is up, stop, and build the report. Printing is left to the caller.

import { availableParallelism } from "node:os";
import type { LoadtestOptions } from "./args.ts";
import type { ProgressSink } from "./progress.ts";
import { buildReport, type Report } from "./report.ts";
import { scrapeServer } from "./serverMetrics.ts";
import { LoadSession } from "./session.ts";

export async function runLoadtest(options: LoadtestOptions, progress?: ProgressSink): Promise<Report> {
  const serverBefore = await scrapeServer(options.url);
  const session = new LoadSession({ ...options, workers: options.workers });
  const startedAt = session.startedAt;
  const endAtMs = performance.now() + options.durationS * 1000;
  const everyMs = progress?.everyMs ?? 1000;

  for (;;) {
    const leftMs = endAtMs - performance.now();
    if (leftMs <= 0) break;
    await new Promise((resolve) => setTimeout(resolve, Math.min(everyMs, leftMs)));
    if (performance.now() >= endAtMs) break;
    const window = await session.sample();
    progress?.show({ elapsedS: (Date.now() - startedAt.getTime()) / 1000, target: options.bots, window, totals: session.totals });
  }

  // The server is read while the bots are still in, then the last window is taken.
  const serverAfter = await scrapeServer(options.url);
  const endedAt = new Date();
  const final = await session.stop();
  progress?.end();
  return buildReport({
    options,
    totals: session.totals,
    final,
    startedAt,
    endedAt,
    peakConnected: session.peakConnected,
    cores: availableParallelism(),
    serverBefore,
    serverAfter,
  });
}
