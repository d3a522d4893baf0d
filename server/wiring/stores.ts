import path from 'node:path'
import { OPEN_STATUSES } from '../../shared/workflow/states.js'
import { LiveAggregates } from '../live-counts/live-aggregates.js'
import { createAnalysis, ANALYSIS_SNAPSHOT } from '../analysis/index.js'
import { maintainedKpis } from '../kpis/maintained-kpis.js'
import { loadConfiguredCalendar, type WorkingCalendar } from '../calendar/index.js'
import { type AppClock, clockFor } from '../clock.js'
import type { AppConfig } from '../config.js'
import type { CityGeo } from '../geo/city-geo.js'
import type { Logger } from '../log.js'
import { ScopeFeed } from '../realtime/scope-feed.js'
import type { IncidentRepository } from '../store/repository.js'
import { createSqliteRepository } from '../store/sqlite/sqlite-repository.js'

const AGGREGATE_WINDOW_MS = 48 * 3_600_000

/** The working calendar as loaded now; `reload` reads the files again (POST /api/v1/calendar/reload). */
export interface CalendarHolder {
  current: () => WorkingCalendar
  reload: () => WorkingCalendar
}

/** What is read from the store at start and kept in memory: the store itself, the clock, live counts, KPIs, rollups. */
export interface Stores {
  repo: IncidentRepository
  clock: AppClock
  now: () => number
  calendar: CalendarHolder
  aggregates: LiveAggregates
  feed: ScopeFeed
  kpis: ReturnType<typeof maintainedKpis>
  drill: Awaited<ReturnType<typeof createAnalysis>>
}

/** Opens the store (or takes the injected one) and loads what the app keeps in memory from it. */
export async function openStores(config: AppConfig, geo: CityGeo, log: Logger, deps: { repo?: IncidentRepository, clock?: AppClock, now?: () => number }): Promise<Stores> {
  // the working calendar (issue #11): schedule files in CALENDAR_DIR beat chinese-days beat the statutory holidays
  // (the app's clock needs the store, which opens after: so the first load logs its warnings against the wall clock)
  const loadCalendar = (atMs: number): WorkingCalendar => {
    const calendar = loadConfiguredCalendar(config, (msg, data) => log.warn(msg, data))
    calendar.warnings(atMs, geo.info.utcOffsetMinutes) // logs the statutory-only years now, not at the first deadline
    return calendar
  }
  let calendar = loadCalendar(deps.now?.() ?? Date.now()) // before the store opens: an invalid file stops the start with nothing to clean up
  // a history seed that was interrupted still owes its indexes and rollups: they are built here, before any read
  const repo = deps.repo ?? createSqliteRepository({
    dataDir: config.dataDir,
    onDeferredBuild: (name, ms, left) => log.warn('built what an interrupted seed left owing', { name, ms: Math.round(ms), left }),
    ...config.reads.workers !== null && { readWorkers: config.reads.workers },
    readQueue: config.reads.maxQueue,
    onReadWorkerExit: info => log.error('a read worker stopped; replaced', info),
    writerThread: config.writerThread,
    onWriterExit: info => log.error('the store writer stopped; a new one starts with the next write', info),
  })
  const clock = deps.clock ?? (deps.now ? { now: deps.now, rate: 1 } : await clockFor(config.simulator, repo))
  const now = clock.now

  const aggregates = new LiveAggregates(geo.info.utcOffsetMinutes, now)
  aggregates.seed(await repo.reportedSince(now() - AGGREGATE_WINDOW_MS), await repo.openCounts(OPEN_STATUSES))
  const feed = new ScopeFeed(repo, aggregates)
  // KPI counts kept current by every stored change (issue #13), rebuilt from the store on the read pool meanwhile
  const kpis = maintainedKpis({ repo, utcOffsetMinutes: geo.info.utcOffsetMinutes, now, onError: err => log.error('maintained KPI counts failed to build; the store answers', { error: String(err) }) })
  // drill-down (issue #4): the rollup cube, loaded from the store and kept current by its rollup listener
  // (a snapshot in DATA_DIR from the last clean shutdown when nothing was written since; else read from the store)
  const drill = await createAnalysis({ geo, repo, now, kpis, snapshotFile: deps.repo || config.dataDir === ':memory:' ? null : path.join(config.dataDir, ANALYSIS_SNAPSHOT) })
  void drill.warm.then(() => log.info('drill-down rollups in memory', {
    from: drill.stats.snapshot ? 'snapshot' : 'store', days: drill.stats.days, rows: drill.stats.rows, ms: Math.round(drill.stats.ms), mb: Math.round(drill.cube.bytes / 1e6),
  }))
  feed.appliedSeq = await repo.currentSeq()
  return {
    repo, clock, now, aggregates, feed, kpis, drill,
    calendar: { current: () => calendar, reload: () => (calendar = loadCalendar(now())) },
  }
}
