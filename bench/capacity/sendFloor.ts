// The send floor: what one 175-byte WebSocket send to a loopback socket costs
// in CPU on the server's core, measured in the same run as the server. A child
// process pinned to that core (sendFloorServer.ts) sends to N sockets at
// 10 Hz; this process (the load generator's core) holds the receiving ends.
// CPU per send = the child's CPU over a window / sends in it. On loopback the
// sender's syscall also does the receiver's TCP work, as it does for the game
// server, so the two figures compare like for like.

import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import { processCpuSeconds } from "../../loadtest/serverProcess.ts";

export interface SendFloor {
  sockets: number;
  sends: number;
  cpuS: number;
  /** CPU per send, in µs. */
  usPerSend: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function measureSendFloor(sockets: number, windowS: number, prefix: string[] = []): Promise<SendFloor> {
  const script = fileURLToPath(new URL("./sendFloorServer.ts", import.meta.url));
  // fork() runs Node; under a prefix (taskset) the prefix execs Node with the IPC channel kept.
  const child = prefix.length > 0
    ? fork(script, [], { execPath: prefix[0], execArgv: [...prefix.slice(1), process.execPath], stdio: ["ignore", "ignore", "inherit", "ipc"] })
    : fork(script, [], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
  const replies: ((message: Record<string, number>) => void)[] = [];
  child.on("message", (message: Record<string, number>) => replies.shift()?.(message));
  const next = (timeoutMs: number): Promise<Record<string, number>> => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`send floor: no answer from the sender within ${timeoutMs} ms`)), timeoutMs);
    replies.push((message) => { clearTimeout(timer); resolve(message); });
  });
  const clients: WebSocket[] = [];
  try {
    const { port } = await next(10_000);
    for (let i = 0; i < sockets; i += 1) {
      const client = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
      clients.push(client);
      await new Promise<void>((resolve, reject) => { client.once("open", resolve); client.once("error", reject); });
      client.on("message", () => {});
    }
    await sleep(1000); // every socket in the sender's rotation before the window opens
    child.send({ type: "count" });
    const before = await next(5000);
    const cpuBefore = await processCpuSeconds(child.pid!);
    await sleep(windowS * 1000);
    child.send({ type: "count" });
    const after = await next(5000);
    const cpuS = (await processCpuSeconds(child.pid!)) - cpuBefore;
    const sends = (after.sends ?? 0) - (before.sends ?? 0);
    return { sockets, sends, cpuS, usPerSend: sends > 0 ? (1e6 * cpuS) / sends : Number.NaN };
  } finally {
    for (const client of clients) client.terminate();
    if (child.connected) child.send({ type: "stop" });
    await Promise.race([new Promise((resolve) => child.once("exit", resolve)), sleep(3000).then(() => child.kill("SIGKILL"))]);
  }
}
