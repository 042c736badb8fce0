import assert from "node:assert/strict";
import { FLAGS, helpText, parseLoadtestArgs, UsageError, type LoadtestOptions } from "./args.ts";

function options(argv: string[]): LoadtestOptions {
  const parsed = parseLoadtestArgs(argv);
  assert.equal(parsed.help, false);
  return (parsed as { options: LoadtestOptions }).options;
}

describe("loadtest flags", () => {
  it("reads the issue's example command", () => {
    const o = options(["--url", "http://localhost:2567", "--bots", "500", "--duration", "60", "--ramp", "50", "--room", "snek", "--report", "out.json"]);
    assert.equal(o.url, "http://localhost:2567");
    assert.equal(o.bots, 500);
    assert.equal(o.durationS, 60);
    assert.equal(o.rampPerS, 50);
    assert.equal(o.room, "snek");
    assert.equal(o.reportPath, "out.json");
    assert.equal(o.roomsPerBotGroup, 0);
    assert.equal(o.private, false);
    assert.equal(o.maxP99RttMs, undefined);
    assert.equal(o.maxErrorRate, undefined);
  });

  it("reads thresholds, grouping, privacy and names", () => {
    const o = options(["--max-p99-rtt-ms", "50", "--max-error-rate", "0.01", "--rooms-per-bot-group", "2", "--group-size", "20", "--name-prefix", "ci-", "--workers", "2"]);
    assert.equal(o.maxP99RttMs, 50);
    assert.equal(o.maxErrorRate, 0.01);
    assert.equal(o.roomsPerBotGroup, 2);
    assert.equal(o.groupSize, 20);
    assert.equal(o.namePrefix, "ci-");
    assert.equal(o.workers, 2);
  });

  it("makes --private mean one private room per group unless told otherwise", () => {
    assert.equal(options(["--private"]).roomsPerBotGroup, 1);
    assert.equal(options(["--private", "--rooms-per-bot-group", "3"]).roomsPerBotGroup, 3);
    assert.throws(() => parseLoadtestArgs(["--private", "--rooms-per-bot-group", "0"]), UsageError);
  });

  it("uses worker threads only past what one event loop holds", () => {
    assert.equal(options(["--bots", "2500"]).workers, 0);
    assert.equal(options(["--bots", "6000"]).workers, 3);
  });

  it("refuses bad values, naming the flag", () => {
    const bad: [string[], RegExp][] = [
      [["--bots", "0"], /--bots/],
      [["--bots", "ten"], /--bots/],
      [["--duration", "-5"], /--duration/],
      [["--ramp", "0"], /--ramp/],
      [["--url", "localhost:2567"], /--url/],
      [["--max-error-rate", "5"], /--max-error-rate/],
      [["--max-p99-rtt-ms", "0"], /--max-p99-rtt-ms/],
      [["--rooms-per-bot-group", "40", "--group-size", "32"], /--rooms-per-bot-group/],
      [["--name-prefix", "a-very-long-name-", "--bots", "10"], /--name-prefix/],
      [["--bogus"], /bogus/],
    ];
    for (const [argv, message] of bad) assert.throws(() => parseLoadtestArgs(argv), (e: Error) => e instanceof UsageError && message.test(e.message), argv.join(" "));
  });

  it("documents every flag in --help", () => {
    assert.deepEqual(parseLoadtestArgs(["--help"]), { help: true });
    const help = helpText();
    for (const flag of FLAGS) assert.match(help, new RegExp(`--${flag.name}\\b`));
    for (const name of ["url", "bots", "duration", "ramp", "room", "report", "rooms-per-bot-group", "private", "name-prefix", "max-p99-rtt-ms", "max-error-rate", "help"]) {
      assert.ok(FLAGS.some((f) => f.name === name), `--${name} is declared`);
    }
  });
});
