import type Database from 'better-sqlite3'
import type { HistoryCheckpoint, HistoryImportRepository, HistoryRecord } from '../repository.js'
import type { rollupStatements } from './rollup.js'
import { INCIDENT_COLUMNS, toValues, WORKFLOW_COLUMNS, workflowValues } from './row-mapping.js'

const SEQ_COLUMN = INCIDENT_COLUMNS.indexOf('seq')

type SeqCounter = { get: () => number, set: (v: number) => void }

/** The history import of `npm run seed` (the drill-down's raw reads are in analysis-reads.ts: they run on the read pool). */
export function historyImport(db: Database.Database, rollup: ReturnType<typeof rollupStatements>, seq: SeqCounter,
  afterInsert: (n: number) => void, notifyStored: (stored: readonly HistoryRecord['incident'][]) => void):
  Pick<HistoryImportRepository, 'importHistory' | 'historyCheckpoint' | 'isEmpty'> {
  // the row a live report and its steps leave (the same mapping: row-mapping.ts), written in one go
  const columns = [...INCIDENT_COLUMNS, ...WORKFLOW_COLUMNS]
  const insertFull = db.prepare(`INSERT INTO incidents (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT(id) DO NOTHING`)
  const audit = db.prepare('INSERT INTO case_events (incident_id, seq, at, actor, action, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
  // trails are written 64 rows per statement: a year of history has ~25 M of them
  const AUDIT_ROWS = 64
  const auditMany = db.prepare(`INSERT INTO case_events (incident_id, seq, at, actor, action, from_status, to_status, note) VALUES
    ${Array.from({ length: AUDIT_ROWS }, () => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`)
  const checkpoint = db.prepare(`INSERT INTO history_imports (key, params, done_ms, rows, updated_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT(key) DO UPDATE SET done_ms = excluded.done_ms, rows = excluded.rows, updated_at = excluded.updated_at`)
  const readCheckpoint = db.prepare<[string], { key: string, params: string, done_ms: number, rows: number }>('SELECT key, params, done_ms, rows FROM history_imports WHERE key = ?')
  const anyIncident = db.prepare('SELECT 1 FROM incidents LIMIT 1').pluck()

  const importTx = db.transaction((records: HistoryRecord[], cp: HistoryCheckpoint): HistoryRecord['incident'][] => {
    const stored: HistoryRecord['incident'][] = []
    const pending: unknown[] = []
    let s = seq.get()
    for (const { incident: i, events } of records) {
      const first = s + 1
      const last = first + events.length
      const row = toValues(i)
      row[SEQ_COLUMN] = last
      const changed = insertFull.run(row, workflowValues(i)).changes
      if (changed === 0) continue
      for (let k = 0; k < events.length; k++) {
        const e = events[k]!
        pending.push(i.id, first + 1 + k, e.at, e.actor, e.action, e.from, e.to, e.note ?? null)
        if (pending.length === AUDIT_ROWS * 8) {
          auditMany.run(pending)
          pending.length = 0
        }
      }
      s = last
      stored.push(i)
    }
    for (let k = 0; k < pending.length; k += 8) audit.run(pending.slice(k, k + 8))
    checkpoint.run(cp.key, cp.params, cp.doneMs, cp.rows + stored.length, new Date().toISOString())
    seq.set(s)
    return stored
  })

  return {
    async importHistory(records, cp) {
      const before = seq.get()
      let stored: HistoryRecord['incident'][]
      try {
        stored = importTx(records, cp)
      } catch (err) {
        seq.set(before)
        throw err
      }
      if (rollup.listeners.size > 0) for (const i of stored) rollup.notify(i, 1)
      afterInsert(stored.length) // counted in the rollup at the next fold (a bulk load: when it finishes)
      notifyStored(stored)
      return stored.length
    },
    async historyCheckpoint(key) {
      const r = readCheckpoint.get(key)
      return r ? { key: r.key, params: r.params, doneMs: r.done_ms, rows: r.rows } : null
    },
    async isEmpty() {
      return anyIncident.get() === undefined
    },
  }
}
