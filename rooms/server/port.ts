// A busy port is the most common way a second `npm start` fails (the first one
// may still be draining). Colyseus' listen() never settles when the port is
// taken (it prints a stack trace and waits), so the port is tried here first.

import { createServer } from "node:net";

export class PortInUseError extends Error {
  override name = "PortInUseError";
  readonly port: number;
  constructor(port: number) {
    super(`port ${port} is in use: is another roomservice running? Stop it, or set PORT (e.g. PORT=2568 npm start)`);
    this.port = port;
  }
}

/** Resolves when `port` can be bound on `host`; rejects with PortInUseError when it cannot. Port 0 always can. */
export async function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => reject(error.code === "EADDRINUSE" ? new PortInUseError(port) : error));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}
