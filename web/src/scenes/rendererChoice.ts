// WebGL or Canvas 2D. On a real GPU WebGL wins; but where WebGL is emulated
// on the CPU (SwiftShader, llvmpipe: machines without GPU acceleration,
// virtual machines, headless CI), Phaser's WebGL renderer spends most of each
// frame in the emulator and Canvas 2D is about three times faster (measured
// with bench:web: 60 fps against 20 on the same machine; docs/performance.md).

export type RendererChoice = "webgl" | "canvas";

/** Names of software rasterizers as WEBGL_debug_renderer_info reports them. */
const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software|basic render driver|mesa offscreen/i;

/**
 * `forced` is ?renderer= (for comparisons); `glRenderer` is the unmasked
 * renderer string of a probe context, undefined when WebGL is unavailable or
 * does not say.
 */
export function chooseRenderer(forced: string | undefined, glRenderer: string | undefined | null): RendererChoice {
  if (forced === "webgl" || forced === "canvas") return forced;
  if (glRenderer === null) return "canvas";
  if (glRenderer !== undefined && SOFTWARE_GL.test(glRenderer)) return "canvas";
  return "webgl";
}

/** The WebGL renderer's name, undefined if the browser will not say, null if there is no WebGL at all. */
export function probeGlRenderer(): string | undefined | null {
  try {
    const canvas = document.createElement("canvas");
    const gl = canvas.getContext("webgl2") ?? canvas.getContext("webgl");
    if (!gl) return null;
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    const name = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : undefined;
    gl.getExtension("WEBGL_lose_context")?.loseContext();
    return name;
  } catch {
    return null;
  }
}
