// Reads figures from a server's real /metrics endpoint, as Prometheus would.

export async function scrape(url: string): Promise<string> {
  const res = await fetch(`${url}/metrics`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return res.text();
}

/** Value of one series, e.g. metricValue(text, 'roomservice_messages_rejected_total{reason="invalid"}'). */
export function metricValue(text: string, series: string): number {
  for (const line of text.split("\n")) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  throw new Error(`series ${series} not found in /metrics`);
}

export async function rejectedCount(url: string, reason: string): Promise<number> {
  return metricValue(await scrape(url), `roomservice_messages_rejected_total{reason="${reason}"}`);
}
