import type { IngestResult } from '../../../shared/incident.js'
import { createGenerator, type SimulatorGeo } from './generate.js'

export type { SimulatorGeo }
export type IngestFn = (events: unknown[]) => Promise<IngestResult[]>

export interface SimulatorOptions {
  geo: SimulatorGeo
  ingest: IngestFn
  seed: number
  /** SIM_SPEED: only names a faster-than-life run (its ids), time itself comes from `now`. */
  speed: number
  /** Multiplies the realistic report rate (soak and load tests). */
  rate?: number
  /** The app's clock (simulated time at SIM_SPEED); the simulator sends what fell due on it since the last tick. */
  now?: () => number
  tickMs?: number
  log?: (msg: string) => void
}

export interface Simulator {
  start: () => void
  /** Stops the timer and waits for an ingest call in flight. */
  stop: () => Promise<void>
  readonly generated: number
}

const MAX_BATCH = 1000

/**
 * The built-in source: every tick it takes the events of the simulated time that passed on the app's clock and sends
 * them through the same ingest path as HTTP. With SIM_SPEED > 1 the whole app runs on simulated time (server/clock.ts),
 * so events keep their simulated times and deadlines, flags and alarms see the same clock.
 */
export function createSimulator(opts: SimulatorOptions): Simulator {
  const now = opts.now ?? Date.now
  const tickMs = opts.tickMs ?? 200
  let generator = createGenerator(opts.geo, opts.seed, undefined, opts.rate)
  let timer: NodeJS.Timeout | null = null
  let inFlight: Promise<void> = Promise.resolve()
  let generated = 0
  let simCursor = 0

  async function tick(): Promise<void> {
    const simNow = now()
    const due = generator.between(simCursor, simNow)
    simCursor = simNow
    for (let k = 0; k < due.length; k += MAX_BATCH) {
      const results = await opts.ingest(due.slice(k, k + MAX_BATCH))
      const rejected = results.filter(r => r.status === 'rejected')
      if (rejected.length > 0) opts.log?.(`simulator: ${rejected.length} events rejected, e.g. ${rejected[0]!.error}`)
      generated += results.length - rejected.length
    }
  }

  return {
    start() {
      if (timer) return
      simCursor = now()
      // At speed 1 simulated minutes are real minutes, so ids never repeat across restarts. Faster, the clock resumes
      // from the store's latest activity; a run is still named, in case the store was not where the last run wrote.
      if (opts.speed !== 1) generator = createGenerator(opts.geo, opts.seed, `sim-${opts.seed}-${Math.floor(simCursor / 60_000).toString(36)}`, opts.rate)
      timer = setInterval(() => {
        inFlight = inFlight.then(tick).catch((err: unknown) => opts.log?.(`simulator: ingest failed: ${String(err)}`))
      }, tickMs)
      opts.log?.(`simulator started: seed ${opts.seed}, speed ×${opts.speed}`)
    },
    async stop() {
      if (timer) clearInterval(timer)
      timer = null
      await inFlight
    },
    get generated() {
      return generated
    },
  }
}
