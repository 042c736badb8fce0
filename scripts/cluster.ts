// The command line of the local topology (deploy/local/): redis-server, N game
// replicas and the nginx edge on loopback, the compose topology without Docker.
//
//   npm run cluster -- --replicas 3 [--port 8080] [--round-robin] [--no-redis] [--no-web-build] [--stop-on-exit]
//
// Ctrl-C stops everything, replicas first so they drain. A replica or Redis
// that dies on its own is reported and the rest keep running, so fault drills
// (kill a replica, lose Redis) run on it; only the edge's death, or any death
// with --stop-on-exit, stops everything.

import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { EdgeMode } from "../deploy/edge/nginxConfig.ts";
import { startCluster, type Cluster, type ClusterWithoutRedis } from "../deploy/local/cluster.ts";
import { stoppingOnSignal } from "../deploy/local/processHooks.ts";

const usage = "usage: npm run cluster -- [--replicas 2] [--port 8080] [--round-robin] [--no-redis] [--no-web-build] [--stop-on-exit]";

async function main(argv: string[]): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        replicas: { type: "string", default: "2" },
        port: { type: "string", default: "8080" },
        "round-robin": { type: "boolean", default: false },
        "no-redis": { type: "boolean", default: false },
        "no-web-build": { type: "boolean", default: false },
        "stop-on-exit": { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`cluster: ${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(usage);
    return;
  }
  const replicas = Number(values.replicas);
  const port = Number(values.port);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 64) {
    console.error(`cluster: --replicas must be an integer 1-64, got ${values.replicas}\n${usage}`);
    process.exit(2);
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`cluster: --port must be a port number, got ${values.port}\n${usage}`);
    process.exit(2);
  }

  // The replicas serve web/dist; build it if it is missing or stale, so the URL printed below plays.
  if (!values["no-web-build"]) {
    const { ensureWebBuild } = await import("./ensure-web-build.ts");
    ensureWebBuild();
  }

  const withRedis = !values["no-redis"];
  const common = {
    replicas,
    edgePort: port,
    mode: (values["round-robin"] ? "round-robin" : "per-replica") as EdgeMode,
    log: (line: string) => console.log(line),
  };
  // Cluster extends ClusterWithoutRedis; the Redis parts are kept aside for the printout and the watch below.
  let cluster: ClusterWithoutRedis;
  let redis: Pick<Cluster, "redisUrl" | "redisProcess"> | undefined;
  try {
    if (withRedis) {
      const full = await startCluster({ ...common, redis: true });
      cluster = full;
      redis = { redisUrl: full.redisUrl, redisProcess: full.redisProcess };
    } else {
      cluster = await startCluster({ ...common, redis: false });
    }
  } catch (error) {
    console.error(`cluster: ${(error as Error).message}`);
    process.exit(1);
  }

  const lines = [
    "",
    `roomservice cluster: ${replicas} replica${replicas === 1 ? "" : "s"} behind ${cluster.url}  (edge: ${cluster.mode})`,
    `  edge     ${cluster.url}   access log ${cluster.accessLogPath}`,
    `  redis    ${redis ? redis.redisUrl : "(none: each replica matchmakes alone)"}`,
    ...cluster.replicas.map((r) => `  ${r.name.padEnd(8)} ${r.url}   public address ${r.publicAddress}   pid ${r.process.pid}`),
    "",
    `Open ${cluster.url} to play. Ctrl-C stops everything.`,
    "",
  ];
  console.log(lines.join("\n"));

  // What a child's death means for the rest. Without the edge nothing is reachable, so that one stops everything.
  const watched: { label: string; process: ChildProcess; consequence?: string }[] = [
    { label: "the edge (nginx)", process: cluster.edgeProcess },
    ...cluster.replicas.map((r) => ({
      label: r.name, process: r.process,
      consequence: "its rooms are gone; the edge sends players to the other replicas",
    })),
    ...(redis ? [{
      label: "redis-server", process: redis.redisProcess,
      consequence: "rooms keep playing; matchmaking answers 503 until a restarted cluster has Redis again",
    }] : []),
  ];
  let shuttingDown = false;
  for (const child of watched) {
    child.process.once("exit", (code, signal) => {
      if (stoppingOnSignal() || shuttingDown) return;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      if (child.consequence === undefined || values["stop-on-exit"]) {
        shuttingDown = true;
        console.error(`cluster: ${child.label} (pid ${child.process.pid}) ${how}; stopping everything`);
        void cluster.stop().finally(() => process.exit(1));
        return;
      }
      console.error(`cluster: ${child.label} (pid ${child.process.pid}) ${how}; the other processes keep running: ${child.consequence}. (--stop-on-exit stops everything instead.)`);
    });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
