// Redis in cluster mode (REDIS_CLUSTER=true): REDIS_URL names one node, the
// client learns the others from it. Managed services such as ElastiCache
// Serverless and Memorystore for Redis Cluster offer only this mode.
//
// What changes for us, read from the 0.18 sources of @colyseus/redis-presence
// and @colyseus/redis-driver, which both accept an ioredis Cluster:
// - every command they send names one key, or keys of one slot, except
//   PUBSUB CHANNELS, which a cluster node answers for its own subscribers
//   only: ClusterPresence asks every node and merges the answers;
// - our own keys read together in one command share a hash tag (keys.ts).

import { Cluster, type ClusterOptions, type Redis } from "ioredis";
import { RedisPresence } from "@colyseus/redis-presence";

/** Percent-decoded, or as written when it is not valid percent-encoding (a raw "%" in a password). */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The seed node and the connection options every node connection gets, from REDIS_URL. */
export function clusterSeed(url: string): { host: string; port: number; redisOptions: ClusterOptions["redisOptions"] } {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: parsed.port === "" ? 6379 : Number(parsed.port),
    redisOptions: {
      username: parsed.username === "" ? undefined : decoded(parsed.username),
      password: parsed.password === "" ? undefined : decoded(parsed.password),
      // Managed clusters with in-transit encryption present certificates for their own
      // host names; see dnsLookup below.
      tls: parsed.protocol === "rediss:" ? {} : undefined,
    },
  };
}

/** A Cluster client seeded from REDIS_URL; `node` applies to every node connection. */
export function connectCluster(url: string, node: { connectTimeout: number; maxRetriesPerRequest: number }, retry: (attempt: number) => number): Cluster {
  const seed = clusterSeed(url);
  return new Cluster([{ host: seed.host, port: seed.port }], {
    redisOptions: { ...seed.redisOptions, ...node },
    // Reaching no node at all: retry forever with our backoff, as a single Redis does.
    clusterRetryStrategy: retry,
    // Node addresses as the cluster announces them, unresolved: with TLS the certificate
    // names the host, not its IP (ioredis' advice for ElastiCache).
    dnsLookup: (address, callback) => callback(null, address),
    // A node that comes back after a restart is found again within this time even when no command failed.
    slotsRefreshInterval: 2000,
  });
}

/** RedisPresence on a Cluster, with PUBSUB CHANNELS asked of every node. */
export class ClusterPresence extends RedisPresence {
  constructor(cluster: Cluster) {
    super(cluster);
  }

  override async channels(pattern = "*"): Promise<string[]> {
    const nodes = (this.pub as Cluster).nodes("all");
    const answers = await Promise.all(nodes.map((node: Redis) => node.pubsub("CHANNELS", pattern) as Promise<string[]>));
    return [...new Set(answers.flat())];
  }
}
