// The main thread's handle on a fleet, the same whether the fleet runs on the
// main thread or in a worker thread.

import { Worker } from "node:worker_threads";
import { Fleet, type FleetPlan } from "./fleet.ts";
import type { StatsDelta } from "./stats.ts";

export type FleetRequest = { type: "drain" | "stop"; id: number } | { type: "target"; bots: number };
export type FleetReply = { type: "delta"; id: number; delta: StatsDelta };

export interface FleetHandle {
  setTarget(bots: number): void;
  drain(): Promise<StatsDelta>;
  /** The last delta, taken before the bots leave; then the bots leave and the fleet ends. */
  stop(): Promise<StatsDelta>;
}

export function localFleet(plan: FleetPlan): FleetHandle {
  const fleet = new Fleet(plan);
  fleet.start();
  return {
    setTarget: (bots) => fleet.setTarget(bots),
    drain: async () => fleet.drain(),
    stop: () => fleet.stop(),
  };
}

export function workerFleet(plan: FleetPlan): FleetHandle {
  const worker = new Worker(new URL("./worker.ts", import.meta.url), { workerData: plan });
  const waiting = new Map<number, { resolve: (delta: StatsDelta) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let failure: Error | undefined;
  worker.on("message", (reply: FleetReply) => {
    waiting.get(reply.id)?.resolve(reply.delta);
    waiting.delete(reply.id);
  });
  const fail = (error: Error): void => {
    failure = error;
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };
  worker.on("error", fail);
  worker.on("exit", (code) => { if (waiting.size > 0) fail(new Error(`loadtest worker exited with code ${code}`)); });
  const ask = (type: "drain" | "stop"): Promise<StatsDelta> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    const request: FleetRequest = { type, id };
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      worker.postMessage(request);
    });
  };
  return {
    setTarget: (bots) => {
      const request: FleetRequest = { type: "target", bots };
      worker.postMessage(request);
    },
    drain: () => ask("drain"),
    stop: async () => {
      const last = await ask("stop");
      await worker.terminate();
      return last;
    },
  };
}
