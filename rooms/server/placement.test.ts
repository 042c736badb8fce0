import assert from "node:assert/strict";
import { orderCandidates, type Candidate } from "./placement.ts";

function replica(processId: string, fields: Partial<Candidate> = {}): Candidate {
  return { processId, replicaName: processId, version: "", startedAt: 0, state: "ready", roomCount: 0, ...fields };
}

describe("placement: which replicas may take a room, best first", () => {
  it("never the excluded (moving) replica, never a draining one", () => {
    const order = orderCandidates([replica("a"), replica("b", { state: "draining" }), replica("c")], "a");
    assert.deepEqual(order.map((r) => r.processId), ["c"]);
  });

  it("fewest rooms first when every replica runs the same version", () => {
    const order = orderCandidates([replica("a", { roomCount: 5 }), replica("b", { roomCount: 1 }), replica("c", { roomCount: 3 })]);
    assert.deepEqual(order.map((r) => r.processId), ["b", "c", "a"]);
  });

  it("the newest version first, however loaded, with versions that are opaque hashes", () => {
    const order = orderCandidates([
      replica("old-1", { version: "7d9f", startedAt: 1000, roomCount: 0 }),
      replica("old-2", { version: "7d9f", startedAt: 1200, roomCount: 1 }),
      replica("new-1", { version: "05ab", startedAt: 9000, roomCount: 8 }),
      replica("new-2", { version: "05ab", startedAt: 9500, roomCount: 2 }),
    ]);
    assert.deepEqual(order.map((r) => r.processId), ["new-2", "new-1", "old-1", "old-2"]);
  });

  it("a version's age is its oldest live replica: a restarted old-version replica does not make the old version new", () => {
    const order = orderCandidates([
      replica("old-restarted", { version: "v1", startedAt: 9900 }),
      replica("old", { version: "v1", startedAt: 100 }),
      replica("new", { version: "v2", startedAt: 5000, roomCount: 3 }),
    ]);
    assert.equal(order[0]!.processId, "new");
  });
});
