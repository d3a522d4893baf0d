import { mkdirSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { IncidentRepository } from '../repository.js'
import { migrate } from './migrations.js'
import { alarmQueries } from './alarm-queries.js'
import { deferBuilds, pendingBuilds, ROLLUP_BUILD, ROLLUP_REBUILD_SQL, runDeferredBuilds } from './bulk.js'
import { campaignQueries } from './campaign-queries.js'
import { caseAuditQueries } from './case-audit-queries.js'
import { caseQueries } from './case-queries.js'
import { caseWrites, changeFeed, type SeqCounter } from './case-writes.js'
import { kpiCountsQuery } from './kpi-counts.js'
import { authQueries } from './auth-queries.js'
import { displayLinkQueries } from './display-link-queries.js'
import { deviceQueries } from './device-queries.js'
import { historyImport } from './history-import.js'
import { analysisReads } from './analysis-reads.js'
import { incidentReads } from './incident-reads.js'
import { ReadPool } from './read-pool/read-pool.js'
import type { ReadTask, ReadTasks } from './read-pool/protocol.js'
import { open311Queries } from './open311-queries.js'
import { rollupQueries, rollupUpkeep } from './rollup-upkeep.js'

export { insertSql } from './case-writes.js'

export interface SqliteOptions {
  dataDir: string
  fileName?: string
  /** Page cache in MB (SQLite's default is 2): the bulk history import keeps every index's insertion points cached. */
  cacheMb?: number
  /**
   * Opened by a bulk loader (the history seed): builds a bulk load deferred (server/store/sqlite/bulk.ts) are left to
   * its `finishBulkImport`. Anything else builds them on open, before it reads.
   */
  bulk?: boolean
  /**
   * false: no rollup upkeep on insert. For bench/analysis.ts only, which measures what the upkeep costs ingest; the
   * drill-down is wrong without it.
   */
  rollupUpkeep?: boolean
  /** Told of each deferred build done on open (they take a while on millions of rows). */
  onDeferredBuild?: (name: string, ms: number, left: number) => void
  /** Read worker threads (issue #13; default DEFAULT_READ_WORKERS); 0 runs the slow reads on the calling thread. */
  readWorkers?: number
  /** Reads that may wait for a read worker before one more is refused (503). */
  readQueue?: number
  /** Told when a read worker died (it is replaced). */
  onReadWorkerExit?: (info: { threadId: number, code: number, error?: string }) => void
}

/**
 * One read worker by default, two at most: the main thread needs a core of its own for acks, pings and pushes, and
 * on this 2-core host a second reader only time-slices with the first and with the main thread (SQLite reads from
 * a warm page cache are CPU-bound), so it adds queueing on the CPU rather than throughput.
 */
export const DEFAULT_READ_WORKERS = Math.max(1, Math.min(2, availableParallelism() - 1))
export const DEFAULT_READ_QUEUE = 256

/** WAL + synchronous=FULL: a transaction that returned is on disk, so an acknowledged event survives a crash. */
export function openDatabase(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true })
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  migrate(db)
  return db
}

/**
 * The SQLite store: one database file, one small module per repository (server/store/contracts/), composed here
 * around what they share — the connection, the in-memory seq, rollup upkeep, the change feed and the read pool.
 */
