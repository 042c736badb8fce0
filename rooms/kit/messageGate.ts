// Every client message passes this gate before a room sees it: per-client rate
// limit, zod validation against the game's schemas, unknown types; and so does
// every other frame a client sends (requests, pings, unused protocol codes). Bad input
// is dropped, counted, and the sender is told why; it never disconnects an
// honest-but-buggy client. (Colyseus' own validate() would close the socket
// with 4002 instead.)

import { Protocol, type Client, type Room } from "@colyseus/core";
import { z } from "zod";
import { CLOSE_CODES, MAX_MESSAGES_PER_SECOND, SERVER_MESSAGES, type RejectedNotice, type RejectReason } from "./protocol.ts";
import { countRejected } from "./metrics.ts";

/** A game's client messages: one zod schema per message type. */
export type MessageSchemas = Record<string, z.ZodType>;

/**
 * A well-formed message the game refuses (not your turn, column full…): the
 * gate answers it like any rejection, with the game's own reason, and counts it.
 */
export interface Refused {
  reason: string;
  message: string;
}

export type MessageHandlers<M extends MessageSchemas> = {
  [K in keyof M]: (client: Client, message: z.infer<M[K]>) => Refused | void;
};

/** Schemas and their handlers, type-checked against each other (see gameMessages). */
export interface GameMessages {
  schemas: MessageSchemas;
  handlers: Record<string, (client: Client, message: never) => Refused | void>;
}

/** Pairs a game's schemas with its handlers; each handler gets its message already parsed. */
export function gameMessages<M extends MessageSchemas>(schemas: M, handlers: MessageHandlers<M>): GameMessages {
  return { schemas, handlers: handlers as GameMessages["handlers"] };
}

interface RateWindow {
  resetAtMs: number;
  count: number;
  /** Reasons already reported to the client in this window. */
  told: Set<string>;
}

export interface MessageGate {
  /** Call from onJoin: notices frames the transport refuses as too large. */
  watch(client: Client): void;
  /**
   * Call from onDrop: why the server itself closed this client, if it did so
   * for bad input (counted here); undefined for an ordinary drop.
   */
  closedForAbuse(client: Client, code: number | undefined): RejectReason | undefined;
}

// ws' error code for a frame over maxPayload; it then closes the socket with 1009.
const WS_OVERSIZED = "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH";

/** Colyseus 0.18 frames: the low five bits of the first byte are the protocol code, the rest modifiers. */
const PROTOCOL_CODE_BITS = 0b11111;
/** Frames Colyseus dispatches to onMessage handlers, where the gate's handlers count them. */
const ROOM_MESSAGES: ReadonlySet<number> = new Set([Protocol.ROOM_DATA, Protocol.ROOM_DATA_BYTES]);
/** The handshake and a consented leave: never dropped. */
const SESSION_FRAMES: ReadonlySet<number> = new Set([Protocol.JOIN_ROOM, Protocol.LEAVE_ROOM]);

type FrameDispatch = (client: Client, buffer: Uint8Array) => void;

