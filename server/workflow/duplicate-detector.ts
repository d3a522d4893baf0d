/** Reports of one category within `radiusM` and `windowMinutes` of an earlier one from another channel repeat it. */
export interface DuplicateRule { radiusM: number, windowMinutes: number }
export const DEFAULT_DUPLICATE_RULE: DuplicateRule = { radiusM: 100, windowMinutes: 60 }

export interface DedupeFacts { id: string, source: string, category: string, lon: number, lat: number, reportedAt: string }

interface Entry { id: string, source: string, lon: number, lat: number, t: number }

const M_PER_DEG_LAT = 110_900
/**
 * Bucket key: x * ROW + y, an exact integer: with a radius of at least 1 m (config), |x| < 2·10^7 and |y| < 10^7 <
 * ROW / 2, so keys are unique and below 2^53.
 */
const ROW = 2 ** 26
const EVICT_EVERY = 5000

/**
 * In-memory index of recent reports, bucketed by category and a square grid one radius wide, so a report is compared
 * only with the few in its 3 × 3 neighbourhood (ingest stays cheap). Returns the case a new report seems to repeat:
 * the earliest report in range from another channel. Reports proposed as duplicates are not themselves candidates.
 */
export class DuplicateDetector {
  /** category → bucket key → entries (numbers, not `${category}:${x}:${y}` strings: this runs on every ingested report). */
  private readonly buckets = new Map<string, Map<number, Entry[]>>()
  private readonly windowMs: number
  private observed = 0
  /** The observation count at which to evict next (amortised: a walk of n entries every n observations at most). */
  private nextEvict = EVICT_EVERY

  constructor(private readonly rule: DuplicateRule = DEFAULT_DUPLICATE_RULE) {
    this.windowMs = rule.windowMinutes * 60_000
  }

  observe(r: DedupeFacts): string | null {
    const t = Date.parse(r.reportedAt)
    const mPerDegLon = Math.cos(r.lat * Math.PI / 180) * 111_320
    const bx = Math.floor(r.lon * mPerDegLon / this.rule.radiusM)
    const by = Math.floor(r.lat * M_PER_DEG_LAT / this.rule.radiusM)
    let grid = this.buckets.get(r.category)
    if (!grid) {
      grid = new Map()
      this.buckets.set(r.category, grid)
    }
    const r2 = this.rule.radiusM * this.rule.radiusM
    let best: Entry | null = null
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        const list = grid.get((bx + dx) * ROW + by + dy)
        if (!list) continue
        for (const e of list) {
          if (e.source === r.source || Math.abs(t - e.t) > this.windowMs || (best && best.t <= e.t)) continue
          // equirectangular: within a few hundred metres it differs from the great-circle distance by well under 0.1 %
          const ex = (e.lon - r.lon) * mPerDegLon
          const ey = (e.lat - r.lat) * M_PER_DEG_LAT
          if (ex * ex + ey * ey <= r2) best = e
        }
      }
    }
    if (best) return best.id
    const key = bx * ROW + by
    const list = grid.get(key)
    const entry = { id: r.id, source: r.source, lon: r.lon, lat: r.lat, t }
    if (list) list.push(entry)
    else grid.set(key, [entry])
    if (++this.observed >= this.nextEvict) this.nextEvict = this.observed + Math.max(EVICT_EVERY, this.evict(t))
    return null
  }

  /** Forgets reports that were observed but then not stored after all (their commit failed). */
  forget(ids: ReadonlySet<string>): void {
    if (ids.size === 0) return
    for (const grid of this.buckets.values()) {
      for (const [key, list] of grid) {
        const kept = list.filter(e => !ids.has(e.id))
        if (kept.length === 0) grid.delete(key)
        else if (kept.length !== list.length) grid.set(key, kept)
      }
    }
  }

  /**
   * Drops entries that no new report can match any more (memory stays bounded by the window's volume); returns how
   * many are kept, so that the next walk comes no sooner than that many observations later.
   */
  private evict(nowMs: number): number {
    let n = 0
    for (const grid of this.buckets.values()) {
      for (const [key, list] of grid) {
        const kept = list.filter(e => nowMs - e.t <= this.windowMs)
        n += kept.length
        if (kept.length === 0) grid.delete(key)
        else if (kept.length !== list.length) grid.set(key, kept)
      }
    }
    return n
  }

  get size(): number {
    let n = 0
    for (const grid of this.buckets.values()) for (const list of grid.values()) n += list.length
    return n
  }
}
