// Prometheus metrics, one registry per process. Rooms and the server update
// these; GET /metrics serves them.

import client from "prom-client";
import { REJECT_REASONS, type RejectReason } from "./protocol.ts";

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });

export const roomsActive = new client.Gauge({
  name: "roomservice_rooms_active",
  help: "Rooms open on this replica.",
  registers: [registry],
});

export const clientsConnected = new client.Gauge({
  name: "roomservice_clients_connected",
  help: "Clients with an open socket in a room on this replica.",
  registers: [registry],
});

export const tickDuration = new client.Histogram({
  name: "roomservice_tick_duration_seconds",
  help: "Time to step one room's simulation and mirror it into the state, encoding excluded.",
  // A 10 Hz tick has 100 ms; the interesting range is far below a millisecond.
  buckets: [0.00005, 0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1],
  registers: [registry],
});

export const patchBytes = new client.Counter({
  name: "roomservice_patch_bytes_total",
  help: "State patch bytes sent to clients (patch size times receiving clients).",
  registers: [registry],
});

export const messagesRejected = new client.Counter({
  name: "roomservice_messages_rejected_total",
  help: "Client messages dropped or refused, by reason.",
  labelNames: ["reason"] as const,
  registers: [registry],
});
// Start every reason at zero so dashboards and tests see the series before the first rejection.
for (const reason of REJECT_REASONS) messagesRejected.inc({ reason }, 0);

/** `reason`: one of REJECT_REASONS, or a game's own refusal (a short, fixed set per game). */
export function countRejected(reason: RejectReason | (string & {})): void {
  messagesRejected.inc({ reason });
}

export const slowConsumersCut = new client.Counter({
  name: "roomservice_slow_consumers_cut_total",
  help: "Client sockets cut because they did not read what the server sent (see rooms/server/slowConsumers.ts).",
  registers: [registry],
});
