// While Redis is unreachable at start, Colyseus cannot start (its matchmaker
// needs Redis first). This tiny server holds the port meanwhile so probes get
// answers: alive (/healthz 200), not ready (/readyz 503), and a clear 503 for
// anything else. No crash loop, no silent port.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Standby {
  port: number;
  close(): Promise<void>;
}

export async function startStandby(port: number, host: string, reason: () => string): Promise<Standby> {
  const server: Server = createServer((req, res) => {
    const path = req.url?.split("?")[0];
    if (path === "/healthz") {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
    } else if (path === "/readyz") {
      res.writeHead(503, { "content-type": "text/plain" }).end(`not ready: ${reason()}\n`);
    } else {
      res.writeHead(503, { "content-type": "application/json", "retry-after": "2" })
        .end(JSON.stringify({ code: 503, error: `roomservice is starting: ${reason()}` }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
