// Command-line flags of `npm run loadtest`: one table declares every flag, and
// both the parser and --help read it, so the help can never miss a flag.

import { parseArgs } from "node:util";
import { NAME_MAX_CHARS } from "../rooms/kit/protocol.ts";
import { ROOM_NAME } from "../rooms/snek/protocol.ts";

export interface LoadtestOptions {
  url: string;
  bots: number;
  durationS: number;
  /** Bots started per second. */
  rampPerS: number;
  room: string;
  reportPath: string | undefined;
  /** 0: matchmaking places every bot (joinOrCreate). N: each group of groupSize bots makes N rooms of its own. */
  roomsPerBotGroup: number;
  groupSize: number;
  private: boolean;
  namePrefix: string;
  maxP99RttMs: number | undefined;
  maxErrorRate: number | undefined;
  /** Worker threads driving bots; 0 runs every bot on the main thread. */
  workers: number;
  /** Every bot decodes the state (as a browser does) instead of a few per room. */
  decodeAll: boolean;
}

export class UsageError extends Error {
  override name = "UsageError";
}

interface FlagSpec {
  name: string;
  value: string;
  default: string;
  description: string;
}

/** Bots per worker thread when --workers is not given; one event loop holds this many comfortably. */
export const BOTS_PER_WORKER = 2500;

export const FLAGS: readonly FlagSpec[] = [
  { name: "url", value: "URL", default: "http://localhost:2567", description: "Server or edge to load: the HTTP(S) address clients would use." },
  { name: "bots", value: "N", default: "100", description: "Bots to run (integer >= 1)." },
  { name: "duration", value: "SECONDS", default: "60", description: "Length of the whole run, ramp included (> 0)." },
  { name: "ramp", value: "BOTS_PER_S", default: "50", description: "Bots started per second (> 0)." },
  { name: "room", value: "NAME", default: ROOM_NAME, description: "Room to join: snek, or four (bots play Four in a row: legal moves, a person's thinking pause, rematches)." },
  { name: "report", value: "FILE", default: "(none)", description: "Write the JSON report here." },
  { name: "rooms-per-bot-group", value: "N", default: "0", description: "0: matchmaking places bots (joinOrCreate fills rooms to the server's MAX_PLAYERS). N >= 1: bots are taken in groups of --group-size and each group creates N rooms of its own, spreading its bots evenly over them." },
  { name: "group-size", value: "N", default: "32", description: "Bots per group for --rooms-per-bot-group and --private (integer >= 1)." },
  { name: "private", value: "", default: "off", description: "Bots create private rooms (not matchmade) and their group joins them by id; implies --rooms-per-bot-group 1 unless given." },
  { name: "name-prefix", value: "TEXT", default: "bot-", description: `Player names are the prefix plus the bot number, at most ${NAME_MAX_CHARS} characters in all.` },
  { name: "max-p99-rtt-ms", value: "MS", default: "(none)", description: "Exit 1 if the p99 round trip (ping answered by the server) is above this." },
  { name: "max-error-rate", value: "FRACTION", default: "(none)", description: "Exit 1 if errors (join + disconnect + other) per join attempt exceed this, 0..1 (0.01 = 1 %)." },
  { name: "workers", value: "N", default: `ceil(bots / ${BOTS_PER_WORKER}) if > 1, else 0`, description: "Worker threads driving bots; 0 keeps every bot on the main thread." },
  { name: "decode-all", value: "", default: "off", description: "Every bot decodes the state itself, as a browser does. By default two bots per room (and thread) decode it and the others read their picture, while still receiving and metering every byte: the server sees the same load, the load generator spends far less CPU." },
  { name: "help", value: "", default: "", description: "Show this help and exit." },
];

