// Counts the bytes of every state patch a room sends. Colyseus encodes a patch
// once and sends the same buffer to each joined client, so bytes on the wire are
// patch size x receiving clients.

import { SchemaSerializer, ClientState, type Client } from "@colyseus/core";
import type { Schema } from "@colyseus/schema";
import { patchBytes } from "./metrics.ts";

export class MeteredSchemaSerializer<T extends Schema> extends SchemaSerializer<T> {
  /** Size of the last encoded patch, frame header included. */
  lastPatchBytes = 0;

  override reset(state: T): void {
    super.reset(state);
    // Wrapped here because encode() is where the one shared patch buffer is made.
    const encoder = this.encoder;
    const encode = encoder.encode.bind(encoder);
    encoder.encode = ((...args: Parameters<typeof encode>) => {
      const encoded = encode(...args);
      this.lastPatchBytes = encoded.byteLength;
      return encoded;
    }) as typeof encoder.encode;
  }

  override applyPatches(clients: Client[], state?: unknown, timing?: Parameters<SchemaSerializer<T>["applyPatches"]>[2]): boolean {
    this.lastPatchBytes = 0;
    const sent = super.applyPatches(clients, state, timing);
    if (sent && this.lastPatchBytes > 0) {
      const receivers = clients.filter((c) => c.state === ClientState.JOINED).length;
      patchBytes.inc(this.lastPatchBytes * receivers);
    }
    return sent;
  }
}
