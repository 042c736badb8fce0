// The command line of the local topology (deploy/local/): redis-server, N game
// replicas and the nginx edge on loopback, the compose topology without Docker.
//
//   npm run cluster -- --replicas 3 [--port 8080] [--round-robin] [--no-redis] [--no-web-build]
//
// Ctrl-C stops everything, replicas first so they drain.

import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { EdgeMode } from "../deploy/edge/nginxConfig.ts";
import { startCluster, type Cluster, type ClusterWithoutRedis } from "../deploy/local/cluster.ts";
import { stoppingOnSignal } from "../deploy/local/processHooks.ts";

const usage = "usage: npm run cluster -- [--replicas 2] [--port 8080] [--round-robin] [--no-redis] [--no-web-build]";

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

  // A child that dies on its own takes the cluster down rather than leaving a half-working topology.
  const children: ChildProcess[] = [cluster.edgeProcess, ...cluster.replicas.map((r) => r.process)];
  if (redis) children.push(redis.redisProcess);
  let shuttingDown = false;
  for (const child of children) {
    child.once("exit", () => {
      if (stoppingOnSignal() || shuttingDown) return;
      shuttingDown = true;
      console.error(`cluster: a child (pid ${child.pid}) exited on its own; stopping everything`);
      void cluster.stop().finally(() => process.exit(1));
    });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
