import { mkdirSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { IncidentRepository } from '../repository.js'
import { migrate } from './migrations.js'
import { alarmQueries } from './alarm-queries.js'
import { pendingBuilds, ROLLUP_BUILD, ROLLUP_REBUILD_SQL, runDeferredBuilds } from './bulk.js'
import { campaignQueries } from './campaign-queries.js'
import { caseAuditQueries } from './case-audit-queries.js'
import { caseQueries } from './case-queries.js'
import { caseWrites, changeFeed } from './case-writes.js'
import { configureConnection } from './connection.js'
import { kpiCountsQuery } from './kpi-counts.js'
import { authQueries } from './auth-queries.js'
import { displayLinkQueries } from './display-link-queries.js'
import { deviceQueries } from './device-queries.js'
import { historyReads } from './history-import.js'
import { analysisReads } from './analysis-reads.js'
import { incidentReads } from './incident-reads.js'
import { ReadPool } from './read-pool/read-pool.js'
import type { ReadTask, ReadTasks } from './read-pool/protocol.js'
import { open311Queries } from './open311-queries.js'
import { rollupListeners } from './rollup.js'
import { rollupQueries } from './rollup-upkeep.js'
import { inlineWriter, type StoreWriter, ThreadWriter } from './writer/store-writer.js'
import { writeTasks } from './writer/write-tasks.js'

export { insertSql } from './row-mapping.js'

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
  /**
   * true: incidents, their trail and the rollup are written by the writer thread (writer/), off the calling thread
   * (the server). Otherwise, and always for an in-memory database or a bulk load, on the calling thread.
   */
  writerThread?: boolean
  /** Told when the writer thread died (a new one starts for the next write). */
  onWriterExit?: (info: { code: number, error?: string }) => void
}

/**
 * One read worker by default, two at most: the main thread needs a core of its own for acks, pings and pushes, and
 * on this 2-core host a second reader only time-slices with the first and with the main thread (SQLite reads from
 * a warm page cache are CPU-bound), so it adds queueing on the CPU rather than throughput.
 */
export const DEFAULT_READ_WORKERS = Math.max(1, Math.min(2, availableParallelism() - 1))
export const DEFAULT_READ_QUEUE = 256

/** WAL + synchronous=FULL (connection.ts), migrated to the current schema. */
export function openDatabase(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true })
  const db = configureConnection(new Database(file))
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
  const bulk = pendingBuilds(db).some(b => b.name === ROLLUP_BUILD)
  if (bulk) db.pragma('journal_mode = DELETE')
  const upkeepOn = opts.rollupUpkeep !== false
  // rowids renumbered behind the rollup's back (only a VACUUM after deletions could): count everything again
  if (!bulk && (db.prepare('SELECT folded_rowid FROM rollup_state').pluck().get() as number) > (db.prepare('SELECT COALESCE(MAX(rowid), 0) FROM incidents').pluck().get() as number)) {
    db.transaction(() => db.exec(ROLLUP_REBUILD_SQL))()
  }
  // Writes that hand out seqs go through one writer, in order (writer/): on its own thread when asked and possible.
  // The seq lives in the writer's memory: one writer process owns the file (see docs/ARCHITECTURE.md).
  const threaded = opts.writerThread === true && file !== ':memory:' && !bulk && !opts.bulk
  // SQLite checkpoints in whichever connection commits past 1,000 WAL pages: copying the writer's pages and syncing
  // the file is the writer's work, never the main thread's after one of its rare writes (a session, an acknowledgement)
  if (threaded) db.pragma('wal_autocheckpoint = 0')
  const writer: StoreWriter = threaded
    ? new ThreadWriter({ file, rollupUpkeep: upkeepOn }, db.prepare('SELECT COALESCE(MAX(seq), 0) FROM incidents').pluck().get() as number, opts.onWriterExit)
    : inlineWriter(writeTasks(db, { rollupUpkeep: upkeepOn }))
  const rollupHeard = rollupListeners()
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
    ...caseWrites(db, writer, rollupHeard, feed),
    ...incidentReads(db),
    async currentSeq() {
      return writer.seq()
    },
    watchChanges: feed.watchChanges,
    ...caseQueries(db),
    ...caseAuditQueries(db),
    ...kpiCountsQuery(db),
    ...analysisReads(db),
    ...rollupQueries(db, writer, rollupHeard),
    ...alarmQueries(db),
    ...displayLinkQueries(db),
    ...campaignQueries(db),
    ...open311Queries(db),
    ...deviceQueries(db),
    auth: authQueries(db),
    ...historyReads(db),
    async importHistory(records, cp) {
      const stored = (await writer.run('importHistory', records, cp)).map(k => records[k]!.incident)
      if (rollupHeard.size > 0) for (const i of stored) rollupHeard.notify(i, 1)
      feed.notifyStored(stored)
      return stored.length
    },
    ...reads,
    readPoolStats: () => pool?.stats() ?? null,
    writerStats: () => writer.stats(),
    async beginBulkImport() {
      await writer.run('beginBulkImport')
    },
    async finishBulkImport(onBuilt) {
      // inline (the seed's bulk load always is): told as each index is built, which takes minutes on a year
      if (writer.stats().mode === 'inline') await writer.run('finishBulkImport', onBuilt)
      else for (const b of await writer.run('finishBulkImport')) onBuilt?.(b.name, b.ms, b.left)
    },
    async close() {
      await pool?.close()
      try {
        await writer.close() // folds what the rollup is still owed; if that fails it stays owed and the next open folds it
      } finally {
        db.close()
      }
    },
  }
}
