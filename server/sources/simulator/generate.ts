import { mulberry32 } from '../../../shared/random.js'
import { type IncidentInput, SOURCES } from '../../../shared/schemas/incident.js'
import { describe, pickCategory, pickSeverity, reporterFor } from './content.js'
import { randomPointInCell } from './point-in-cell.js'
import { hourlyRate } from './rates.js'
import { poisson, weightedPicker } from './sampling.js'

export interface SimulatorGeo {
  info: { population: number, utcOffsetMinutes: number }
  cells: readonly { h3: string, population: number }[]
}

const MINUTE = 60_000

/**
 * Pure generator: the events due in [fromMs, toMs) of simulated time, for a seed. Each simulated minute draws its
 * own Poisson counts from a PRNG seeded by (seed, minute), so any window gives the same events however it is cut —
 * a restart, a different tick length or a bulk seed all agree.
 */
export function createGenerator(geo: SimulatorGeo, seed: number, idPrefix = `sim-${seed}`) {
  const pickCell = weightedPicker(geo.cells, c => c.population)
  const offsetMs = geo.info.utcOffsetMinutes * MINUTE

  function minuteEvents(minute: number): IncidentInput[] {
    const rng = mulberry32((seed * 2654435761) ^ minute)
    const local = new Date(minute * MINUTE + offsetMs)
    const out: IncidentInput[] = []
    for (const source of SOURCES) {
      const count = poisson(hourlyRate(source, local.getUTCHours(), local.getUTCDay(), geo.info.population) / 60, rng)
      for (let k = 0; k < count; k++) {
        const at = minute * MINUTE + Math.floor(rng() * MINUTE)
        const category = pickCategory(source, rng)
        const reporter = reporterFor(source, rng)
        out.push({
          id: `${idPrefix}-${minute.toString(36)}-${source}-${k}`,
          source,
          category: category.code,
          severity: pickSeverity(category, rng),
          ...randomPointInCell(pickCell(rng).h3, rng),
          reportedAt: new Date(at).toISOString(),
          description: describe(category, source, rng),
          ...(reporter && { reporter }),
        })
      }
    }
    return out
  }

  return {
    between(fromMs: number, toMs: number): IncidentInput[] {
      const out: IncidentInput[] = []
      for (let m = Math.floor(fromMs / MINUTE); m * MINUTE < toMs; m++) {
        for (const e of minuteEvents(m)) {
          const t = Date.parse(e.reportedAt)
          if (t >= fromMs && t < toMs) out.push(e)
        }
      }
      return out.sort((a, b) => a.reportedAt.localeCompare(b.reportedAt) || a.id.localeCompare(b.id))
    },
  }
}
