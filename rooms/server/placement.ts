// Where a room goes: the pure half of placement. Given the replicas that are
// alive (see replicas.ts), which may take a room, best first.

export interface ReplicaStatus {
  processId: string;
  replicaName: string | undefined;
  /** Opaque: only "same" or "different" means anything; which is newer comes from startedAt. */
  version: string;
  /** Clock ms when that process started. */
  startedAt: number;
  /** Only "ready" replicas are offered rooms ("unready": e.g. no route to it yet). */
  state: "ready" | "unready" | "draining";
}

export type Candidate = ReplicaStatus & { roomCount: number };

/**
 * Ready replicas other than `exclude`, ordered newest version first, then
 * fewest rooms. A version's age is when its oldest live replica started: a
 * rollout's new version is always the most recently started one, even when
 * versions are hashes with no order of their own, and a rollback is "new" again.
 */
export function orderCandidates(replicas: readonly Candidate[], exclude?: string): Candidate[] {
  const ready = replicas.filter((r) => r.state === "ready" && r.processId !== exclude);
  const versionSince = new Map<string, number>();
  for (const r of ready) versionSince.set(r.version, Math.min(versionSince.get(r.version) ?? Infinity, r.startedAt));
  return ready.sort((a, b) =>
    versionSince.get(b.version)! - versionSince.get(a.version)! ||
    a.roomCount - b.roomCount ||
    a.processId.localeCompare(b.processId));
}
