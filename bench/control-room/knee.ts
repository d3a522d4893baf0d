import { worstP99 } from './report.js'
import type { PhaseFigures } from './summarise.js'

/** The coarse search's rates (events/s) and what "the knee" means: some p99 at or past 1 s. */
export const KNEE_RATES = [250, 500, 1000, 1500, 2000]
export const KNEE_P99_MS = 1000

/**
 * The lowest rate of KNEE_RATES at which some p99 passes 1 s, assuming it only gets worse with the rate: a bisection
 * over the list, starting from what the mixes already measured.
 */
export async function searchKnee(mixes: Map<number, PhaseFigures>, measure: (rate: number) => Promise<PhaseFigures>): Promise<string> {
  const exceeds = (f: PhaseFigures) => worstP99(f).p99 >= KNEE_P99_MS
  let lo = -1
  let hi = KNEE_RATES.length
  KNEE_RATES.forEach((r, k) => {
    const f = mixes.get(r)
    if (f && exceeds(f)) hi = Math.min(hi, k)
    else if (f && k < hi) lo = Math.max(lo, k)
  })
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    const f = mixes.get(KNEE_RATES[mid]!) ?? await measure(KNEE_RATES[mid]!)
    mixes.set(KNEE_RATES[mid]!, f)
    if (exceeds(f)) hi = mid
    else lo = mid
  }
  if (hi === KNEE_RATES.length) return `above ${KNEE_RATES.at(-1)} events/s (no p99 passed 1 s up to it)`
  const f = mixes.get(KNEE_RATES[hi]!)!
  const w = worstP99(f)
  return `${hi === 0 ? 'at or below ' : ''}${KNEE_RATES[hi]} events/s (${w.kind} p99 ${Math.round(w.p99)} ms)${lo >= 0 ? `; ${KNEE_RATES[lo]} events/s held` : ''}`
}
