import type Database from 'better-sqlite3'
import type { DrillPoints } from '../../../shared/analysis.js'
import type { Severity } from '../../../shared/schemas/incident.js'
import type { DrillRawQuery, HistoryCheckpoint, HistoryRecord, IncidentRepository, OverdueCount } from '../repository.js'
import { fromRow, type IncidentRow } from './row-mapping.js'
import type { rollupStatements } from './rollup.js'

const SEVERITY_RANK = `CASE severity WHEN 'critical' THEN 3 WHEN 'high' THEN 2 WHEN 'normal' THEN 1 ELSE 0 END`
const STATUS_RANK = `CASE status WHEN 'reported' THEN 0 WHEN 'filed' THEN 1 WHEN 'dispatched' THEN 2 WHEN 'postponed' THEN 3
  WHEN 'handled' THEN 4 WHEN 'verified' THEN 5 WHEN 'closed' THEN 6 WHEN 'rejected' THEN 7 ELSE 8 END`
const SORT_COLUMN = { reportedAt: 'reported_ms', category: 'category', source: 'source', severity: SEVERITY_RANK, status: STATUS_RANK } as const

/**
 * WHERE clause of a drill-down raw read. A district or the whole city is read along the report-time index (the unary
 * `+` keeps SQLite off the district index, which would sort a year of a district for one page); a street, community
 * or cell along (community, reported_ms).
 */
export function drillWhere(q: DrillRawQuery, params: unknown[]): string {
  const parts = ['reported_ms >= ?', 'reported_ms < ?']
  params.push(q.fromMs, q.toMs)
  const { area, filters } = q
  if (area.communities && area.communities.length > 0) {
    parts.push(`community IN (${area.communities.map(() => '?').join(', ')})`)
    params.push(...area.communities)
  } else if (area.district) {
    parts.push('+district = ?')
    params.push(area.district)
  }
  if (area.cell) {
    parts.push('cell = ?')
    params.push(area.cell)
  }
  if (filters.category !== undefined) {
    if (filters.category.length === 2) {
      parts.push('category >= ? AND category < ?')
      params.push(filters.category, `${filters.category}~`)
    } else {
      parts.push('category = ?')
      params.push(filters.category)
    }
  }
  if (filters.source !== undefined) {
    parts.push('source = ?')
    params.push(filters.source)
  }
  if (filters.status !== undefined) {
    parts.push('status = ?')
    params.push(filters.status)
  }
  return parts.join(' AND ')
}

type SeqCounter = { get: () => number, set: (v: number) => void }

/** The drill-down's raw reads (table, points, overdue) and the history import of `npm run seed`. */
export function drillQueries(db: Database.Database, rollup: ReturnType<typeof rollupStatements>, seq: SeqCounter,
  afterInsert: (n: number) => void):
  Pick<IncidentRepository, 'drillIncidents' | 'drillPoints' | 'overdueOpen' | 'importHistory' | 'historyCheckpoint' | 'isEmpty'> {
  const insertFull = db.prepare(`INSERT INTO incidents (id, seq, version, status, source, category, severity, lon, lat, reported_at, reported_ms,
      received_at, description, reporter_name, reporter_phone, cell, community, street, district, department, deadline, rework_count,
      postponed_count, filed_at, dispatched_at, handled_at, closed_at, reminders, escalated_at, duplicate_of, merged_into, feedback,
      request_type, dispatch_count, return_count, self_handled, evidence_photo, assisting_departments, postpone_request_deadline,
      postpone_request_reason, postpone_requested_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`)
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
      const changed = insertFull.run(i.id, last, i.version, i.status, i.source, i.category, i.severity, i.lon, i.lat, i.reportedAt, Date.parse(i.reportedAt),
        i.receivedAt, i.description, i.reporter?.name ?? null, i.reporter?.phone ?? null, i.cell, i.community, i.street, i.district,
        i.department ?? null, i.deadline ?? null, i.reworkCount ?? 0, i.postponedCount ?? 0, i.filedAt ?? null, i.dispatchedAt ?? null,
        i.handledAt ?? null, i.closedAt ?? null, i.reminders ?? 0, i.escalatedAt ?? null, i.duplicateOf ?? null, i.mergedInto ?? null,
        i.feedback ?? null, i.requestType ?? null, i.dispatchCount ?? 0, i.returnCount ?? 0, i.selfHandled ? 1 : 0, i.evidencePhoto ?? null,
        i.assistingDepartments ? JSON.stringify(i.assistingDepartments) : null, i.postponeRequest?.deadline ?? null,
        i.postponeRequest?.reason ?? null, i.postponeRequest?.at ?? null).changes
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
    async drillIncidents(q) {
      const params: unknown[] = []
      const where = drillWhere(q, params)
      const dir = q.desc ? 'DESC' : 'ASC'
      const order = q.sort === 'reportedAt' ? `reported_ms ${dir}, id ${dir}` : `${SORT_COLUMN[q.sort]} ${dir}, reported_ms DESC, id DESC`
      params.push(q.limit, q.offset)
      return (db.prepare(`SELECT * FROM incidents WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`).all(...params) as IncidentRow[]).map(fromRow)
    },
    async drillPoints(q, limit) {
      const params: unknown[] = []
      const where = drillWhere(q, params)
      params.push(limit + 1)
      const rows = db.prepare(`SELECT id, lon, lat, reported_ms, severity, category FROM incidents WHERE ${where} ORDER BY reported_ms, id LIMIT ?`)
        .raw().all(...params) as [string, number, number, number, Severity, string][]
      const truncated = rows.length > limit
      if (truncated) rows.pop()
      const out: DrillPoints = { truncated, ids: [], lon: [], lat: [], t: [], severity: [], category: [] }
      for (const r of rows) {
        out.ids.push(r[0])
        out.lon.push(r[1])
        out.lat.push(r[2])
        out.t.push(r[3])
        out.severity.push(r[4])
        out.category.push(r[5])
      }
      return out
    },
    async overdueOpen(q, nowIso) {
      // Open overdue cases are few: read them along the open cases' deadline index (migration 8), then check the rest
      // row by row.
      const params: unknown[] = [nowIso]
      const where = drillWhere(q, params).replace('reported_ms >= ? AND reported_ms < ?', '+reported_ms >= ? AND +reported_ms < ?')
      return db.prepare(`SELECT cell, COALESCE(department, '') AS department, COUNT(*) AS count FROM incidents INDEXED BY incidents_open_deadline
        WHERE status IN ('dispatched', 'postponed') AND deadline < ? AND ${where} GROUP BY cell, department`).all(...params) as OverdueCount[]
    },
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