/** `isSpectator`: game messages from these clients are refused (reason "spectator"). */
export function installMessageGate(room: Room, { schemas, handlers }: GameMessages, isSpectator: (client: Client) => boolean = () => false): MessageGate {
  const windows = new WeakMap<Client, RateWindow>();
  const oversized = new WeakSet<Client>();
  const knownTypes = Object.keys(schemas).join(", ");

  const windowOf = (client: Client): RateWindow => {
    const now = room.clock.currentTime;
    let window = windows.get(client);
    if (!window || now >= window.resetAtMs) {
      window = { resetAtMs: now + 1000, count: 0, told: new Set() };
      windows.set(client, window);
    }
    return window;
  };

  const reject = (client: Client, window: RateWindow, reason: RejectReason | Refused["reason"], type: string, message: string): void => {
    countRejected(reason);
    if (window.told.has(reason)) return;
    window.told.add(reason);
    const notice: RejectedNotice = { reason, type, message };
    client.send(SERVER_MESSAGES.rejected, notice);
  };

  /** Counts the message; undefined if the client is over its per-second budget. */
  const withinRate = (client: Client, type: string): RateWindow | undefined => {
    const window = windowOf(client);
    window.count++;
    if (window.count <= MAX_MESSAGES_PER_SECOND) return window;
    reject(client, window, "rate_limited", type, `more than ${MAX_MESSAGES_PER_SECOND} messages per second; extra messages are dropped`);
    return undefined;
  };

  for (const [type, schema] of Object.entries(schemas)) {
    const handler = handlers[type] as ((client: Client, message: unknown) => Refused | void) | undefined;
    if (!handler) throw new Error(`message "${type}" has a schema but no handler`);
    room.onMessage(type, (client: Client, message: unknown) => {
      const window = withinRate(client, type);
      if (!window) return;
      if (isSpectator(client)) {
        reject(client, window, "spectator", type, `spectators cannot send "${type}"; join without spectate to play`);
        return;
      }
      const parsed = schema.safeParse(message ?? {});
      if (!parsed.success) {
        reject(client, window, "invalid", type, `bad "${type}" payload: ${z.prettifyError(parsed.error)}`);
        return;
      }
      const refused = handler(client, parsed.data);
      if (refused) reject(client, window, refused.reason, type, refused.message);
    });
  }

  room.onMessage("*", (client: Client, type: string | number) => {
    // The notice names the type only in part: a client must not get its own kilobyte back.
    const shown = String(type).slice(0, 32);
    const window = withinRate(client, shown);
    if (!window) return;
    reject(client, window, "unknown_type", shown, `unknown message type "${shown}"; known types: ${knownTypes}`);
  });

  // Every other frame a client sends is admitted here, before Colyseus dispatches it. Colyseus
  // itself answers a request (ROOM_REQUEST) for an unknown type with a reply that echoes the
  // type, outside any onMessage handler, and replies to every PING. Its dispatch is a private
  // method in its typings; it is bound per client at join, so wrapping it here covers them all.
  const dispatch = (room as unknown as { _onMessage: FrameDispatch })._onMessage;
  /** True if Colyseus may act on the frame. */
  const admitted = (client: Client, buffer: Uint8Array): boolean => {
    const code = (buffer[0] ?? 0) & PROTOCOL_CODE_BITS;
    if (ROOM_MESSAGES.has(code) || SESSION_FRAMES.has(code)) return true;
    const what = code === Protocol.ROOM_REQUEST ? "request" : `protocol code ${code}`;
    const window = withinRate(client, what);
    if (!window) return false;
    if (code === Protocol.PING) return true;
    reject(client, window, "unknown_type", what, code === Protocol.ROOM_REQUEST
      ? `requests are not answered here; send messages instead (known types: ${knownTypes})`
      : `frames with protocol code ${code} are not used here`);
    return false;
  };
  // A dropped frame still reaches Colyseus' per-second flood count, as this stand-in that it
  // otherwise ignores (a client never sends room state), so a flood of them closes with 4002.
  const countedOnly = new Uint8Array([Protocol.ROOM_STATE]);
  const admit: FrameDispatch = (client, buffer) => dispatch.call(room, client, admitted(client, buffer) ? buffer : countedOnly);
  Object.defineProperty(room, "_onMessage", { value: admit, writable: true, configurable: true });

  return {
    watch(client) {
      const socket = client.ref as unknown as { on(event: "error", cb: (e: { code?: string }) => void): void };
      socket.on("error", (error) => { if (error.code === WS_OVERSIZED) oversized.add(client); });
    },
    closedForAbuse(client, code) {
      let reason: RejectReason | undefined;
      if (oversized.has(client) || code === CLOSE_CODES.oversized) reason = "oversized";
      // Colyseus closes with 4002 both for a flood and for a frame it cannot decode.
      // Its per-second counter (internal, 0.18) tells the two apart.
      else if (code === CLOSE_CODES.flood) {
        const sent = (client as unknown as { _numMessagesLastSecond?: number })._numMessagesLastSecond ?? 0;
        reason = sent > room.maxMessagesPerSecond ? "flood" : "malformed";
      }
      if (reason) countRejected(reason);
      return reason;
    },
  };
}
