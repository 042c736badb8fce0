// Counts the bytes of every state patch a room sends. Colyseus encodes a patch
// once and sends the same buffer to each joined client, so bytes on the wire
// are patch size x receiving clients.

import { ClientState, type Room, type SchemaSerializer } from "@colyseus/core";
import type { Schema } from "@colyseus/schema";
import { patchBytes } from "./metrics.ts";

/**
 * Call after the room's state is assigned. Colyseus 0.18 offers no hook for
 * patch sizes, and a second serializer on the same state corrupts it, so this
 * wraps encode() of the encoder the room already has (internal fields).
 */
export function meterPatches(room: Room): void {
  const serializer = (room as unknown as { _serializer: SchemaSerializer<Schema> })._serializer;
  const encoder = (serializer as unknown as { encoder: { encode: (...args: unknown[]) => Uint8Array } }).encoder;
  const encode = encoder.encode.bind(encoder);
  encoder.encode = (...args: unknown[]) => {
    const encoded = encode(...args);
    let receivers = 0;
    for (const client of room.clients) if (client.state === ClientState.JOINED) receivers++;
    patchBytes.inc(encoded.byteLength * receivers);
    return encoded;
  };
}
