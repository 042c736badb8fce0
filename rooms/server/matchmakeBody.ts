// What a matchmaking request may carry, checked before Colyseus sees it: a
// small JSON object with no prototype keys, a reconnection token where one is
// needed, and, for a room name with a declared options schema, options of that
// shape. Colyseus then gets only the parsed result. Pure: no I/O.

import { z } from "zod";

/**
 * Keys that Colyseus' option merge (a plain deep copy) would turn into the
 * options' prototype: `{"__proto__": {"private": true}}` would pass a schema
 * check and then set `options.private`. Refused anywhere in the body.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** Colyseus' matchmaking methods; `reconnect` and `joinById` name a room id, the others a room name. */
export const MATCHMAKE_METHODS = ["joinOrCreate", "create", "join", "joinById", "reconnect"] as const;
export type MatchmakeMethod = (typeof MATCHMAKE_METHODS)[number];

/** Join options schemas by room name; a room without one still gets the structural checks. */
export type OptionsSchemas = Readonly<Record<string, z.ZodType<Record<string, unknown>>>>;

const ReconnectBody = z.strictObject({
  reconnectionToken: z.string({ error: "reconnectionToken is required" }).min(1, "reconnectionToken is required").max(128),
});

export type BodyVerdict =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; status: 400; error: string };

function refuse(error: string): BodyVerdict {
  return { ok: false, status: 400, error };
}

class ForbiddenKey extends Error {}

/** JSON.parse that throws on a forbidden key at any depth. */
function parseJson(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) => {
    if (FORBIDDEN_KEYS.has(key)) throw new ForbiddenKey(key);
    return value;
  });
}

/** Checks one matchmaking body (already within MAX_MATCHMAKE_BODY_BYTES). An empty body is `{}`. */
export function checkMatchmakeBody(method: string, target: string, text: string, schemas: OptionsSchemas): BodyVerdict {
  let raw: unknown;
  try {
    raw = text.trim() === "" ? {} : parseJson(text);
  } catch (error) {
    if (error instanceof ForbiddenKey) return refuse(`invalid join options: the key "${error.message}" is not allowed`);
    return refuse("invalid join options: the body is not JSON");
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return refuse("invalid join options: the body must be a JSON object");

  if (method === "reconnect") {
    const parsed = ReconnectBody.safeParse(raw);
    return parsed.success ? { ok: true, body: parsed.data } : refuse(`invalid reconnect request: ${z.prettifyError(parsed.error)}`);
  }
  // joinById names a room id, not a room name: the room's own onAuth checks those options.
  const schema = method === "joinById" ? undefined : schemas[target];
  if (!schema) return { ok: true, body: raw as Record<string, unknown> };
  const parsed = schema.safeParse(raw);
  return parsed.success ? { ok: true, body: parsed.data } : refuse(`invalid join options: ${z.prettifyError(parsed.error)}`);
}
