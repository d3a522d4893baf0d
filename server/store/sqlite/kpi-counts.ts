import type Database from 'better-sqlite3'
import { COUNT_FIELDS, type KpiCounts } from '../../../shared/kpi/counts.js'
import type { KpiCountRepository, KpiCountsQuery, KpiCountsRow, KpiGroup } from '../repository.js'
import { fromRow, type IncidentRow } from './row-mapping.js'

/**
 * b → a in hours, to 1/1024 h (HOUR_QUANTUM in shared/kpi/counts.ts): whole milliseconds first (julianday's float noise
 * is far below half a millisecond), then the same double arithmetic as `quantizedHours`, so sums of these are exact in
 * any order and the maintained counts equal this scan to the bit.
 */
const HOURS = (a: string, b: string) => `ROUND(ROUND((julianday(${a}) - julianday(${b})) * 86400000.0) * 1024 / 3600000.0) / 1024.0`
/** Not closed, rejected or merged (merged rows are left out anyway). */
const UNCLOSED = `status NOT IN ('closed', 'rejected', 'merged')`
/** The department's clock runs in these states; past the deadline in them a case is 超期. */
const CLOCK = `status IN ('dispatched', 'postponed')`
/** Closed through the case flow: 自行处置 reports are closed on the spot, never filed, and counted on their own. */
const CLOSED = `(status = 'closed' AND self_handled = 0)`
/** 缓办: open, postponed, and the granted deadline not passed (so never in the overdue part of 应结案). */
const POSTPONED_NOW = `(${UNCLOSED} AND postponed_count > 0 AND filed_at IS NOT NULL AND (deadline IS NULL OR deadline >= @now))`
/** Open, filed and past the deadline: the part of 应结案 that is late. */
const LATE_UNCLOSED = `(${UNCLOSED} AND filed_at IS NOT NULL AND deadline < @now)`

/**
 * A handling that stands: the case is handled, verified or closed. A reworked case back with a department may keep
 * the handled time of its failed attempt while a re-dispatch moves dispatched_at past it (found by the property
 * test: negative durations), so its time is not a handling time until it is handled again.
 */
const HANDLING_STANDS = `(status IN ('handled', 'verified', 'closed') AND handled_at IS NOT NULL AND dispatched_at IS NOT NULL)`

/**
 * Each count of KpiCounts as one SQL expression over the incidents of the period (docs/KPIS.md gives the bases in
 * words). Every subset relation the catalogue's rates rely on is visible here: a numerator's condition is its
 * denominator's AND something.
 */
const COLUMNS: Record<keyof KpiCounts, string> = {
  reported: 'COUNT(*)',
  judged: `SUM(filed_at IS NOT NULL OR status = 'rejected')`,
  filed: 'SUM(filed_at IS NOT NULL)',
  dueToClose: `SUM(${CLOSED} OR ${LATE_UNCLOSED} OR ${POSTPONED_NOW})`,
  closed: `SUM(${CLOSED})`,
  closedOnTime: `SUM(${CLOSED} AND handled_at <= deadline)`,
  postponed: `SUM(${POSTPONED_NOW})`,
  dueToHandle: `SUM(handled_at IS NOT NULL OR (${CLOCK} AND deadline < @now))`,
  handled: 'SUM(handled_at IS NOT NULL)',
  handledOnTime: 'SUM(handled_at IS NOT NULL AND handled_at <= deadline)',
  submitted: 'SUM(handled_at IS NOT NULL OR rework_count > 0)',
  reworked: 'SUM(rework_count > 0)',
  postponedEver: 'SUM(filed_at IS NOT NULL AND postponed_count > 0)',
  open: `SUM(${CLOCK})`,
  overdueOpen: `SUM(${CLOCK} AND deadline < @now)`,
  feedbackTotal: 'COUNT(feedback)',
  feedbackSatisfied: `SUM(feedback = 'satisfied')`,
  acceptHoursTotal: `SUM(CASE WHEN filed_at IS NOT NULL THEN ${HOURS('filed_at', 'reported_at')} END)`,
  acceptCount: 'SUM(filed_at IS NOT NULL)',
  handleHoursTotal: `SUM(CASE WHEN ${HANDLING_STANDS} THEN ${HOURS('handled_at', 'dispatched_at')} END)`,
  handleCount: `SUM(${HANDLING_STANDS})`,
  reminders: 'SUM(reminders)',
  escalated: 'COUNT(escalated_at)',
  dispatches: 'SUM(dispatch_count)',
  // a return always follows a dispatch of the same case, so Σ returns ≤ Σ dispatches
  returned: 'SUM(MIN(return_count, dispatch_count))',
  selfHandled: 'SUM(self_handled)',
}
const SELECT = COUNT_FIELDS.map(f => `COALESCE(${COLUMNS[f]}, 0) AS ${f}`).join(',\n  ')
/** Open filed cases whose deadline has not passed: the ones a clock can still move (server/kpis/). */
const PENDING = `SELECT * FROM incidents WHERE deadline >= @now AND ${UNCLOSED} AND (filed_at IS NOT NULL OR ${CLOCK})`
const GROUP_COLUMN: Record<KpiGroup, string> = { district: 'district', street: 'street', community: 'community', cell: 'cell', department: `COALESCE(department, '')` }

