// A log-linear latency histogram (HDR-style): constant memory whatever the
// sample count, mergeable across worker threads, and accurate to about 0.2 %
// of the value. Samples are milliseconds, stored as whole microseconds.

/** Values below this many microseconds get one bucket each (exact). */
const LINEAR_US = 1024;
/** Buckets per power of two above LINEAR_US: precision 1/512 of the value. */
const SUB_BUCKETS = 512;
/** Powers of two covered above LINEAR_US: up to 2^46 us, about two years. */
const OCTAVES = 36;
const BUCKETS = LINEAR_US + OCTAVES * SUB_BUCKETS;

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** What a histogram looks like on the wire between threads. */
export interface HistogramData {
  counts: number[];
  count: number;
  sumMs: number;
  maxMs: number;
}

function bucketOf(us: number): number {
  if (us < LINEAR_US) return us;
  const octave = Math.floor(Math.log2(us)) - 9; // 1 for [1024, 2048)
  const index = LINEAR_US + (octave - 1) * SUB_BUCKETS + (Math.floor(us / 2 ** octave) - SUB_BUCKETS);
  return Math.min(index, BUCKETS - 1);
}

/** The midpoint of a bucket, in microseconds. */
function valueOf(bucket: number): number {
  if (bucket < LINEAR_US) return bucket;
  const octave = Math.floor((bucket - LINEAR_US) / SUB_BUCKETS) + 1;
  const low = (SUB_BUCKETS + ((bucket - LINEAR_US) % SUB_BUCKETS)) * 2 ** octave;
  return low + (2 ** octave - 1) / 2;
}

export class Histogram {
  private counts = new Uint32Array(BUCKETS);
  count = 0;
  sumMs = 0;
  maxMs = 0;

  record(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.counts[bucketOf(Math.round(ms * 1000))]!++;
    this.count++;
    this.sumMs += ms;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  /** Nearest-rank percentile (0 < q <= 100) in ms; 0 when empty. The max is exact. */
  percentile(q: number): number {
    if (this.count === 0) return 0;
    if (q >= 100) return this.maxMs;
    const rank = Math.max(1, Math.ceil((q / 100) * this.count));
    let seen = 0;
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      seen += this.counts[bucket]!;
      if (seen >= rank) return Math.min(valueOf(bucket) / 1000, this.maxMs);
    }
    return this.maxMs;
  }

  summary(): Percentiles {
    return { p50: this.percentile(50), p95: this.percentile(95), p99: this.percentile(99), max: this.maxMs };
  }

  mean(): number {
    return this.count === 0 ? 0 : this.sumMs / this.count;
  }

  merge(other: Histogram | HistogramData): void {
    if (other instanceof Histogram) {
      for (let i = 0; i < BUCKETS; i++) this.counts[i]! += other.counts[i]!;
    } else {
      // Sparse form: [bucket, count, bucket, count, ...]
      const sparse = other.counts;
      for (let i = 0; i + 1 < sparse.length; i += 2) this.counts[sparse[i]!]! += sparse[i + 1]!;
    }
    this.count += other.count;
    this.sumMs += other.sumMs;
    this.maxMs = Math.max(this.maxMs, other.maxMs);
  }

  /** A compact copy for postMessage: only the non-empty buckets. */
  toData(): HistogramData {
    const counts: number[] = [];
    for (let i = 0; i < BUCKETS; i++) if (this.counts[i] !== 0) counts.push(i, this.counts[i]!);
    return { counts, count: this.count, sumMs: this.sumMs, maxMs: this.maxMs };
  }

  static fromData(data: HistogramData): Histogram {
    const histogram = new Histogram();
    histogram.merge(data);
    return histogram;
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.sumMs = 0;
    this.maxMs = 0;
  }
}
