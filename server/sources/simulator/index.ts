import type { IngestResult } from '../../../shared/incident.js'
import { createGenerator, type SimulatorGeo } from './generate.js'

export type { SimulatorGeo }
export type IngestFn = (events: unknown[]) => Promise<IngestResult[]>

export interface SimulatorOptions {
  geo: SimulatorGeo
  ingest: IngestFn
  seed: number
  /** Simulated time runs this many times faster than real time. */
  speed: number
  /** Multiplies the realistic report rate (soak and load tests). */
  rate?: number
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
 * The built-in source: every tick it takes the events of the simulated time that passed and sends them through the
 * same ingest path as HTTP. With SIM_SPEED > 1 a simulated day arrives in 24 h / speed; each event is stamped with
 * the real instant its simulated time maps to, so live "today" views stay coherent.
 */
export function createSimulator(opts: SimulatorOptions): Simulator {
  const now = opts.now ?? Date.now
  const tickMs = opts.tickMs ?? 200
  let generator = createGenerator(opts.geo, opts.seed, undefined, opts.rate)
  let timer: NodeJS.Timeout | null = null
  let inFlight: Promise<void> = Promise.resolve()
  let generated = 0
  let realStart = 0
  let simCursor = 0

  const toReal = (simMs: number) => realStart + (simMs - realStart) / opts.speed

  async function tick(): Promise<void> {
    const simNow = realStart + (now() - realStart) * opts.speed
    const due = generator.between(simCursor, simNow)
    simCursor = simNow
    if (opts.speed !== 1) for (const e of due) e.reportedAt = new Date(Math.floor(toReal(Date.parse(e.reportedAt)))).toISOString()
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
      realStart = now()
      simCursor = realStart
      // At speed 1 simulated minutes are real minutes, so ids never repeat across restarts. Faster, a restart would
      // replay simulated minutes an earlier run already sent (and they would be refused as duplicates): name the run.
      if (opts.speed !== 1) generator = createGenerator(opts.geo, opts.seed, `sim-${opts.seed}-${Math.floor(realStart / 60_000).toString(36)}`, opts.rate)
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