export function createSqliteRepository(opts: SqliteOptions): IncidentRepository {
  const file = opts.dataDir === ':memory:' ? ':memory:' : path.join(opts.dataDir, opts.fileName ?? 'citybrain.sqlite')
  const db = openDatabase(file)
  if (opts.cacheMb !== undefined) db.pragma(`cache_size = ${-Math.round(opts.cacheMb * 1024)}`)
  if (!opts.bulk) runDeferredBuilds(db, opts.onDeferredBuild)
  // while a bulk load is under way: no rollup upkeep (rebuilt at the end), and a rollback journal (appended pages are
  // not journalled, where WAL writes every page twice)
  let bulk = pendingBuilds(db).some(b => b.name === ROLLUP_BUILD)
  if (bulk) db.pragma('journal_mode = DELETE')
  const upkeepOn = opts.rollupUpkeep !== false
  // rowids renumbered behind the rollup's back (only a VACUUM after deletions could): count everything again
  if (!bulk && (db.prepare('SELECT folded_rowid FROM rollup_state').pluck().get() as number) > (db.prepare('SELECT COALESCE(MAX(rowid), 0) FROM incidents').pluck().get() as number)) {
    db.transaction(() => db.exec(ROLLUP_REBUILD_SQL))()
  }
  // The counter lives in memory: one writer process owns the file (see docs/ARCHITECTURE.md).
  let seq = (db.prepare('SELECT COALESCE(MAX(seq), 0) FROM incidents').pluck().get() as number)
  const counter: SeqCounter = { get: () => seq, set: (v) => { seq = v } }
  const upkeep = rollupUpkeep(db, () => upkeepOn && !bulk)
  const feed = changeFeed()

  // The reads that can take more than a few milliseconds run on worker threads with read-only connections (WAL: they
  // see every commit made before they start). An in-memory database cannot be opened by another thread: there
  // (tests) they run here, on the caller's thread, through the same functions.
  const readWorkers = opts.readWorkers ?? DEFAULT_READ_WORKERS
  const pool = file !== ':memory:' && readWorkers > 0
    ? new ReadPool({ file, size: readWorkers, maxQueue: opts.readQueue ?? DEFAULT_READ_QUEUE, onWorkerExit: opts.onReadWorkerExit })
    : null
  const pooled = <K extends ReadTask>(task: K): ReadTasks[K] => ((...args: Parameters<ReadTasks[K]>) => pool!.run(task, ...args)) as unknown as ReadTasks[K]
  const reads: Partial<ReadTasks> = pool
    ? {
        casePage: pooled('casePage'), listCases: pooled('listCases'), kpiCounts: pooled('kpiCounts'), kpiLedgerSource: pooled('kpiLedgerSource'),
        analysisIncidents: pooled('analysisIncidents'), analysisPoints: pooled('analysisPoints'),
        campaignFacts: pooled('campaignFacts'), open311Requests: pooled('open311Requests'), overdueWithoutAlarm: pooled('overdueWithoutAlarm'),
      }
    : {}

  return {
    ...caseWrites(db, counter, upkeep, feed),
    ...incidentReads(db),
    async currentSeq() {
      return seq
    },
    watchChanges: feed.watchChanges,
    ...caseQueries(db),
    ...caseAuditQueries(db),
    ...kpiCountsQuery(db),
    ...analysisReads(db),
    ...rollupQueries(db, upkeep, counter.get),
    ...alarmQueries(db),
    ...displayLinkQueries(db),
    ...campaignQueries(db),
    ...open311Queries(db),
    ...deviceQueries(db),
    auth: authQueries(db),
    ...historyImport(db, upkeep.rollup, counter, upkeep.afterInsert, feed.notifyStored),
    ...reads,
    readPoolStats: () => pool?.stats() ?? null,
    async beginBulkImport() {
      if (bulk) return
      if (db.prepare('SELECT 1 FROM incidents LIMIT 1').get() !== undefined) throw new Error('beginBulkImport: the database is not empty')
      deferBuilds(db)
      db.pragma('journal_mode = DELETE')
      bulk = true
    },
    async finishBulkImport(onBuilt) {
      runDeferredBuilds(db, onBuilt)
      upkeep.rollup.rebuilt()
      if (bulk) db.pragma('journal_mode = WAL')
      bulk = false
    },
    async close() {
      upkeep.cancelFold()
      await pool?.close()
      try {
        upkeep.rollup.fold() // what is still owed; if this fails it stays owed and the next open folds it
      } finally {
        db.close()
      }
    },
  }
}
