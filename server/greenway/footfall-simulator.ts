import { mulberry32 } from '../../shared/random.js'
import type { FootfallResult } from './footfall-service.js'

export interface SimSensor { sensor: string, segment: string, perMinute: number }

export interface FootfallSimulatorOptions {
  sensors: () => readonly SimSensor[]
  ingest: (readings: unknown[]) => Promise<FootfallResult[]>
  seed: number
  speed: number
  utcOffsetMinutes: number
  /** The app's clock (simulated time at SIM_SPEED): readings are stamped and counted in its minutes. */
  now?: () => number
  log?: (msg: string) => void
}

/** Share of the daily peak by local hour: joggers at 7, the afternoon peak at 16–17, evening walks. */
const DIURNAL = [0.03, 0.02, 0.02, 0.02, 0.03, 0.08, 0.3, 0.5, 0.45, 0.6, 0.7, 0.65, 0.55, 0.55, 0.75, 0.9, 1, 1, 0.9, 0.85, 0.8, 0.55, 0.3, 0.1]

/** A reading covers at most this many simulated minutes (the live window's bucket), so crowding windows stay true. */
const SLICE_MINUTES = 5
/** … and one tick sends at most this many slices per counter (beyond SIM_SPEED 3,000 slices grow longer). */
const MAX_SLICES = 24

/**
 * A demo source of footfall counters (on with SIMULATOR): each sensor reports the visitors of the simulated time
 * since its last reading through the same ingest function as POST /api/v1/footfall, one reading per slice of at most
 * five simulated minutes. Rates follow the hour of the simulated day (weekends × 1.6), so per simulated minute the
 * counts stay realistic at any SIM_SPEED, and the 15-minute crowding window means 15 simulated minutes.
 */
export function createFootfallSimulator(opts: FootfallSimulatorOptions) {
  const now = opts.now ?? Date.now
  const rng = mulberry32(opts.seed)
  // one reading per counter a minute at SIM_SPEED 1; faster runs report more often, but at most every 5 s
  const intervalMs = Math.max(5000, 60_000 / opts.speed)
  let timer: NodeJS.Timeout | null = null
  let inFlight: Promise<void> = Promise.resolve()
  let cursor = 0
  let sensors: readonly SimSensor[] = []

  /** Share of the daily peak at a simulated instant (hourly curve, interpolated; weekends × 1.6). */
  function level(simMs: number): number {
    const local = new Date(simMs + opts.utcOffsetMinutes * 60_000)
    const hour = local.getUTCHours()
    const f = DIURNAL[hour]! + (DIURNAL[(hour + 1) % 24]! - DIURNAL[hour]!) * (local.getUTCMinutes() / 60)
    return f * (local.getUTCDay() === 0 || local.getUTCDay() === 6 ? 1.6 : 1)
  }

  async function tick(): Promise<void> {
    const end = now()
    const span = end - cursor
    if (span < 1000) return
    const slices = Math.min(MAX_SLICES, Math.ceil(span / (SLICE_MINUTES * 60_000)))
    const readings: { sensor: string, segment: string, count: number, at: string }[] = []
    for (let k = 1; k <= slices; k++) {
      const sliceEnd = Math.floor(cursor + (span * k) / slices)
      const minutes = span / slices / 60_000
      const f = level(sliceEnd)
      const at = new Date(sliceEnd).toISOString()
      for (const s of sensors) {
        const expected = s.perMinute * f * minutes * (0.75 + 0.5 * rng())
        readings.push({ sensor: s.sensor, segment: s.segment, count: Math.floor(expected + rng()), at })
      }
    }
    cursor = end
    const results = await opts.ingest(readings)
    const rejected = results.filter(r => r.status === 'rejected')
    if (rejected.length > 0) opts.log?.(`footfall simulator: ${rejected.length} readings rejected, e.g. ${rejected[0]!.error}`)
  }

  return {
    start(): void {
      if (timer) return
      sensors = opts.sensors()
      if (sensors.length === 0) return
      cursor = now()
      timer = setInterval(() => { inFlight = inFlight.then(tick).catch((err: unknown) => opts.log?.(`footfall simulator failed: ${String(err)}`)) }, intervalMs)
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer)
      timer = null
      await inFlight
    },
  }
}

/**
 * Counters on every third built regional or city segment (≈ 80 in Chengdu's demo network); the two nearest the
 * centre are the busiest, so their crowding alarm trips at the afternoon peak.
 */
export function demoSensors(segments: readonly { id: string, tier: string, status: string, coords: number[][] }[], centre: [number, number]): SimSensor[] {
  const candidates = segments.filter(s => s.status === 'built' && s.tier !== 'community').sort((a, b) => a.id.localeCompare(b.id)).filter((_, k) => k % 3 === 0)
  const mid = (s: { coords: number[][] }) => s.coords[Math.floor(s.coords.length / 2)]!
  const dist = (s: { coords: number[][] }) => Math.hypot(mid(s)[0]! - centre[0], mid(s)[1]! - centre[1])
  const busiest = new Set([...candidates].sort((a, b) => dist(a) - dist(b)).slice(0, 2).map(s => s.id))
  return candidates.map(s => ({ sensor: `ff-${s.id}`, segment: s.id, perMinute: busiest.has(s.id) ? 110 : s.tier === 'regional' ? 25 : 15 }))
}
