// Joins one Snek room the way a player does and checks the server shows the
// player back: matchmaking over HTTP through --url, then the WebSocket to the
// address the owning replica announced (so, behind the chart, through that
// pod's own route). `helm test` runs it with the server image.
//
//   node scripts/smoke.ts --url https://games.example.com [--timeout-seconds 15] [--room snek]
//
// Prints one line and exits 0 on success, 1 on failure, 2 on bad arguments.
import { parseArgs } from "node:util";
import { Client, type Room } from "@colyseus/sdk";

const usage = "usage: node scripts/smoke.ts --url <http(s)://host[:port]> [--timeout-seconds 15] [--room snek]";

interface Args { url: string; timeoutMs: number; roomName: string }

function parseCommandLine(argv: string[]): Args {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: "string" },
      "timeout-seconds": { type: "string", default: "15" },
      room: { type: "string", default: "snek" },
    },
    strict: true,
  });
  if (!values.url) throw new Error("--url is required");
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    throw new Error(`--url ${values.url} is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`--url must be http:// or https://, got ${url.protocol}`);
  // The SDK appends /matchmake/... and /<processId>/<roomId> to whatever path it is given; the public routes live at the root.
  if (url.pathname !== "/" || url.search || url.hash) throw new Error(`--url must be an origin without path, query or fragment, got ${values.url}`);
  const seconds = Number(values["timeout-seconds"]);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`--timeout-seconds must be a positive number, got ${values["timeout-seconds"]}`);
  return { url: url.origin, timeoutMs: seconds * 1000, roomName: values.room };
}

/** The decoded Schema map, or undefined while the first state has not arrived. */
function playersOf(state: unknown): { has(key: string): boolean } | undefined {
  if (typeof state !== "object" || state === null) return undefined;
  const players: unknown = (state as { players?: unknown }).players;
  if (typeof players === "object" && players !== null && typeof (players as { has?: unknown }).has === "function") {
    return players as { has(key: string): boolean };
  }
  return undefined;
}

/** Resolves when the room's state lists this client; rejects if the room closes first. */
function seenInState(room: Room): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (state: unknown): void => {
      if (playersOf(state)?.has(room.sessionId)) resolve();
    };
    room.onStateChange(check);
    room.onLeave((code: number, reason?: string) => reject(new Error(`the room closed the connection (code ${code}${reason ? `: ${reason}` : ""}) before the player appeared in its state`)));
    room.onError((code: number, message?: string) => reject(new Error(`room error ${code}${message ? `: ${message}` : ""}`)));
    check(room.state);
  });
}

function withDeadline<T>(promise: Promise<T>, deadline: number, what: string): Promise<T> {
  const remaining = Math.max(0, deadline - Date.now());
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out ${what}`)), remaining);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function smoke(args: Args): Promise<string> {
  const started = Date.now();
  const deadline = started + args.timeoutMs;
  const client = new Client(args.url);
  const room = await withDeadline(client.joinOrCreate(args.roomName, { name: "helm-test" }), deadline, `matchmaking "${args.roomName}" at ${args.url}`);
  try {
    await withDeadline(seenInState(room), deadline, `waiting for player ${room.sessionId} in room ${room.roomId}`);
  } finally {
    // Leave either way, so a failed check does not hold a seat until the reconnect window ends.
    await room.leave(true).catch(() => undefined);
  }
  return `ok: joined ${args.roomName} room ${room.roomId} as ${room.sessionId} through ${args.url} in ${Date.now() - started} ms`;
}

let args: Args;
try {
  args = parseCommandLine(process.argv.slice(2));
} catch (err) {
  console.error(`smoke: ${(err as Error).message}\n${usage}`);
  process.exit(2);
}

try {
  console.log(await smoke(args));
  process.exit(0);
} catch (err) {
  const cause = (err as Error & { cause?: unknown }).cause;
  console.error(`FAIL: ${(err as Error).message}${cause ? ` (${String(cause)})` : ""}`);
  process.exit(1);
}
