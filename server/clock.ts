import { clockReading } from '../shared/clock.js'
import type { CaseRepository } from './store/repository.js'

/** The app's one notion of time: every deadline, flag, alarm, KPI window and live aggregate reads `now()`. */
export interface AppClock {
  /** Milliseconds since the epoch on this clock (simulated time when the simulator runs faster than life). */
  readonly now: () => number
  /** Simulated ms per real ms: SIM_SPEED with the simulator on, else 1. */
  readonly rate: number
}

export const realClock: AppClock = Object.freeze({ now: () => Date.now(), rate: 1 })

/**
 * A clock that starts at `startAt` (default: the real now) and runs `rate` times faster than `realNow`. `startAt`
 * later than the real now resumes a faster-than-life run where it stopped, so stored times never lie in the future.
 */
export function simulatedClock(rate: number, opts: { realNow?: () => number, startAt?: number } = {}): AppClock {
  const realNow = opts.realNow ?? Date.now
  const realAt = realNow()
  const at = Math.max(realAt, opts.startAt ?? realAt)
  if (rate === 1 && at === realAt) return { now: realNow, rate }
  return Object.freeze({ now: () => Math.floor(clockReading(at, realAt, rate, realNow())), rate })
}

type ActivityReader = Pick<CaseRepository, 'recent' | 'currentSeq' | 'changedSince'>

/**
 * The latest instant the store has seen (newest report, newest workflow change), or null when it is empty: a faster
 * than life run resumes from here after a restart, instead of falling back to the real now behind its own data.
 */
export async function lastActivityMs(repo: ActivityReader): Promise<number | null> {
  const city = { level: 'city', code: null } as const
  const [newest] = await repo.recent(city, 1)
  const seq = await repo.currentSeq()
  const [changed] = seq > 0 ? await repo.changedSince(seq - 1, city, 1) : []
  const times = [newest, changed].flatMap(i => i ? [i.reportedAt, i.receivedAt, i.filedAt, i.dispatchedAt, i.handledAt, i.closedAt, i.escalatedAt] : [])
    .filter((t): t is string => typeof t === 'string').map(t => Date.parse(t)).filter(Number.isFinite)
  return times.length > 0 ? Math.max(...times) : null
}

/**
 * The clock a configuration asks for: simulated time at SIM_SPEED while the simulator runs (resumed from the
 * store's latest activity when that lies ahead of the real now), else the real clock.
 */
export async function clockFor(sim: { enabled: boolean, speed: number }, repo: ActivityReader, realNow: () => number = Date.now): Promise<AppClock> {
  if (!sim.enabled || sim.speed === 1) return realNow === Date.now ? realClock : { now: realNow, rate: 1 }
  return simulatedClock(sim.speed, { realNow, startAt: await lastActivityMs(repo) ?? undefined })
}
