// bench:capacity's phase split: each sample's self time goes to the phase of
// the nearest frame up its stack that names one; idle time is left out.
import assert from "node:assert/strict";
import { summariseProfile } from "../bench/capacity/profile.ts";

const frame = (functionName: string, url = "") => ({ functionName, url });

describe("bench:capacity profile summary", () => {
  // root ─ processTimers ─ broadcastPatch (Colyseus) ─ encode (schema)
  //                                                  └ writev (native)
  //      ├ onStreamRead ─ admit (message gate) ─ Array.push (builtin)
  //      ├ step (rules) ─ Map.set (builtin)
  //      ├ (garbage collector)
  //      ├ (program)
  //      └ (idle)
  const nodes = [
    { id: 1, callFrame: frame("(root)"), children: [2, 6, 9, 11, 12, 13] },
    { id: 2, callFrame: frame("processTimers", "node:internal/timers"), children: [3] },
    { id: 3, callFrame: frame("broadcastPatch", "file:///app/node_modules/@colyseus/core/build/Room.mjs"), children: [4, 5] },
    { id: 4, callFrame: frame("encode", "file:///app/node_modules/@colyseus/schema/build/index.mjs") },
    { id: 5, callFrame: frame("writev") },
    { id: 6, callFrame: frame("onStreamRead", "node:internal/stream_base_commons"), children: [7] },
    { id: 7, callFrame: frame("admit", "file:///app/rooms/kit/messageGate.ts"), children: [8] },
    { id: 8, callFrame: frame("push") },
    { id: 9, callFrame: frame("step", "file:///app/rooms/snek/rules.ts"), children: [10] },
    { id: 10, callFrame: frame("set") },
    { id: 11, callFrame: frame("(garbage collector)") },
    { id: 12, callFrame: frame("(program)") },
    { id: 13, callFrame: frame("(idle)") },
  ];
  // Self time (µs) per node; each sample lasts until the next one.
  const selfUs: [number, number][] = [[4, 100], [5, 300], [3, 100], [8, 100], [7, 100], [10, 150], [9, 50], [11, 50], [12, 50], [13, 1000]];
  const samples = selfUs.map(([id]) => id);
  const timeDeltas = [0, ...selfUs.slice(0, -1).map(([, us]) => us)];
  const endTime = selfUs.reduce((sum, [, us]) => sum + us, 0);
  const split = summariseProfile({ nodes, startTime: 0, endTime, samples, timeDeltas });

  it("counts busy time only, leaving idle out", () => {
    assert.equal(split.busyMs, 1.0);
  });

  it("charges builtins and native calls to the phase of their caller", () => {
    assert.equal(split.share.send, 0.4); // writev under broadcastPatch, and broadcastPatch's own loop
    assert.equal(split.share["mirror+encode"], 0.1);
    assert.equal(split.share.receive, 0.2); // the gate and the push it called
    assert.equal(split.share.rules, 0.2); // step and the Map.set it called
    assert.equal(split.share.GC, 0.05);
    assert.equal(split.share.other, 0.05);
  });

  it("lists the functions with the most self time first, with their phase", () => {
    assert.deepEqual(split.top[0], { name: "writev", phase: "send", share: 0.3 });
  });
});
