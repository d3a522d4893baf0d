/**
 * A count over a sliding window, in fixed buckets (default 60 × 1 s): O(1) per add, O(buckets) per read, a few
 * hundred bytes per source however fast it sends. Times come from the caller (the app's clock).
 */
export class RateWindow {
  private readonly counts: Float64Array
  /** The bucket number (time / bucketMs) each slot holds; a slot with an older number is stale. */
  private readonly stamps: Float64Array

  constructor(readonly windowMs = 60_000, readonly bucketMs = 1_000) {
    const n = Math.max(1, Math.ceil(windowMs / bucketMs))
    this.counts = new Float64Array(n)
    this.stamps = new Float64Array(n).fill(-Infinity)
  }

  add(atMs: number, n = 1): void {
    const bucket = Math.floor(atMs / this.bucketMs)
    const slot = bucket % this.counts.length
    if (this.stamps[slot] !== bucket) {
      this.stamps[slot] = bucket
      this.counts[slot] = 0
    }
    this.counts[slot]! += n
  }

  /** What was added in the window ending at `atMs` (the current bucket and the n − 1 before it). */
  total(atMs: number): number {
    const newest = Math.floor(atMs / this.bucketMs)
    const oldest = newest - this.counts.length + 1
    let sum = 0
    for (let k = 0; k < this.counts.length; k++) {
      const b = this.stamps[k]!
      if (b >= oldest && b <= newest) sum += this.counts[k]!
    }
    return sum
  }
}
