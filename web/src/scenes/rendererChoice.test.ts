import assert from "node:assert/strict";
import { chooseRenderer } from "./rendererChoice.ts";

describe("renderer choice", () => {
  it("uses WebGL on a real GPU, or when the browser does not name its renderer", () => {
    assert.equal(chooseRenderer(undefined, "ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)"), "webgl");
    assert.equal(chooseRenderer(undefined, "Apple M1"), "webgl");
    assert.equal(chooseRenderer(undefined, undefined), "webgl");
  });

  it("uses Canvas 2D where WebGL is emulated on the CPU, or missing", () => {
    assert.equal(chooseRenderer(undefined, "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)"), "canvas");
    assert.equal(chooseRenderer(undefined, "llvmpipe (LLVM 15.0.6, 256 bits)"), "canvas");
    assert.equal(chooseRenderer(undefined, null), "canvas");
  });

  it("obeys ?renderer= either way", () => {
    assert.equal(chooseRenderer("webgl", "SwiftShader"), "webgl");
    assert.equal(chooseRenderer("canvas", "Apple M1"), "canvas");
  });
});
