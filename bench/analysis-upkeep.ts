import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadCityGeo } from '../server/geo/city-geo.js'
import type { NewIncident } from '../server/store/repository.js'
import { createSqliteRepository } from '../server/store/sqlite/sqlite-repository.js'
import { benchEvents } from './lib/events.js'

const UPKEEP_ROUNDS = 6
const UPKEEP_BATCH = 1000
const UPKEEP_ROUND_EVENTS = 20_000
/** The store folds when 20,000 rows are owed (or a second after writes): timed here as it would happen. */
const UPKEEP_FOLD_EVERY = 20

/** Store inserts (the repository's own path) with and without rollup upkeep, interleaved on fresh databases. */
export async function upkeepCost(): Promise<{ on: number, off: number }> {
  const geo = loadCityGeo('chengdu')
  const dirs = [mkdtempSync(path.join(tmpdir(), 'citybrain-upkeep-on-')), mkdtempSync(path.join(tmpdir(), 'citybrain-upkeep-off-'))]
  const repos = [createSqliteRepository({ dataDir: dirs[0]! }), createSqliteRepository({ dataDir: dirs[1]!, rollupUpkeep: false })]
  const seconds = [0, 0]
  let events = 0
  try {
    for (let round = 0; round <= UPKEEP_ROUNDS; round++) {
      // round 0 warms up (JIT, first pages) and is not counted
      for (const side of round % 2 === 0 ? [0, 1] : [1, 0]) {
        const rows: NewIncident[] = benchEvents(UPKEEP_ROUND_EVENTS, `upkeep-${side}-${round}`).map(input => ({ input, location: geo.locate(input.lon, input.lat)! }))
        const receivedAt = new Date().toISOString()
        const t0 = performance.now()
        for (let k = 0; k < rows.length; k += UPKEEP_BATCH) {
          await repos[side]!.insertIncidents(rows.slice(k, k + UPKEEP_BATCH), receivedAt)
          if ((k / UPKEEP_BATCH) % UPKEEP_FOLD_EVERY === UPKEEP_FOLD_EVERY - 1) await repos[side]!.flushRollup()
        }
        await repos[side]!.flushRollup()
        if (round > 0) seconds[side]! += (performance.now() - t0) / 1000
      }
      if (round > 0) events += UPKEEP_ROUND_EVENTS
    }
  } finally {
    for (const r of repos) await r.close()
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  }
  return { on: events / seconds[0]!, off: events / seconds[1]! }
}
