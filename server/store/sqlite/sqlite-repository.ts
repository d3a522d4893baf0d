import { mkdirSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { type Incident, newIncident } from '../../../shared/incident.js'
import type { CaseStatus } from '../../../shared/workflow/states.js'
import type { CaseChange, CaseChangeOutcome, ChangeListener, IncidentRepository, InsertOutcome, NewIncident, OpenCount, WithinInsert } from '../repository.js'
import { migrate } from './migrations.js'
import { scopeClause } from './scope-clause.js'
import { alarmQueries, alarmRaiser } from './alarm-queries.js'
import { deferBuilds, pendingBuilds, ROLLUP_BUILD, ROLLUP_REBUILD_SQL, runDeferredBuilds } from './bulk.js'
import { campaignQueries } from './campaign-queries.js'
import { caseQueries } from './case-queries.js'
import { kpiCountsQuery } from './kpi-counts.js'
import { authQueries } from './auth-queries.js'
import { displayLinkQueries } from './display-link-queries.js'
import { deviceQueries } from './device-queries.js'
import { historyImport } from './history-import.js'
import { analysisReads } from './analysis-reads.js'
import { ReadPool } from './read-pool/read-pool.js'
import type { ReadTask, ReadTasks } from './read-pool/protocol.js'
import { open311Queries } from './open311-queries.js'
import { rollupStatements } from './rollup.js'
import { fromRow, INCIDENT_COLUMNS, type IncidentRow, toValues } from './row-mapping.js'

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

/** How long rollup upkeep may wait after a write, and how many new rows make it fold at once (≈ 40 ms of work). */
const ROLLUP_FOLD_DELAY_MS = 1000
const ROLLUP_FOLD_ROWS = 20_000

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

const HASH_COLUMN = INCIDENT_COLUMNS.indexOf('content_hash')

/** The one insert statement, shared with the benchmark's raw baseline so both bind the same way. */
export function insertSql(): string {
  return `INSERT INTO incidents (${INCIDENT_COLUMNS.join(', ')}) VALUES (${INCIDENT_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT(id) DO NOTHING`
}

export function createSqliteRepository(opts: SqliteOptions): IncidentRepository {
  const file = opts.dataDir === ':memory:' ? ':memory:' : path.join(opts.dataDir, opts.fileName ?? 'citybrain.sqlite')
  const db = openDatabase(file)
  if (opts.cacheMb !== undefined) db.pragma(`cache_size = ${-Math.round(opts.cacheMb * 1024)}`)
  if (!opts.bulk) runDeferredBuilds(db, opts.onDeferredBuild)
  // while a bulk load is under way: no rollup upkeep (rebuilt at the end), and a rollback journal (appended pages are
  // not journalled, where WAL writes every page twice)
  let bulk = pendingBuilds(db).some(b => b.name === ROLLUP_BUILD)
  if (bulk) db.pragma('journal_mode = DELETE')
  const upkeep = opts.rollupUpkeep !== false
  // rowids renumbered behind the rollup's back (only a VACUUM after deletions could): count everything again
  if (!bulk && (db.prepare('SELECT folded_rowid FROM rollup_state').pluck().get() as number) > (db.prepare('SELECT COALESCE(MAX(rowid), 0) FROM incidents').pluck().get() as number)) {
    db.transaction(() => db.exec(ROLLUP_REBUILD_SQL))()
  }
  const insert = db.prepare(insertSql())
  const raiseAlarms = alarmRaiser(db)
  const byId = db.prepare<[string], IncidentRow>('SELECT * FROM incidents WHERE id = ?')
  const hashOf = db.prepare<[string], string | null>('SELECT content_hash FROM incidents WHERE id = ?').pluck()
  const lastRowid = db.prepare('SELECT COALESCE(MAX(rowid), 0) FROM incidents').pluck()
  const rowidOf = db.prepare<[string], number>('SELECT rowid FROM incidents WHERE id = ?').pluck()
  // The counter lives in memory: one writer process owns the file (see docs/ARCHITECTURE.md).
  let seq = (db.prepare('SELECT COALESCE(MAX(seq), 0) FROM incidents').pluck().get() as number)
  const rollup = rollupStatements(db, { enabled: () => upkeep && !bulk })
  // Rollup upkeep is batched (server/store/sqlite/rollup.ts): a fold a second after writes, or at once (on the next
  // turn of the event loop) when many rows are owed, so that one fold covers many events but never blocks for long.
  let foldTimer: NodeJS.Timeout | null = null
  let foldSoon: NodeJS.Immediate | null = null
  const cancelFold = () => {
    if (foldTimer !== null) clearTimeout(foldTimer)
    if (foldSoon !== null) clearImmediate(foldSoon)
    foldTimer = null
    foldSoon = null
  }
  const foldNow = () => {
    cancelFold()
    try {
      rollup.fold()
    } catch {
      scheduleFold() // still owed: folded later, and in any case before rollup_hour is read
    }
  }
  const scheduleFold = () => {
    if (!upkeep || bulk || rollup.owed === 0) return
    if (rollup.owed >= ROLLUP_FOLD_ROWS) {
      foldSoon ??= setImmediate(foldNow)
    } else if (foldTimer === null) {
      foldTimer = setTimeout(foldNow, ROLLUP_FOLD_DELAY_MS)
      foldTimer.unref()
    }
  }
  const afterInsert = (n: number) => {
    rollup.inserted(n)
    scheduleFold()
  }
  const changeListeners = new Set<ChangeListener>()
  const notifyStored = (stored: readonly Incident[]) => {
    for (const l of changeListeners) for (const i of stored) l(null, i)
  }

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
        analysisIncidents: pooled('analysisIncidents'), analysisPoints: pooled('analysisPoints'), overdueOpen: pooled('overdueOpen'),
        campaignFacts: pooled('campaignFacts'), open311Requests: pooled('open311Requests'), overdueWithoutAlarm: pooled('overdueWithoutAlarm'),
      }
    : {}

  const insertMany = db.transaction((rows: NewIncident[], receivedAt: string, within: WithinInsert | undefined): InsertOutcome => {
    const stored: Incident[] = []
    const duplicates = new Set<string>()
    const conflicts = new Set<number>()
    rows.forEach(({ input, location }, k) => {
      const incident = newIncident(input, location, seq + 1, receivedAt)
      const values = toValues(incident)
      if (insert.run(values).changes === 1) {
        seq += 1
        // a step for the new row (a duplicate proposal) in the same commit: one disk sync for both
        const change = within?.step?.(incident) ?? null
        const applied = change ? applyChange(change) : null
        stored.push(applied?.kind === 'applied' ? applied.incident : incident)
        return
      }
      duplicates.add(input.id)
      // rows written before migration 19, or by the history seed, carry no hash: those stay plain duplicates
      const was = hashOf.get(input.id)
      if (typeof was === 'string' && was !== values[HASH_COLUMN]) conflicts.add(k)
    })
    // nothing for the rollup here: the new rows are what the next fold counts
    const candidates = within?.alarms && stored.length > 0 ? within.alarms(stored) : []
    return { stored, duplicates, conflicts, alarms: candidates.length > 0 ? raiseAlarms(candidates) : [] }
  })

  // department, deadline and dispatch time: a return clears them (the centre dispatches again), else kept or replaced
  const update = db.prepare(`UPDATE incidents SET status = ?, version = version + 1, seq = ?,
    department = CASE WHEN ? THEN NULL ELSE COALESCE(?, department) END, deadline = CASE WHEN ? THEN NULL ELSE COALESCE(?, deadline) END,
    rework_count = rework_count + ?, postponed_count = postponed_count + ?,
    filed_at = COALESCE(filed_at, ?), dispatched_at = CASE WHEN ? THEN NULL ELSE COALESCE(?, dispatched_at) END,
    handled_at = CASE WHEN ? THEN NULL ELSE COALESCE(?, handled_at) END,
    closed_at = COALESCE(?, closed_at), reminders = reminders + ?, escalated_at = COALESCE(escalated_at, ?),
    duplicate_of = CASE WHEN ? THEN ? ELSE duplicate_of END, merged_into = COALESCE(?, merged_into), feedback = COALESCE(?, feedback),
    dispatch_count = dispatch_count + ?, return_count = return_count + ?, self_handled = MAX(self_handled, ?),
    evidence_photo = COALESCE(?, evidence_photo), assisting_departments = CASE WHEN ? THEN ? ELSE assisting_departments END,
    postpone_request_deadline = CASE WHEN ? THEN ? ELSE postpone_request_deadline END,
    postpone_request_reason = CASE WHEN ? THEN ? ELSE postpone_request_reason END,
    postpone_requested_at = CASE WHEN ? THEN ? ELSE postpone_requested_at END
    WHERE id = ? AND version = ?`)
  const audit = db.prepare('INSERT INTO case_events (incident_id, seq, at, actor, action, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
  const events = db.prepare<[string], { seq: number, at: string, actor: string, action: string, from_status: string, to_status: string, note: string | null }>(
    'SELECT seq, at, actor, action, from_status, to_status, note FROM case_events WHERE incident_id = ? ORDER BY id')

  // `moved`: the case's state before the change when its rollup key changed (listeners hear of it after commit)
  type Applied = Exclude<CaseChangeOutcome, { kind: 'applied' }> | (Extract<CaseChangeOutcome, { kind: 'applied' }> & { moved: Incident | null, before: Incident })
  const applyChange = db.transaction((c: CaseChange): Applied => {
    const row = byId.get(c.id)
    if (!row) return { kind: 'not-found' }
    const current = fromRow(row)
    if (current.version !== c.expectedVersion) return { kind: 'stale', current }
    const next = seq + 1
    const ret = c.returned ? 1 : 0
    // a return also drops the assisting departments and any pending request
    const assisting = c.returned ? [] : c.assisting
    const request = c.returned ? null : c.postponeRequest
    const setRequest = request !== undefined ? 1 : 0
    update.run(c.to, next, ret, c.department ?? null, ret, c.deadline ?? null, c.rework ? 1 : 0, c.postponed ? 1 : 0,
      c.filedAt ?? null, ret, c.dispatchedAt ?? null, c.clearHandled ? 1 : 0, c.handledAt ?? null, c.closedAt ?? null, c.reminder ? 1 : 0, c.escalatedAt ?? null,
      c.duplicateOf !== undefined ? 1 : 0, c.duplicateOf ?? null, c.mergedInto ?? null, c.feedback ?? null,
      c.dispatchedAt !== undefined ? 1 : 0, ret, c.selfHandled ? 1 : 0,
      c.evidencePhoto ?? null, assisting !== undefined ? 1 : 0, assisting && assisting.length > 0 ? JSON.stringify(assisting) : null,
      setRequest, request?.deadline ?? null, setRequest, request?.reason ?? null, setRequest, request?.at ?? null, c.id, c.expectedVersion)
    audit.run(c.id, next, c.at, c.actor, c.action, current.status, c.to, c.note ?? null)
    seq = next
    const incident = fromRow(byId.get(c.id)!)
    return { kind: 'applied', incident, from: current.status, moved: rollup.moved(current, incident, rowidOf.get(c.id)!) ? current : null, before: current }
  })

  // many changes in one commit (each a savepoint inside it); on a failed commit `seq` goes back to where it was
  const applyChangesTx = db.transaction((cs: readonly CaseChange[]): Applied[] => cs.map(c => applyChange(c)))
  function applyChanges(cs: readonly CaseChange[]): Applied[] {
    const before = seq
    try {
      return applyChangesTx(cs)
    } catch (err) {
      seq = before
      throw err
    }
  }
  /** After commit: rollup listeners hear of cases whose rollup key moved. */
  function settleChange(outcome: Applied): CaseChangeOutcome {
    if (outcome.kind !== 'applied') return outcome
    if (outcome.moved) {
      rollup.notify(outcome.moved, -1)
      rollup.notify(outcome.incident, 1)
      scheduleFold()
    }
    for (const l of changeListeners) l(outcome.before, outcome.incident)
    return { kind: 'applied', incident: outcome.incident, from: outcome.from }
  }

  return {
    async insertIncidents(rows, receivedAt, within) {
      const before = seq
      let outcome: InsertOutcome
      try {
        outcome = insertMany(rows, receivedAt, within)
      } catch (err) {
        seq = before // the transaction rolled back: so must the counter
        throw err
      }
      if (rollup.listeners.size > 0) for (const i of outcome.stored) rollup.notify(i, 1)
      afterInsert(outcome.stored.length)
      notifyStored(outcome.stored)
      return outcome
    },
    async getIncident(id) {
      const row = byId.get(id)
      return row ? fromRow(row) : null
    },
    async currentSeq() {
      return seq
    },
    async changedSince(afterSeq, scope, limit) {
      const { where, params } = scopeClause(scope)
      const rows = db.prepare(`SELECT * FROM incidents WHERE seq > ? AND ${where} ORDER BY seq LIMIT ?`).all(afterSeq, ...params, limit) as IncidentRow[]
      return rows.map(fromRow)
    },
    async recent(scope, limit) {
      const { where, params } = scopeClause(scope)
      const rows = db.prepare(`SELECT * FROM incidents WHERE ${where} ORDER BY reported_ms DESC, seq DESC LIMIT ?`).all(...params, limit) as IncidentRow[]
      return rows.map(fromRow)
    },
    async reportedSince(sinceMs) {
      const rows = db.prepare('SELECT * FROM incidents WHERE reported_ms >= ?').all(sinceMs) as IncidentRow[]
      return rows.map(fromRow)
    },
    async openCounts(openStatuses: readonly CaseStatus[]) {
      const marks = openStatuses.map(() => '?').join(', ')
      return db.prepare(`SELECT district, street, COUNT(*) AS count FROM incidents WHERE status IN (${marks}) GROUP BY district, street`).all(...openStatuses) as OpenCount[]
    },
    async openCases(openStatuses, limit) {
      const marks = openStatuses.map(() => '?').join(', ')
      return (db.prepare(`SELECT * FROM incidents WHERE status IN (${marks}) ORDER BY seq LIMIT ?`).all(...openStatuses, limit) as IncidentRow[]).map(fromRow)
    },
    async applyCaseChange(change) {
      return settleChange(applyChange(change))
    },
    async applyCaseChanges(changes) {
      return applyChanges(changes).map(settleChange)
    },
    async caseEvents(id) {
      return events.all(id).map(e => ({ seq: e.seq, at: e.at, actor: e.actor, action: e.action, from: e.from_status, to: e.to_status, ...(e.note !== null && { note: e.note }) }))
    },
    ...caseQueries(db),
    ...kpiCountsQuery(db),
    ...analysisReads(db),
    ...alarmQueries(db),
    ...displayLinkQueries(db),
    ...campaignQueries(db),
    ...open311Queries(db),
    ...deviceQueries(db),
    auth: authQueries(db),
    watchRollup: listener => rollup.watch(listener),
    async eachRollupRow(fromHour, toHour, visit) {
      return rollup.each(fromHour, toHour, visit)
    },
    async rollupHours() {
      return rollup.hours()
    },
    ...historyImport(db, rollup, { get: () => seq, set: (v) => { seq = v } }, afterInsert, notifyStored),
    ...reads,
    watchChanges(listener) {
      changeListeners.add(listener)
      return () => { changeListeners.delete(listener) }
    },
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
      rollup.rebuilt()
      if (bulk) db.pragma('journal_mode = WAL')
      bulk = false
    },
    async rollupVersion() {
      return `${seq}:${lastRowid.get() as number}`
    },
    async flushRollup() {
      foldNow()
    },
    async close() {
      cancelFold()
      await pool?.close()
      try {
        rollup.fold() // what is still owed; if this fails it stays owed and the next open folds it
      } finally {
        db.close()
      }
    },
  }
}
