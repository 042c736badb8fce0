// `npm run loadtest`: parse flags, run, print the summary, write the report,
// and exit 1 when a threshold was broken (2 on a usage error).

import { writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { helpText, parseLoadtestArgs, UsageError } from "./args.ts";
import { progressSink } from "./progress.ts";
import { summaryTable } from "./report.ts";
import { runLoadtest } from "./run.ts";
import { quietSdkConsole } from "./sdkConsole.ts";

async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseLoadtestArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`loadtest: ${error.message}`);
    return 2;
  }
  if (parsed.help) {
    console.log(helpText());
    return 0;
  }

  const { options } = parsed;
  quietSdkConsole();
  console.error(`loadtest: ${options.bots} bots against ${options.url} (room "${options.room}") for ${options.durationS} s, ramp ${options.rampPerS}/s, ${options.workers} worker threads`);
  const report = await runLoadtest(options, progressSink(process.stderr));
  console.log(summaryTable(report));
  if (options.reportPath) {
    await writeFile(options.reportPath, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nreport written to ${options.reportPath}`);
  }
  return report.thresholds.broken.length > 0 ? 1 : 0;
}

// Only as the entry point: a test runner loading every module of the folder must not start a run.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exit(await main(process.argv.slice(2)));
}
