import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { CreateLimit, clientAddress } from "./createLimit.ts";

describe("room creation limit per client address", () => {
  it("allows the limit per minute and address, then says how long to wait; a new minute starts over", () => {
    const limit = new CreateLimit(2);
    assert.equal(limit.take("a", 0), undefined);
    assert.equal(limit.take("a", 1000), undefined);
    assert.equal(limit.take("a", 15_000), 45);
    assert.equal(limit.take("b", 15_000), undefined, "other addresses have their own budget");
    assert.equal(limit.take("a", 60_000), undefined);
  });

  it("limits nothing at 0", () => {
    const limit = new CreateLimit(0);
    for (let i = 0; i < 1000; i++) assert.equal(limit.take("a", i), undefined);
  });

  it("takes the address the edge appended to X-Forwarded-For, not what the client wrote before it", () => {
    const request = (headers: Record<string, string>) => ({ headers, socket: { remoteAddress: "10.0.0.1" } }) as unknown as IncomingMessage;
    assert.equal(clientAddress(request({ "x-forwarded-for": "1.2.3.4, 198.51.100.7" })), "198.51.100.7");
    assert.equal(clientAddress(request({})), "10.0.0.1");
  });
});
