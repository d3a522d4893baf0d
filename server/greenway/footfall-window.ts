import type { CrowdingAlarm, FootfallState } from '../../shared/greenway/types.js'

const MINUTE = 60_000

export interface FootfallWindowOptions {
  /** Trend buckets (minutes) and how far back the trend reaches (hours). */
  bucketMinutes: number
  trendHours: number
  /** The per-segment heat covers this many minutes. */
  windowMinutes: number
  crowding: { threshold: number, windowMinutes: number }
}

export interface SegmentPlace { name: string, lon: number, lat: number }

/**
 * Live footfall in memory: visitors per trend bucket for the city, visitors per minute per segment for the heat and
 * the crowding alarm (raised at `threshold` visitors in the window, cleared below 80 % of it, so it does not flap).
 * Readings count at the minute of their `at`; anything older than the trend is ignored here (it is still stored).
 */
export class FootfallWindow {
  private readonly totals = new Map<number, number>()
  private readonly perSegment = new Map<string, Map<number, number>>()
  private readonly active = new Map<string, CrowdingAlarm>()
  private readonly keepMinutes: number

  constructor(private readonly opts: FootfallWindowOptions) {
    this.keepMinutes = Math.max(opts.windowMinutes, opts.crowding.windowMinutes)
  }

  add(segment: string, atMs: number, count: number, nowMs: number): void {
    if (atMs < nowMs - this.opts.trendHours * 3_600_000) return
    const bucket = Math.floor(atMs / (this.opts.bucketMinutes * MINUTE)) * this.opts.bucketMinutes * MINUTE
    this.totals.set(bucket, (this.totals.get(bucket) ?? 0) + count)
    if (atMs < nowMs - this.keepMinutes * MINUTE) return
    const minute = Math.floor(atMs / MINUTE) * MINUTE
    let m = this.perSegment.get(segment)
    if (!m) this.perSegment.set(segment, m = new Map())
    m.set(minute, (m.get(minute) ?? 0) + count)
  }

  /** Visitors on a segment in the last `minutes` (the current minute included). */
  private recent(segment: string, minutes: number, nowMs: number): number {
    const from = Math.floor(nowMs / MINUTE) * MINUTE - (minutes - 1) * MINUTE
    let sum = 0
    for (const [minute, count] of this.perSegment.get(segment) ?? []) if (minute >= from) sum += count
    return sum
  }

  /** Drops what fell out of every window. */
  private prune(nowMs: number): void {
    const trendFrom = nowMs - this.opts.trendHours * 3_600_000
    for (const bucket of this.totals.keys()) if (bucket + this.opts.bucketMinutes * MINUTE <= trendFrom) this.totals.delete(bucket)
    const keepFrom = Math.floor(nowMs / MINUTE) * MINUTE - (this.keepMinutes - 1) * MINUTE
    for (const [segment, minutes] of this.perSegment) {
      for (const minute of minutes.keys()) if (minute < keepFrom) minutes.delete(minute)
      if (minutes.size === 0) this.perSegment.delete(segment)
    }
  }

  /** Raises and clears crowding alarms; answers whether the set of alarms changed. */
  evaluate(nowMs: number, place: (segment: string) => SegmentPlace | undefined): boolean {
    this.prune(nowMs)
    const { threshold, windowMinutes } = this.opts.crowding
    let changed = false
    const segments = new Set([...this.perSegment.keys(), ...this.active.keys()])
    for (const segment of segments) {
      const visitors = this.recent(segment, windowMinutes, nowMs)
      const alarm = this.active.get(segment)
      if (alarm) {
        if (visitors < threshold * 0.8) {
          this.active.delete(segment)
          changed = true
        } else {
          alarm.visitors = visitors
        }
      } else if (visitors >= threshold) {
        const p = place(segment)
        if (!p) continue
        this.active.set(segment, { segment, name: p.name, visitors, threshold, windowMinutes, since: new Date(nowMs).toISOString(), lon: p.lon, lat: p.lat })
        changed = true
      }
    }
    return changed
  }

  state(nowMs: number): FootfallState {
    this.prune(nowMs)
    const step = this.opts.bucketMinutes * MINUTE
    const n = (this.opts.trendHours * 60) / this.opts.bucketMinutes
    const last = Math.floor(nowMs / step) * step
    const first = last - (n - 1) * step
    const trend = Array.from({ length: n }, (_, k) => this.totals.get(first + k * step) ?? 0)
    const bySegment: Record<string, number> = {}
    let total = 0
    for (const segment of [...this.perSegment.keys()].sort()) {
      const v = this.recent(segment, this.opts.windowMinutes, nowMs)
      if (v > 0) {
        bySegment[segment] = v
        total += v
      }
    }
    return {
      at: new Date(nowMs).toISOString(),
      bucketMinutes: this.opts.bucketMinutes,
      trendStart: new Date(first).toISOString(),
      trend,
      windowMinutes: this.opts.windowMinutes,
      bySegment,
      total,
      crowded: [...this.active.values()].sort((a, b) => b.visitors - a.visitors).map(a => ({ ...a })),
      crowding: { ...this.opts.crowding },
    }
  }

  /** After a reload: segments that no longer exist lose their alarms. */
  forget(keep: (segment: string) => boolean): void {
    for (const segment of this.active.keys()) if (!keep(segment)) this.active.delete(segment)
  }
}
