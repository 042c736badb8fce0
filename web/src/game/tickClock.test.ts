import assert from "node:assert/strict";
import { RENDER_DELAY_TICKS, TickClock, ownRenderTick } from "./tickClock.ts";

describe("TickClock (when to draw between ticks)", () => {
  const tickMs = 100;

  it("has no render tick before the first patch", () => {
    assert.equal(new TickClock(tickMs).renderTick(0), undefined);
  });

  it("draws RENDER_DELAY_TICKS behind the newest tick when it arrives, advancing smoothly with time", () => {
    const clock = new TickClock(tickMs);
    clock.onTick(50, 5000);
    assert.equal(clock.renderTick(5000), 50 - RENDER_DELAY_TICKS);
    assert.equal(clock.renderTick(5050), 50.5 - RENDER_DELAY_TICKS);
    assert.equal(clock.renderTick(5100), 51 - RENDER_DELAY_TICKS);
  });

  it("barely moves the picture when a patch arrives late (jitter is smoothed, not followed)", () => {
    const clock = new TickClock(tickMs);
    for (let tick = 1; tick <= 20; tick++) clock.onTick(tick, tick * tickMs);
    const before = clock.renderTick(2100)!;
    clock.onTick(21, 2130); // 30 ms late
    const after = clock.renderTick(2130)!;
    const jumpTicks = after - (before + 0.3);
    assert.ok(Math.abs(jumpTicks) < 0.05, `jumped ${jumpTicks} ticks`);
  });

  it("follows a steady change of phase over a few patches", () => {
    const clock = new TickClock(tickMs);
    for (let tick = 1; tick <= 10; tick++) clock.onTick(tick, tick * tickMs);
    // From now on every patch arrives 40 ms later than before (a route change).
    for (let tick = 11; tick <= 60; tick++) clock.onTick(tick, tick * tickMs + 40);
    assert.ok(Math.abs(clock.renderTick(6040)! - (60 - RENDER_DELAY_TICKS)) < 0.01);
  });

  it("resynchronises at once after a long gap (hidden tab, reconnect)", () => {
    const clock = new TickClock(tickMs);
    for (let tick = 1; tick <= 10; tick++) clock.onTick(tick, tick * tickMs);
    clock.onTick(11, 60_000);
    assert.equal(clock.renderTick(60_000), 11 - RENDER_DELAY_TICKS);
  });

  it("ignores a repeated or older tick", () => {
    const clock = new TickClock(tickMs);
    clock.onTick(5, 500);
    clock.onTick(5, 560);
    clock.onTick(4, 570);
    assert.equal(clock.latestTick, 5);
    assert.equal(clock.renderTick(500), 5 - RENDER_DELAY_TICKS);
  });

  it("starts over after reset()", () => {
    const clock = new TickClock(tickMs);
    clock.onTick(5, 500);
    clock.reset();
    assert.equal(clock.renderTick(500), undefined);
    clock.onTick(3, 900);
    assert.equal(clock.latestTick, 3);
  });

  it("draws your own snake one tick behind the server tick your key would reach", () => {
    // With no latency your snake is drawn one tick behind "now" on the server.
    assert.equal(ownRenderTick(10, 0, tickMs), 9);
    // A 60 ms round trip puts it 0.6 ticks further ahead.
    assert.ok(Math.abs(ownRenderTick(10, 60, tickMs) - 9.6) < 1e-9);
  });
});