export function helpText(): string {
  const lines = [
    "Usage: npm run loadtest -- [flags]",
    "",
    "Runs bots that play Snek (or Four in a row, --room four) against a roomservice deployment and reports joins,",
    "round-trip time, patch intervals, bandwidth (with the full-state JSON cost",
    "for comparison), errors and the load generator's own CPU.",
    "",
    "Flags:",
  ];
  for (const flag of FLAGS) {
    lines.push(`  --${flag.name}${flag.value ? ` ${flag.value}` : ""}`);
    lines.push(...wrap(`${flag.description}${flag.default ? ` Default: ${flag.default}.` : ""}`, 72).map((line) => `      ${line}`));
  }
  lines.push(
    "",
    "Exit status: 0 when the run finished within the thresholds, 1 when a threshold",
    "was broken, 2 on a usage error.",
    "",
    "Example:",
    "  npm run loadtest -- --url http://localhost:2567 --bots 500 --duration 60 --ramp 50 --room snek --report out.json",
  );
  return lines.join("\n");
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

export type ParsedArgs = { help: true } | { help: false; options: LoadtestOptions };

function integer(flag: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min) throw new UsageError(`--${flag} ${JSON.stringify(raw)}: expected an integer >= ${min}`);
  return Number(raw);
}

function positive(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value) || value <= 0) throw new UsageError(`--${flag} ${JSON.stringify(raw)}: expected a number > 0`);
  return value;
}

export function parseLoadtestArgs(argv: readonly string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: "string" },
        bots: { type: "string" },
        duration: { type: "string" },
        ramp: { type: "string" },
        room: { type: "string" },
        report: { type: "string" },
        "rooms-per-bot-group": { type: "string" },
        "group-size": { type: "string" },
        private: { type: "boolean" },
        "name-prefix": { type: "string" },
        "max-p99-rtt-ms": { type: "string" },
        "max-error-rate": { type: "string" },
        workers: { type: "string" },
        "decode-all": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; see --help`);
  }
  const v = parsed.values;
  if (v.help) return { help: true };

  const url = v.url ?? "http://localhost:2567";
  let parsedUrl: URL;
  try { parsedUrl = new URL(url); } catch { throw new UsageError(`--url ${JSON.stringify(url)}: expected an http(s):// or ws(s):// URL`); }
  if (!["http:", "https:", "ws:", "wss:"].includes(parsedUrl.protocol)) {
    throw new UsageError(`--url ${JSON.stringify(url)}: expected an http(s):// or ws(s):// URL`);
  }

  const bots = integer("bots", v.bots, 100, 1);
  const isPrivate = v.private === true;
  const roomsPerBotGroup = integer("rooms-per-bot-group", v["rooms-per-bot-group"], isPrivate ? 1 : 0, isPrivate ? 1 : 0);
  const groupSize = integer("group-size", v["group-size"], 32, 1);
  if (roomsPerBotGroup > groupSize) {
    throw new UsageError(`--rooms-per-bot-group ${roomsPerBotGroup} is more than --group-size ${groupSize}: some rooms would have no bots`);
  }

  const namePrefix = v["name-prefix"] ?? "bot-";
  const longest = `${namePrefix}${bots - 1}`;
  if ([...longest].length > NAME_MAX_CHARS) {
    throw new UsageError(`--name-prefix ${JSON.stringify(namePrefix)}: with ${bots} bots names reach ${JSON.stringify(longest)}, over ${NAME_MAX_CHARS} characters`);
  }

  const room = v.room ?? ROOM_NAME;
  if (room.trim() === "") throw new UsageError("--room: expected a room name");

  let maxErrorRate: number | undefined;
  if (v["max-error-rate"] !== undefined) {
    const raw = v["max-error-rate"];
    maxErrorRate = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(maxErrorRate) || maxErrorRate < 0 || maxErrorRate > 1) {
      throw new UsageError(`--max-error-rate ${JSON.stringify(raw)}: expected a fraction from 0 to 1 (0.01 = 1 %)`);
    }
  }

  const defaultWorkers = bots > BOTS_PER_WORKER ? Math.ceil(bots / BOTS_PER_WORKER) : 0;
  return {
    help: false,
    options: {
      url,
      bots,
      durationS: positive("duration", v.duration, 60),
      rampPerS: positive("ramp", v.ramp, 50),
      room,
      reportPath: v.report,
      roomsPerBotGroup,
      groupSize,
      private: isPrivate,
      namePrefix,
      maxP99RttMs: v["max-p99-rtt-ms"] === undefined ? undefined : positive("max-p99-rtt-ms", v["max-p99-rtt-ms"], 0),
      maxErrorRate,
      workers: integer("workers", v.workers, defaultWorkers, 0),
      decodeAll: v["decode-all"] === true,
    },
  };
}
