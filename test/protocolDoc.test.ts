// docs/protocol.md explains the protocol in prose, so it repeats numbers the
// code defines. Each such number is checked here against its one definition
// (the kit's protocol, the games' rules, the env declarations), so the page
// cannot drift from the server.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { CLOSE_CODES, FLOOD_DISCONNECT_PER_SECOND, MAX_MESSAGE_BYTES, MAX_MESSAGES_PER_SECOND, NAME_MAX_CHARS, REJECT_REASONS } from "../rooms/kit/protocol.ts";
import { CELLS, COLUMNS, ROWS } from "../rooms/four/rules.ts";
import { ENV } from "../rooms/server/config.ts";
import { PALETTE_SIZE } from "../rooms/snek/protocol.ts";
import { MAX_QUEUED_TURNS, RESPAWN_DELAY_SECONDS } from "../rooms/snek/rules.ts";

// Line breaks in the page are only wrapping.
const page = readFileSync("docs/protocol.md", "utf8").replace(/\s+/g, " ");

describe("docs/protocol.md", () => {
  const facts: [string, string][] = [
    ["the name length", `the first ${NAME_MAX_CHARS} characters kept`],
    ["the message rate", `Send at most ${MAX_MESSAGES_PER_SECOND} messages a second`],
    ["the rate limit", `more than ${MAX_MESSAGES_PER_SECOND} frames in a second`],
    ["the flood limit", `more than ${FLOOD_DISCONNECT_PER_SECOND} frames in a second | socket closed with **${CLOSE_CODES.flood}**`],
    ["the frame size", `a frame over ${MAX_MESSAGE_BYTES / 1024} KB | socket closed with **${CLOSE_CODES.oversized}**`],
    ["the drain close code", `then you are closed with ${CLOSE_CODES.drained}`],
    ["the default tick rate", `per second, ${ENV.tickHz.default} by default`],
    ["the reconnection window", `\`RECONNECT_SECONDS\` (${ENV.reconnectSeconds.default} by default)`],
    ["the spectator cap", `\`MAX_SPECTATORS\` (default ${ENV.maxSpectators.default})`],
    ["the room creation limit", `\`MAX_CREATES_PER_MINUTE\` (${ENV.maxCreatesPerMinute.default} by default)`],
    ["Snek's queued turns", `at most ${MAX_QUEUED_TURNS} queued`],
    ["Snek's respawn delay", `you respawn ${RESPAWN_DELAY_SECONDS} s after death`],
    ["Snek's palette", `Palette index 0-${PALETTE_SIZE - 1}`],
    ["Four in a row's board", `a ${COLUMNS}-column, ${ROWS}-row board`],
    ["Four in a row's cells", `array of ${CELLS} uint8`],
    ["Four in a row's columns", `{ column: 0..${COLUMNS - 1} }`],
    ["Four in a row's move timer", `(\`FOUR_TURN_SECONDS\`, ${ENV.fourTurnSeconds.default} by default)`],
  ];
  for (const [what, text] of facts) {
    it(`states ${what} as the code defines it`, () => {
      assert.ok(page.includes(text), `docs/protocol.md should say "${text}"`);
    });
  }

  it("has a row for each of the platform's close codes, and explains each rejection reason", () => {
    for (const [name, code] of Object.entries(CLOSE_CODES)) {
      assert.match(page, new RegExp(`\\| (\\d+, )*${code}(, \\d+)* \\|`), `no row for close code ${code} (${name})`);
    }
    for (const reason of REJECT_REASONS) assert.ok(page.includes(`\`${reason}\``), `rejection reason ${reason} is not explained`);
  });
});
