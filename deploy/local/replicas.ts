// The topology's game replicas: `node rooms/server/main.ts` processes on
// loopback, each with its name (its edge route and REPLICA_NAME), its port and
// its environment, ready when /readyz (or /healthz) answers 200.

import { ConfigError, loadConfig } from "../../rooms/server/config.ts";
import { DRAIN_MARGIN_MS } from "../../rooms/server/lifecycle.ts";
import { inheritedEnv, spawnChild, waitUntil, type Starting } from "./children.ts";
import { answers200 } from "./probes.ts";

/** One replica as the caller wants it, e.g. a pod of a rendered Helm chart. */
export interface ReplicaSpec {
  /** Stable replica name: its edge route /<name>/ and its REPLICA_NAME (e.g. a pod name). */
  name: string;
  /**
   * This replica's environment, over ClusterOptions.env. PORT and HOST belong
   * to the cluster; REPLICA_NAME may be given only equal to `name`, so a
   * mismatch between a pod's name and its route shows instead of being papered over.
   */
  env?: Record<string, string>;
}

export interface StartReplicaOptions {
  /** What to wait for: /readyz 200 (default) or only /healthz 200 (e.g. while Redis is down on purpose). */
  waitFor?: "readyz" | "healthz";
  /** Environment for this start and later ones, over the replica's own (e.g. a new REPLICA_VERSION, as a rollout gives). PORT, HOST and REPLICA_NAME stay the cluster's. */
  env?: Record<string, string>;
}

/** What the cluster sets for every replica; callers may not. */
export const CLUSTER_OWNED_ENV = ["PORT", "HOST", "REPLICA_NAME"];
/** Of those, what a ReplicaSpec may not set at all (REPLICA_NAME it may, if equal to the name). */
const CLUSTER_OWNED_REPLICA_ENV = ["PORT", "HOST"];

/** How long a SIGTERMed replica may take: its drain bound (DRAIN_SECONDS + margin) plus slack. */
export function replicaStopMs(env: Record<string, string>): number {
  let drainSeconds: number;
  try {
    drainSeconds = loadConfig({ DRAIN_SECONDS: env.DRAIN_SECONDS }).drainSeconds;
  } catch {
    // An invalid DRAIN_SECONDS makes the replica itself fail to start, with the message that matters; bound by the default.
    drainSeconds = loadConfig({}).drainSeconds;
  }
  return drainSeconds * 1000 + DRAIN_MARGIN_MS + 10_000;
}

/** The replicas' names and own environments, checked before any process starts. */
export function replicaSpecsOf(opts: { replicas?: number; replicaSpecs?: readonly ReplicaSpec[] }): readonly ReplicaSpec[] {
  const count = opts.replicas ?? opts.replicaSpecs?.length;
  if (count === undefined || !Number.isInteger(count) || count < 1) throw new Error(`cluster: replicas must be a positive integer, got ${count}`);
  if (opts.replicaSpecs && opts.replicaSpecs.length !== count) {
    throw new Error(`cluster: replicas is ${count} but replicaSpecs names ${opts.replicaSpecs.length}`);
  }
  const specs: readonly ReplicaSpec[] = opts.replicaSpecs ?? Array.from({ length: count }, (_, i) => ({ name: `game-${i}` }));
  for (const [i, spec] of specs.entries()) {
    for (const name of CLUSTER_OWNED_REPLICA_ENV) {
      if (spec.env?.[name] !== undefined) throw new Error(`cluster: replicaSpecs[${i}].env.${name} is set by the cluster itself`);
    }
    const replicaName = spec.env?.["REPLICA_NAME"];
    if (replicaName !== undefined && replicaName !== spec.name) {
      throw new Error(`cluster: replicaSpecs[${i}] is named ${spec.name} but its env.REPLICA_NAME is ${replicaName}: its route and its public address would differ`);
    }
  }
  return specs;
}

/**
 * Each replica's environment past the inherited one: the shared env, then its
 * own. Without PUBLIC_ADDRESS or PUBLIC_HOST a replica announces
 * 127.0.0.1:<edgePort>/<name>.
 */
export function replicaEnvOf(spec: ReplicaSpec, sharedEnv: Record<string, string>, edgePort: number): Record<string, string> {
  const own = { ...sharedEnv, ...spec.env };
  // PUBLIC_ADDRESS would win over PUBLIC_HOST in the server, so the default must not be there when the caller chose PUBLIC_HOST.
  const announcesItself = own.PUBLIC_ADDRESS !== undefined || own.PUBLIC_HOST !== undefined;
  return announcesItself ? own : { PUBLIC_ADDRESS: `127.0.0.1:${edgePort}/${spec.name}`, ...own };
}

/** What a replica with this environment announces, by the server's own rule (PUBLIC_ADDRESS, else PUBLIC_HOST/REPLICA_NAME). */
export function announcedAddress(env: Record<string, string | undefined>, name: string): string | undefined {
  try {
    return loadConfig({ PUBLIC_ADDRESS: env["PUBLIC_ADDRESS"], PUBLIC_HOST: env["PUBLIC_HOST"], REPLICA_NAME: name }).publicAddress;
  } catch (error) {
    if (error instanceof ConfigError) throw new Error(`cluster: replica ${name}: ${error.message}`);
    throw error;
  }
}

/** Starts one replica on 127.0.0.1:<port>; ready when the chosen probe answers 200. */
export function startReplicaProcess(options: {
  name: string; port: number; env: Record<string, string>; log: (line: string) => void; timeoutMs: number; waitFor?: "readyz" | "healthz";
  /** The server script, relative to the repository root (default rooms/server/main.ts). */
  entry?: string;
}): Starting {
  const { name, port, env, log, timeoutMs } = options;
  const child = spawnChild(name, process.execPath, [options.entry ?? "rooms/server/main.ts"], {
    ...inheritedEnv(),
    ...env,
    PORT: String(port),
    HOST: "127.0.0.1",
    REPLICA_NAME: name,
  }, log);
  const probe = options.waitFor ?? "readyz";
  return { child, ready: waitUntil(child, `answering /${probe} 200 on port ${port}`, () => answers200(`http://127.0.0.1:${port}/${probe}`), timeoutMs) };
}
