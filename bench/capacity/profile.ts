// A CPU profile of the server over one window, through its inspector (started
// with --inspect=127.0.0.1:0), summarised by phase: where a player-tick's CPU
// goes. Each sample's self time is charged to the phase of the nearest frame,
// from the sampled function up its stack, that names one, so a builtin called
// by the rules counts as rules and writev called by ws counts as send.

export const PHASES = ["receive", "rules", "mirror+encode", "send", "GC", "other"] as const;
export type Phase = (typeof PHASES)[number];

interface CallFrame { functionName: string; url: string }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

export interface PhaseSplit {
  /** Busy (not idle) time the profile saw, in ms. */
  busyMs: number;
  /** Share of busy time per phase, 0-1. */
  share: Record<Phase, number>;
  /** The functions with the most self time, for "where it points". */
  top: { name: string; phase: Phase; share: number }[];
}

/** The phase one frame names on its own, if any. */
function framePhase({ functionName: fn, url }: CallFrame): Phase | undefined {
  if (fn === "(garbage collector)") return "GC";
  if (/\/rooms\/[^/]+\/(rules|bodies|rng)\.ts$/.test(url)) return "rules";
  if (/\/rooms\/[^/]+\/mirror\.ts$/.test(url) || url.includes("/@colyseus/schema/")) return "mirror+encode";
  if (/^(writev|writeBuffer|writeUtf8String|writeLatin1String|writeGeneric|writevGeneric|handleWriteReq)$/.test(fn)) return "send";
  if (url.includes("/ws/lib/sender.js") || url.endsWith("/framedSends.ts")) return "send";
  if (url.includes("/ws/lib/websocket.js")) return /^(send|ping|pong)$/.test(fn) ? "send" : "receive";
  if (fn === "onStreamRead" || url.includes("/ws/lib/receiver.js") || url.includes("msgpackr") || url.endsWith("/messageGate.ts")) return "receive";
  if (url.includes("/@colyseus/core/") && /^(_onMessage|onMessage)/.test(fn)) return "receive";
  // Colyseus' per-client loop that hands each socket its patch, and our room's wrapper of it.
  if ((url.includes("/@colyseus/core/") || url.endsWith("/GameRoom.ts")) && /^(broadcastPatch|broadcast|enqueueRaw|raw|send)$/.test(fn)) return "send";
  if (url.includes("/@colyseus/ws-transport/") && /^(enqueueRaw|raw|send)$/.test(fn)) return "send";
  return undefined;
}

export function summariseProfile(profile: CpuProfile): PhaseSplit {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  // A sample's time is the gap to the next sample (the last one runs to endTime).
  let at = profile.startTime;
  const times = profile.timeDeltas.map((delta) => (at += delta));
  profile.samples.forEach((id, i) => {
    const next = times[i + 1] ?? profile.endTime;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, next - (times[i] ?? next)));
  });

  const phaseOf = (id: number): Phase => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at);
      const phase = node && framePhase(node.callFrame);
      if (phase) return phase;
    }
    return "other";
  };
  const share = Object.fromEntries(PHASES.map((p) => [p, 0])) as Record<Phase, number>;
  const byFunction = new Map<string, { us: number; phase: Phase }>();
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === "(idle)") continue;
    const phase = phaseOf(id);
    share[phase] += us;
    busyUs += us;
    const name = `${frame.functionName || "(anonymous)"} ${frame.url.replace(/^.*\/(node_modules\/)?/, "")}`.trim();
    const entry = byFunction.get(name) ?? { us: 0, phase };
    entry.us += us;
    byFunction.set(name, entry);
  }
  for (const p of PHASES) share[p] = busyUs > 0 ? share[p] / busyUs : 0;
  const top = [...byFunction].sort((a, b) => b[1].us - a[1].us).slice(0, 12)
    .map(([name, { us, phase }]) => ({ name, phase, share: busyUs > 0 ? us / busyUs : 0 }));
  return { busyMs: busyUs / 1000, share, top };
}

/** The inspector's WebSocket address, from what the server printed at start. */
export function inspectorUrl(output: string): string | undefined {
  return /Debugger listening on (ws:\/\/\S+)/.exec(output)?.[1];
}

/** Profiles the process behind `wsUrl` for `seconds`, sampling every `intervalUs`. */
export async function profileWindow(wsUrl: string, seconds: number, intervalUs = 500): Promise<CpuProfile> {
  const socket = new WebSocket(wsUrl);
  const pending = new Map<number, { resolve(result: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  socket.addEventListener("message", (event) => {
    const reply = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
    const waiter = reply.id === undefined ? undefined : pending.get(reply.id);
    if (!waiter || reply.id === undefined) return;
    pending.delete(reply.id);
    if (reply.error) waiter.reject(new Error(reply.error.message));
    else waiter.resolve(reply.result);
  });
  const call = (method: string, params: object = {}): Promise<unknown> => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    socket.send(JSON.stringify({ id, method, params }));
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`inspector at ${wsUrl} did not open within 5 s`)), 5000);
    socket.addEventListener("open", () => { clearTimeout(timer); resolve(); }, { once: true });
    socket.addEventListener("error", () => { clearTimeout(timer); reject(new Error(`inspector at ${wsUrl} refused the connection`)); }, { once: true });
  });
  try {
    await call("Profiler.enable");
    await call("Profiler.setSamplingInterval", { interval: intervalUs });
    await call("Profiler.start");
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const { profile } = (await call("Profiler.stop")) as { profile: CpuProfile };
    await call("Profiler.disable");
    return profile;
  } finally {
    socket.close();
  }
}