/** WHERE of a counts query, its parameters named (the clock is @now). */
function where(q: KpiCountsQuery, params: Record<string, unknown>): string {
  const parts = ['reported_ms >= @from', 'reported_ms < @to', `status != 'merged'`]
  params.from = q.fromMs
  params.to = q.toMs
  for (const col of ['district', 'street', 'community', 'cell'] as const) {
    const v = q.area[col]
    if (v !== undefined) {
      parts.push(`${col} = @${col}`)
      params[col] = v
    }
  }
  const f = q.filters ?? {}
  if (f.category !== undefined) {
    if (f.category.length === 2) {
      parts.push('category >= @catLo AND category < @catHi')
      params.catLo = f.category
      params.catHi = `${f.category}~`
    } else {
      parts.push('category = @category')
      params.category = f.category
    }
  }
  if (f.source !== undefined) {
    parts.push('source = @source')
    params.source = f.source
  }
  if (f.status !== undefined) {
    parts.push('status = @status')
    params.status = f.status
  }
  return parts.join(' AND ')
}

/**
 * The store's KPI counts as a scan of the period's incidents: the reference the maintained counts
 * (server/kpis/) are tested against, and what answers the queries they cannot (community or cell areas,
 * filters) and the partial hours at a period's ends — on the read pool.
 */
export function kpiCountsQuery(db: Database.Database): KpiCountRepository {
  const bucketSql = `SELECT reported_ms / 3600000 AS h, street, district, COALESCE(department, '') AS department,
    MIN(reported_ms) AS minMs, MAX(reported_ms) AS maxMs, ${SELECT}
    FROM incidents WHERE status != 'merged' GROUP BY h, street, department`
  // one read transaction: the buckets, the pending cases and the seq are of the same instant
  const source = db.transaction((nowIso: string) => ({
    seq: db.prepare('SELECT COALESCE(MAX(seq), 0) FROM incidents').pluck().get() as number,
    rows: db.prepare(bucketSql).raw().all({ now: nowIso }) as (string | number)[][],
    pending: (db.prepare(PENDING).all({ now: nowIso }) as IncidentRow[]).map(fromRow),
  }))
  return {
    async kpiLedgerSource(nowIso) {
      const { seq, rows, pending } = source(nowIso)
      const F = COUNT_FIELDS.length
      const streets: string[] = []
      const districts: string[] = []
      const departments: string[] = []
      const streetIdx = new Map<string, number>()
      const deptIdx = new Map<string, number>()
      const keys = new Int32Array(rows.length * 3)
      const values = new Float64Array(rows.length * F)
      const minMs = new Float64Array(rows.length)
      const maxMs = new Float64Array(rows.length)
      rows.forEach((r, k) => {
        const street = String(r[1])
        const dept = String(r[3])
        let s = streetIdx.get(street)
        if (s === undefined) {
          streetIdx.set(street, s = streets.length)
          streets.push(street)
          districts.push(String(r[2]))
        }
        let d = deptIdx.get(dept)
        if (d === undefined) {
          deptIdx.set(dept, d = departments.length)
          departments.push(dept)
        }
        keys[3 * k] = Number(r[0])
        keys[3 * k + 1] = s
        keys[3 * k + 2] = d
        minMs[k] = Number(r[4])
        maxMs[k] = Number(r[5])
        for (let f = 0; f < F; f++) values[k * F + f] = Number(r[6 + f] ?? 0)
      })
      return { seq, streets, districts, departments, keys, values, minMs, maxMs, pending }
    },
    async kpiCounts(q, nowIso) {
      const groups = (q.groupBy ?? []).map(g => GROUP_COLUMN[g])
      if (groups.length > 2) throw new Error('kpiCounts: at most two group columns')
      const params: Record<string, unknown> = { now: nowIso }
      const keys = groups.map((g, k) => `${g} AS g${k}`)
      const sql = `SELECT ${[...keys, SELECT].join(', ')} FROM incidents WHERE ${where(q, params)}${groups.length ? ` GROUP BY ${groups.join(', ')}` : ''}`
      const rows = db.prepare(sql).all(params) as Record<string, unknown>[]
      return rows.map((r): KpiCountsRow => {
        const counts = {} as KpiCounts
        for (const f of COUNT_FIELDS) counts[f] = Number(r[f] ?? 0)
        return { key: groups.map((_, k) => String(r[`g${k}`] ?? '')), counts }
      })
    },
  }
}
