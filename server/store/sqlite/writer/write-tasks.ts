import type Database from 'better-sqlite3'
import type { Alarm } from '../../../../shared/alarms.js'
import type { Incident } from '../../../../shared/incident.js'
import { applyCaseChange, auditEntry } from '../../case-change.js'
import type { CaseChange, HistoryCheckpoint, HistoryRecord, NewAlarm } from '../../repository.js'
import { alarmRaiser } from '../alarm-queries.js'
import { deferBuilds, pendingBuilds, ROLLUP_BUILD, runDeferredBuilds } from '../bulk.js'
import { historyImportTx } from '../history-import.js'
import { rollupUpkeep } from '../rollup-upkeep.js'
import { fromRow, INCIDENT_COLUMNS, type IncidentRow, insertSql, WORKFLOW_COLUMNS, workflowValues } from '../row-mapping.js'

const SEQ_COLUMN = INCIDENT_COLUMNS.indexOf('seq')

/** One report's row to insert (toValues, its seq left for the writer), and the duplicate proposal written with it. */
export interface PlannedStep {
  /** The case after the step: status, version and the workflow columns (workflowValues). */
  status: string
  version: number
  workflow: (string | number | null)[]
  audit: { at: string, actor: string, action: string, from: string, to: string, note: string | null }
}

/**
 * An ingest commit as the main thread planned it: only reports that are new (not stored, nor in a commit still in
 * flight), each with its step or null, and the alarms they raise. The writer hands out the seqs.
 */
export interface InsertPlan {
  /**
   * The main thread's count of failed commits when it planned this one: a plan may rest on commits still in flight
   * (their ids are not new to it), so once one fails every plan made before the main thread heard of it is refused.
   */
  epoch: number
  rows: (string | number | null)[][]
  steps: (PlannedStep | null)[]
  alarms: readonly NewAlarm[]
}

export interface InsertDone {
  /** The seq before this commit: row k's seq follows, one more for each row and each step, in order. */
  seqBefore: number
  /** The stepped rows as stored (read back in the same transaction), in plan order. */
  stepped: Incident[]
  alarms: Alarm[]
}

/** A case change's outcome as the writer saw it (the main thread tells listeners). */
export type AppliedChange =
  | { kind: 'not-found' }
  | { kind: 'stale', current: Incident }
  | { kind: 'applied', incident: Incident, from: Incident['status'], before: Incident, moved: boolean }

/**
 * Everything that writes incidents, their audit trail or the rollup, and so hands out seqs: one connection, one
 * caller at a time, on the writer thread (store-writer.ts) or inline on the main thread (an in-memory database, the
 * seed's bulk load). Serialising them on one connection keeps seq order equal to commit order.
 */
