import assert from "node:assert/strict";
import { JoinOptions } from "../kit/protocol.ts";

/** Any game room: they all take the kit's join options. */
const ROOM_NAME = "snek";
import { checkMatchmakeBody } from "./matchmakeBody.ts";

const schemas = { [ROOM_NAME]: JoinOptions };
const check = (text: string, method = "joinOrCreate", target = ROOM_NAME) => checkMatchmakeBody(method, target, text, schemas);

function refused(text: string, pattern: RegExp, method?: string, target?: string): void {
  const verdict = check(text, method, target);
  assert.equal(verdict.ok, false, `${text} should be refused`);
  if (!verdict.ok) {
    assert.equal(verdict.status, 400);
    assert.match(verdict.error, pattern, text);
  }
}

describe("matchmaking body checks", () => {
  it("refuses prototype keys at any depth, whatever they hold", () => {
    refused('{"__proto__": {"migration": "roomservice:migration:x"}}', /"__proto__" is not allowed/);
    refused('{"__proto__": {"private": "yes"}}', /"__proto__" is not allowed/);
    refused('{"name": "a", "constructor": {"prototype": {"private": true}}}', /not allowed/);
    refused('{"name": {"deep": [{"prototype": 1}]}}', /"prototype" is not allowed/);
    refused('{"__proto__": {}}', /not allowed/, "joinById", "someRoomId");
  });

  it("refuses bodies that are not a JSON object, JSON null included", () => {
    for (const text of ["null", '"a string"', "[1,2]", "42", "true"]) refused(text, /must be a JSON object/);
    refused("{not json", /not JSON/);
  });

  it("refuses options of the wrong shape and keeps only the parsed ones", () => {
    refused('{"private": "yes"}', /private must be true or false/);
    refused('{"migration": "roomservice:migration:x"}', /migration is set by the server only/);
    const verdict = check('{"name": "alice", "private": true, "colour": "red"}');
    assert.deepEqual(verdict, { ok: true, body: { name: "alice", private: true } });
  });

  it("treats an empty body as no options", () => {
    assert.deepEqual(check(""), { ok: true, body: {} });
  });

  it("asks a reconnect for its token, as a client mistake (400), not a retry", () => {
    refused("{}", /reconnectionToken is required/, "reconnect", "roomId");
    refused('{"reconnectionToken": 5}', /reconnectionToken/, "reconnect", "roomId");
    assert.deepEqual(check('{"reconnectionToken": "abc"}', "reconnect", "roomId"), { ok: true, body: { reconnectionToken: "abc" } });
  });

  it("leaves options of rooms without a schema, and joinById's, to the room", () => {
    assert.deepEqual(check('{"anything": 1}', "joinOrCreate", "lobby"), { ok: true, body: { anything: 1 } });
    assert.deepEqual(check('{"private": "yes"}', "joinById", "abc"), { ok: true, body: { private: "yes" } });
  });
});
