// Worker-thread entry: runs one Fleet with the plan it was given and answers
// the main thread's "drain" and "stop" requests with stats deltas. Imported
// anywhere else (a test runner loading the folder), it does nothing.

import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { Fleet, type FleetPlan } from "./fleet.ts";
import type { FleetRequest, FleetReply } from "./fleetHandle.ts";
import { quietSdkConsole } from "./sdkConsole.ts";

if (!isMainThread && parentPort) {
  const port = parentPort;
  quietSdkConsole();
  const fleet = new Fleet(workerData as FleetPlan);
  fleet.start();

  port.on("message", async (request: FleetRequest) => {
    if (request.type === "target") {
      fleet.setTarget(request.bots);
    } else if (request.type === "drain") {
      const reply: FleetReply = { type: "delta", id: request.id, delta: fleet.drain() };
      port.postMessage(reply);
    } else {
      const reply: FleetReply = { type: "delta", id: request.id, delta: await fleet.stop() };
      port.postMessage(reply);
      port.close();
    }
  });
}
