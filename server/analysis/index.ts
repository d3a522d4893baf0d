import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { HOUR_MS, onTimeClass } from '../../shared/analysis.js'
import { CATEGORIES } from '../../shared/categories.js'
import { SOURCES } from '../../shared/enums.js'
import { CASE_STATUSES } from '../../shared/workflow/states.js'
import type { CityGeo } from '../geo/city-geo.js'
import type { KpiCountRepository, RollupFacts, RollupRepository, RollupRowVisitor } from '../store/repository.js'
import type { KpiCountsSource } from '../kpis/maintained-kpis.js'
import { createAnalysisService } from './analysis-service.js'
import { RollupCube } from './cube/rollup-cube.js'
import { WarmingError } from './query.js'

/** Days a request may read on demand before it is answered "still loading" instead (≈ 30 ms a day for Chengdu). */
const ON_DEMAND_DAYS = 31

/** How long a committed rollup change may wait before the cube takes it (a read takes it at once). */
const CUBE_APPLY_MS = 250

/** The cube's snapshot in DATA_DIR (written at a clean shutdown and by the seed, read at start); the file keeps its
 * name from before the feature was called "analysis", so an existing DATA_DIR still starts from its snapshot. */
export const ANALYSIS_SNAPSHOT = 'drill-cube.snapshot'

/**
 * The analysis (drill-down) of a running server: the cube loaded from the store's rollup rows, then kept current by the store's
 * rollup listener (called after each commit, so the cube always equals the committed rollup table).
 */
export async function createAnalysis(deps: { geo: CityGeo, repo: RollupRepository & KpiCountRepository, now: () => number, snapshotFile?: string | null, kpis?: KpiCountsSource }) {
  const { geo, repo } = deps
  const cube = new RollupCube({
    utcOffsetMinutes: geo.info.utcOffsetMinutes, cells: geo.cells, units: geo.units.values(),
    categories: CATEGORIES.map(c => c.code), sources: SOURCES, statuses: CASE_STATUSES,
  })
  const stats = { rows: 0, ms: 0, days: 0, snapshot: false }
  // A clean shutdown leaves the cube in a file, tagged with the store's version: if nothing was written since, it is
  // read back in well under a second instead of reading millions of rollup rows.
  const file = deps.snapshotFile ?? null
  if (file !== null && existsSync(file)) {
    const t0 = performance.now()
    try {
      stats.snapshot = cube.restore(readFileSync(file), await repo.rollupVersion())
    } catch {
      stats.snapshot = false
    }
    if (stats.snapshot) {
      stats.rows = cube.rows
      stats.ms = performance.now() - t0
    }
    rmSync(file, { force: true }) // used or stale: the next clean shutdown writes a new one
  }
  if (!stats.snapshot) cube.setStoredHours(await repo.rollupHours())
  // The store's rollup changes are kept in a list and applied to the cube on a timer (issue #13: off the commit's
  // path, which answers ingest), and always before the cube is read or a stored day is loaded, so every answer still
  // holds every committed change and none is counted twice.
  let owed: [RollupFacts, 1 | -1][] = []
  let applyTimer: NodeJS.Timeout | null = null
  const applyOwed = () => {
    if (applyTimer !== null) clearTimeout(applyTimer)
    applyTimer = null
    const list = owed
    owed = []
    for (const [f, sign] of list) {
      // built field by field, not spread: `f` is the store's whole case (~40 fields), and a spread per change cost
      // the main thread more than the cube's own upkeep (bench: ingest, issue #12)
      cube.applyFacts({
        hour: Math.floor(Date.parse(f.reportedAt) / HOUR_MS), cell: f.cell, community: f.community, street: f.street, district: f.district,
        category: f.category, source: f.source, status: f.status, department: f.department ?? '', onTime: onTimeClass(f.handledAt, f.deadline), delta: sign,
      })
    }
  }
  const unwatch = repo.watchRollup((f, sign) => {
    owed.push([f, sign])
    if (applyTimer === null) applyTimer = setTimeout(applyOwed, CUBE_APPLY_MS).unref()
  })
  const visit: RollupRowVisitor = (hour, cell, category, source, status, department, onTime, community, street, district, n) => {
    cube.addFacts({ hour, cell, community, street, district, category, source, status, department, onTime, delta: n })
  }
  /** Reads one stored day (marked first: the SQLite store reads within the call, so no change can slip between). */
  async function loadDay(day: number): Promise<void> {
    if (cube.isLoaded(day)) return
    applyOwed() // changes to days already read; the day read now has its own in the table
    cube.markLoaded(day)
    const t0 = performance.now()
    const from = cube.dayStartHour(day)
    stats.rows += await repo.eachRollupRow(from, from + 24, visit)
    stats.ms += performance.now() - t0
    stats.days += 1
  }
  const storedDays = cube.pendingDays().length
  async function ensure(fromHour: number, toHour: number): Promise<void> {
    applyOwed()
    const first = cube.localDay(fromHour)
    const last = cube.localDay(toHour - 1)
    let missing = 0
    for (let day = first; day <= last; day++) if (!cube.isLoaded(day)) missing += 1
    // a few days are read now; a long range waits for the background reading, newest day first, and says so
    if (missing > ON_DEMAND_DAYS) throw new WarmingError(storedDays - cube.pendingDays().length, storedDays)
    for (let day = first; day <= last; day++) await loadDay(day)
  }
  // Start-up reads nothing: days are read on first use, and in the background newest first, a day per turn of the
  // event loop, so a year of rollups (~5 M rows, ~20 s) never blocks a request for long.
  let stopped = false
  let complete = false
  const warm = new Promise<void>((resolve) => {
    const pending = cube.pendingDays()
    const step = () => {
      const day = pending.shift()
      if (!stopped && day === undefined) complete = true
      if (stopped || day === undefined) return resolve()
      void loadDay(day).then(() => setImmediate(step), () => setImmediate(step))
    }
    setImmediate(step)
  })
  return {
    cube, stats, warm,
    /** For /health: whether every stored day is in memory (until then a long range may answer "still loading"). */
    progress: () => ({ warm: complete, daysLoaded: storedDays - cube.pendingDays().length, daysStored: storedDays }),
    service: createAnalysisService({ ...deps, cube, ensure }),
    /** Stops; writes the snapshot if every day is in memory (the caller closes the store afterwards). */
    async close(): Promise<void> {
      stopped = true
      unwatch()
      applyOwed()
      if (file === null || !complete) return
      const tmp = `${file}.tmp`
      writeFileSync(tmp, cube.snapshot(await repo.rollupVersion()))
      renameSync(tmp, file)
    },
  }
}
