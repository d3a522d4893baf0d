import type { FootfallState } from '../../shared/greenway/types.js'
import { issuesToDetails } from '../../shared/schemas/errors.js'
import { type FootfallReading, footfallReadingSchema } from '../../shared/schemas/greenway.js'
import type { GreenwayConfig } from './greenway-service.js'
import { FootfallWindow, type SegmentPlace } from './footfall-window.js'
import type { FootfallRepository, StoredReading } from '../store/contracts/footfall-repository.js'

export interface FootfallResult { sensor: string | null, at: string | null, status: 'stored' | 'duplicate' | 'rejected', error?: string }

export interface FootfallServiceDeps {
  store: FootfallRepository
  crowding: GreenwayConfig['crowding']
  now: () => number
  /** The segment a reading names, with a point for the map; undefined if the network has no such segment. */
  place: (segment: string) => SegmentPlace | undefined
  /** After new readings entered the live window (how many). */
  onChanged: (readings: number) => void
}

const FUTURE_SLACK_MS = 5 * 60_000
/** Raw readings are kept 30 days (the live window needs 24 h); pruned at start and hourly. */
const RETENTION_MS = 30 * 24 * 3_600_000
const PRUNE_EVERY_MS = 3_600_000
const str = (raw: unknown, key: string) => {
  const v = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)[key] : undefined
  return typeof v === 'string' ? v.slice(0, 64) : null
}

/**
 * Footfall counters along the greenways: the one ingest path for their readings (HTTP now, MQTT later) — validate
 * each → store the batch (sensor + time is the idempotency key) → add to the live window → crowding alarms → notify.
 */
export function createFootfallService(deps: FootfallServiceDeps) {
  const window = new FootfallWindow({ bucketMinutes: 5, trendHours: 24, windowMinutes: 60, crowding: deps.crowding })
  const now = deps.now()
  deps.store.pruneReadings(now - RETENTION_MS)
  let prunedAt = now
  for (const r of deps.store.readingsSince(now - 24 * 3_600_000)) window.add(r.segment, r.atMs, r.count, now)
  window.evaluate(now, deps.place)

  async function ingest(readings: unknown[]): Promise<FootfallResult[]> {
    const results: FootfallResult[] = new Array(readings.length)
    const accepted: { k: number, reading: FootfallReading, row: StoredReading }[] = []
    const nowMs = deps.now()
    readings.forEach((raw, k) => {
      const parsed = footfallReadingSchema.safeParse(raw)
      if (!parsed.success) {
        results[k] = { sensor: str(raw, 'sensor'), at: str(raw, 'at'), status: 'rejected', error: issuesToDetails(parsed.error).map(d => `${d.path}: ${d.message}`).join('; ') }
        return
      }
      const r = parsed.data
      const atMs = Date.parse(r.at)
      const problem = !deps.place(r.segment) ? `segment: no greenway segment "${r.segment}"` : atMs > nowMs + FUTURE_SLACK_MS ? `at: ${r.at} is in the future` : null
      if (problem) {
        results[k] = { sensor: r.sensor, at: r.at, status: 'rejected', error: problem }
        return
      }
      accepted.push({ k, reading: r, row: { sensor: r.sensor, segment: r.segment, count: r.count, atMs } })
    })
    if (accepted.length === 0) return results
    const fresh = deps.store.insertReadings(accepted.map(a => a.row), new Date(nowMs).toISOString())
    let added = 0
    accepted.forEach(({ k, reading, row }, j) => {
      results[k] = { sensor: reading.sensor, at: reading.at, status: fresh[j] ? 'stored' : 'duplicate' }
      if (fresh[j]) {
        window.add(row.segment, row.atMs, row.count, nowMs)
        added++
      }
    })
    if (added > 0) {
      window.evaluate(nowMs, deps.place)
      deps.onChanged(added)
    }
    return results
  }

  return {
    ingest,
    state: (): FootfallState => window.state(deps.now()),
    /** Time passes: alarms clear and the window slides even without readings. True if the alarms changed. */
    tick: (): boolean => {
      const t = deps.now()
      if (t - prunedAt >= PRUNE_EVERY_MS) {
        prunedAt = t
        deps.store.pruneReadings(t - RETENTION_MS)
      }
      return window.evaluate(t, deps.place)
    },
    forgetMissing: () => window.forget(segment => deps.place(segment) !== undefined),
  }
}

export type FootfallService = ReturnType<typeof createFootfallService>
