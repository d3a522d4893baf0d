import type Database from 'better-sqlite3'
import type { HistoryCheckpoint, HistoryImportRepository, HistoryRecord } from '../repository.js'
import { INCIDENT_COLUMNS, toValues, WORKFLOW_COLUMNS, workflowValues } from './row-mapping.js'

const SEQ_COLUMN = INCIDENT_COLUMNS.indexOf('seq')

/**
 * The history import of `npm run seed` as one transaction: a record's row as a live report and its steps leave it
 * (the same mapping: row-mapping.ts) and its trail. Returns the positions of the records stored (new ids). Run by
 * the store's writer (writer/write-tasks.ts), which owns the seq.
 */
export function historyImportTx(db: Database.Database, seq: () => number, setSeq: (v: number) => void) {
  const columns = [...INCIDENT_COLUMNS, ...WORKFLOW_COLUMNS]
  const insertFull = db.prepare(`INSERT INTO incidents (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT(id) DO NOTHING`)
  const audit = db.prepare('INSERT INTO case_events (incident_id, seq, at, actor, action, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
  // trails are written 64 rows per statement: a year of history has ~25 M of them
  const AUDIT_ROWS = 64
  const auditMany = db.prepare(`INSERT INTO case_events (incident_id, seq, at, actor, action, from_status, to_status, note) VALUES
    ${Array.from({ length: AUDIT_ROWS }, () => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`)
  const checkpoint = db.prepare(`INSERT INTO history_imports (key, params, done_ms, rows, updated_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT(key) DO UPDATE SET done_ms = excluded.done_ms, rows = excluded.rows, updated_at = excluded.updated_at`)

  return db.transaction((records: HistoryRecord[], cp: HistoryCheckpoint): number[] => {
    const stored: number[] = []
    const pending: unknown[] = []
    let s = seq()
    records.forEach(({ incident: i, events }, at) => {
      const first = s + 1
      const last = first + events.length
      const row = toValues(i)
      row[SEQ_COLUMN] = last
      const changed = insertFull.run(row, workflowValues(i)).changes
      if (changed === 0) return
      for (let k = 0; k < events.length; k++) {
        const e = events[k]!
        pending.push(i.id, first + 1 + k, e.at, e.actor, e.action, e.from, e.to, e.note ?? null)
        if (pending.length === AUDIT_ROWS * 8) {
          auditMany.run(pending)
          pending.length = 0
        }
      }
      s = last
      stored.push(at)
    })
    for (let k = 0; k < pending.length; k += 8) audit.run(pending.slice(k, k + 8))
    checkpoint.run(cp.key, cp.params, cp.doneMs, cp.rows + stored.length, new Date().toISOString())
    setSeq(s)
    return stored
  })
}

/** The seed's checkpoint reads (the import itself is the writer's: historyImportTx). */
export function historyReads(db: Database.Database): Pick<HistoryImportRepository, 'historyCheckpoint' | 'isEmpty'> {
  const readCheckpoint = db.prepare<[string], { key: string, params: string, done_ms: number, rows: number }>('SELECT key, params, done_ms, rows FROM history_imports WHERE key = ?')
  const anyIncident = db.prepare('SELECT 1 FROM incidents LIMIT 1').pluck()
  return {
    async historyCheckpoint(key) {
      const r = readCheckpoint.get(key)
      return r ? { key: r.key, params: r.params, doneMs: r.done_ms, rows: r.rows } : null
    },
    async isEmpty() {
      return anyIncident.get() === undefined
    },
  }
}
