import { mulberry32 } from '../../shared/random.js'
import type { FootfallResult } from './footfall-service.js'

export interface SimSensor { sensor: string, segment: string, perMinute: number }

export interface FootfallSimulatorOptions {
  sensors: () => readonly SimSensor[]
  ingest: (readings: unknown[]) => Promise<FootfallResult[]>
  seed: number
  speed: number
  utcOffsetMinutes: number
  now?: () => number
  log?: (msg: string) => void
}

/** Share of the daily peak by local hour: joggers at 7, the afternoon peak at 16–17, evening walks. */
const DIURNAL = [0.03, 0.02, 0.02, 0.02, 0.03, 0.08, 0.3, 0.5, 0.45, 0.6, 0.7, 0.65, 0.55, 0.55, 0.75, 0.9, 1, 1, 0.9, 0.85, 0.8, 0.55, 0.3, 0.1]

/**
 * A demo source of footfall counters (on with SIMULATOR): each sensor reports the visitors of the last interval
 * through the same ingest function as POST /api/v1/footfall. Rates follow the hour of the simulated day (weekends
 * × 1.6), so at SIM_SPEED 60 a day passes in 24 minutes while per-minute counts stay realistic.
 */
export function createFootfallSimulator(opts: FootfallSimulatorOptions) {
  const now = opts.now ?? Date.now
  const rng = mulberry32(opts.seed)
  // one reading per counter a minute at SIM_SPEED 1; faster runs report more often, but at most every 5 s
  const intervalMs = Math.max(5000, 60_000 / opts.speed)
  let timer: NodeJS.Timeout | null = null
  let inFlight: Promise<void> = Promise.resolve()
  let realStart = 0
  let sensors: readonly SimSensor[] = []

  async function tick(): Promise<void> {
    const real = now()
    const sim = new Date(realStart + (real - realStart) * opts.speed + opts.utcOffsetMinutes * 60_000)
    const hour = sim.getUTCHours()
    const f = DIURNAL[hour]! + (DIURNAL[(hour + 1) % 24]! - DIURNAL[hour]!) * (sim.getUTCMinutes() / 60)
    const weekend = sim.getUTCDay() === 0 || sim.getUTCDay() === 6 ? 1.6 : 1
    const at = new Date(real).toISOString()
    const readings = sensors.map((s) => {
      const expected = s.perMinute * f * weekend * (intervalMs / 60_000) * (0.75 + 0.5 * rng())
      return { sensor: s.sensor, segment: s.segment, count: Math.floor(expected + rng()), at }
    })
    const results = await opts.ingest(readings)
    const rejected = results.filter(r => r.status === 'rejected')
    if (rejected.length > 0) opts.log?.(`footfall simulator: ${rejected.length} readings rejected, e.g. ${rejected[0]!.error}`)
  }

  return {
    start(): void {
      if (timer) return
      sensors = opts.sensors()
      if (sensors.length === 0) return
      realStart = now()
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
