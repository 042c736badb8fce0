import assert from "node:assert/strict";
import { bootServer, nextPatch, type TestServer } from "./support/server.ts";
import { waitFor } from "./support/wait.ts";

describe("joining snek", () => {
  let server: TestServer;
  before(async () => { server = await bootServer(); });
  after(async () => { await server.close(); });

  it("puts two clients in one room where each sees the other", async () => {
    const a = await server.client().joinOrCreate("snek", { name: "alice" });
    const b = await server.client().joinOrCreate("snek", { name: "bob" });
    assert.equal(a.roomId, b.roomId);
    await waitFor("both players in a's state", () => (a.state as any).players.size === 2);
    await nextPatch(b);
    const names = [...(b.state as any).players.values()].map((p: any) => p.name).sort();
    assert.deepEqual(names, ["alice", "bob"]);
    await a.leave(); await b.leave();
  });
});