export function writeTasks(db: Database.Database, opts: { rollupUpkeep: boolean }) {
  let bulk = pendingBuilds(db).some(b => b.name === ROLLUP_BUILD)
  let seq = db.prepare('SELECT COALESCE(MAX(seq), 0) FROM incidents').pluck().get() as number
  const upkeep = rollupUpkeep(db, () => opts.rollupUpkeep && !bulk)
  const { rollup } = upkeep
  const insert = db.prepare(insertSql())
  const raiseAlarms = alarmRaiser(db)
  const byId = db.prepare<[string], IncidentRow>('SELECT * FROM incidents WHERE id = ?')
  const rowidOf = db.prepare<[string], number>('SELECT rowid FROM incidents WHERE id = ?').pluck()
  const update = db.prepare(`UPDATE incidents SET status = ?, version = ?, seq = ?, ${WORKFLOW_COLUMNS.map(c => `${c} = ?`).join(', ')}
    WHERE id = ? AND version = ?`)
  const audit = db.prepare('INSERT INTO case_events (incident_id, seq, at, actor, action, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')

  const insertTx = db.transaction((plan: InsertPlan): InsertDone => {
    const seqBefore = seq
    let s = seq
    const stepped: Incident[] = []
    for (let k = 0; k < plan.rows.length; k++) {
      const values = plan.rows[k]!
      values[SEQ_COLUMN] = ++s
      // planned against what was stored and in flight, and only this connection inserts: not new now is a bug
      if (insert.run(values).changes !== 1) throw new Error(`id ${String(values[0])} was stored between the check and the commit`)
      const step = plan.steps[k]
      if (!step) continue
      const id = values[0] as string
      update.run(step.status, step.version, ++s, ...step.workflow, id, values[2])
      audit.run(id, s, step.audit.at, step.audit.actor, step.audit.action, step.audit.from, step.audit.to, step.audit.note)
      stepped.push(fromRow(byId.get(id)!))
    }
    const alarms = plan.alarms.length > 0 ? raiseAlarms(plan.alarms) : []
    seq = s
    return { seqBefore, stepped, alarms }
  })

  const applyChange = db.transaction((c: CaseChange): AppliedChange => {
    const row = byId.get(c.id)
    if (!row) return { kind: 'not-found' }
    const current = fromRow(row)
    if (current.version !== c.expectedVersion) return { kind: 'stale', current }
    const next = seq + 1
    const after = applyCaseChange(current, c)
    update.run(after.status, after.version, next, ...workflowValues(after), c.id, c.expectedVersion)
    const e = auditEntry(c, current.status)
    audit.run(c.id, next, e.at, e.actor, e.action, e.from, e.to, e.note ?? null)
    seq = next
    const incident = fromRow(byId.get(c.id)!)
    return { kind: 'applied', incident, from: current.status, before: current, moved: rollup.moved(current, incident, rowidOf.get(c.id)!) }
  })
  // many changes in one commit (each a savepoint inside it)
  const applyChangesTx = db.transaction((cs: readonly CaseChange[]): AppliedChange[] => cs.map(c => applyChange(c)))
  const importTx = historyImportTx(db, () => seq, (v) => { seq = v })

  /** The epoch of the last insert that failed (InsertPlan.epoch). */
  let failedEpoch = -1

  /** A transaction that throws rolled back: so must the counter. */
  function keepingSeq<T>(write: () => T): T {
    const before = seq
    try {
      return write()
    } catch (err) {
      seq = before
      throw err
    }
  }

  return {
    /** The seq of the last commit. */
    seq: (): number => seq,
    insert(plan: InsertPlan): InsertDone {
      if (plan.epoch <= failedEpoch) throw new Error('not stored: an earlier commit it was planned on failed')
      let done: InsertDone
      try {
        done = keepingSeq(() => insertTx(plan))
      } catch (err) {
        failedEpoch = plan.epoch
        throw err
      }
      upkeep.afterInsert(plan.rows.length) // counted at the next fold
      return done
    },
    applyChanges(changes: readonly CaseChange[]): AppliedChange[] {
      const applied = keepingSeq(() => changes.length === 1 ? [applyChange(changes[0]!)] : applyChangesTx(changes))
      if (applied.some(a => a.kind === 'applied' && a.moved)) upkeep.scheduleFold()
      return applied
    },
    /** The seed's history: positions in `records` of those stored. */
    importHistory(records: HistoryRecord[], cp: HistoryCheckpoint): number[] {
      const stored = keepingSeq(() => importTx(records, cp))
      upkeep.afterInsert(stored.length) // counted in the rollup at the next fold (a bulk load: when it finishes)
      return stored
    },
    fold(): void {
      upkeep.foldNow()
    },
    beginBulkImport(): void {
      if (bulk) return
      if (db.prepare('SELECT 1 FROM incidents LIMIT 1').get() !== undefined) throw new Error('beginBulkImport: the database is not empty')
      deferBuilds(db)
      db.pragma('journal_mode = DELETE')
      bulk = true
    },
    /** `onBuilt`, as each build is done: inline only (a function cannot be sent to the thread, which returns the list). */
    finishBulkImport(onBuilt?: (name: string, ms: number, left: number) => void): { name: string, ms: number, left: number }[] {
      const built: { name: string, ms: number, left: number }[] = []
      runDeferredBuilds(db, (name, ms, left) => {
        built.push({ name, ms, left })
        onBuilt?.(name, ms, left)
      })
      rollup.rebuilt()
      if (bulk) db.pragma('journal_mode = WAL')
      bulk = false
      return built
    },
    /** What is still owed to the rollup is folded; if that fails it stays owed and the next open folds it. */
    close(): void {
      upkeep.cancelFold()
      rollup.fold()
    },
  }
}

export type WriteTasks = ReturnType<typeof writeTasks>
