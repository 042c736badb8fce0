// Reads the server's Prometheus /metrics before and after a run, so the report
// can set the bots' own figures beside what the server counted over the same
// window. Best effort: behind an edge /metrics may be private, or reach only
// one replica of several.

export const SERVER_SERIES = [
  "roomservice_clients_connected",
  "roomservice_rooms_active",
  "roomservice_patch_bytes_total",
  "roomservice_messages_rejected_total",
  "process_cpu_seconds_total",
  "process_resident_memory_bytes",
] as const;
export type ServerSeries = (typeof SERVER_SERIES)[number];
export type ServerSample = Partial<Record<ServerSeries, number>>;

/** Sums each wanted series over its labels from Prometheus text format. */
export function parsePrometheusText(text: string): ServerSample {
  const sample: ServerSample = {};
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || line.trim() === "") continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const name = match[1] as ServerSeries;
    if (!(SERVER_SERIES as readonly string[]).includes(name)) continue;
    const value = Number(match[3]);
    if (Number.isFinite(value)) sample[name] = (sample[name] ?? 0) + value;
  }
  return sample;
}

export function metricsUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol === "ws:") parsed.protocol = "http:";
  if (parsed.protocol === "wss:") parsed.protocol = "https:";
  parsed.pathname = `${parsed.pathname.replace(/\/$/, "")}/metrics`;
  parsed.search = "";
  return parsed.toString();
}

export async function scrapeServer(url: string, timeoutMs = 2000): Promise<ServerSample | undefined> {
  try {
    const response = await fetch(metricsUrl(url), { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return undefined;
    return parsePrometheusText(await response.text());
  } catch {
    return undefined;
  }
}
