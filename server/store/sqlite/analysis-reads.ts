import type Database from 'better-sqlite3'
import type { AnalysisPoints } from '../../../shared/analysis.js'
import type { Severity } from '../../../shared/schemas/incident.js'
import type { AnalysisRawQuery, RollupRepository } from '../repository.js'
import { fromRow, type IncidentRow } from './row-mapping.js'

const SEVERITY_RANK = `CASE severity WHEN 'critical' THEN 3 WHEN 'high' THEN 2 WHEN 'normal' THEN 1 ELSE 0 END`
const STATUS_RANK = `CASE status WHEN 'reported' THEN 0 WHEN 'filed' THEN 1 WHEN 'dispatched' THEN 2 WHEN 'postponed' THEN 3
  WHEN 'handled' THEN 4 WHEN 'verified' THEN 5 WHEN 'closed' THEN 6 WHEN 'rejected' THEN 7 ELSE 8 END`
const SORT_COLUMN = { reportedAt: 'reported_ms', category: 'category', source: 'source', severity: SEVERITY_RANK, status: STATUS_RANK } as const

/**
 * WHERE clause of a drill-down raw read. A district or the whole city is read along the report-time index (the unary
 * `+` keeps SQLite off the district index, which would sort a year of a district for one page); a street, community
 * or cell along (community, reported_ms).
 */
export function analysisWhere(q: AnalysisRawQuery, params: unknown[]): string {
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

/** The drill-down's raw reads: a page of the table and the points (run on the read pool). */
export function analysisReads(db: Database.Database): Pick<RollupRepository, 'analysisIncidents' | 'analysisPoints'> {
  return {
    async analysisIncidents(q) {
      const params: unknown[] = []
      const where = analysisWhere(q, params)
      const dir = q.desc ? 'DESC' : 'ASC'
      const order = q.sort === 'reportedAt' ? `reported_ms ${dir}, id ${dir}` : `${SORT_COLUMN[q.sort]} ${dir}, reported_ms DESC, id DESC`
      params.push(q.limit, q.offset)
      return (db.prepare(`SELECT * FROM incidents WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`).all(...params) as IncidentRow[]).map(fromRow)
    },
    async analysisPoints(q, limit) {
      const params: unknown[] = []
      const where = analysisWhere(q, params)
      params.push(limit + 1)
      const rows = db.prepare(`SELECT id, lon, lat, reported_ms, severity, category FROM incidents WHERE ${where} ORDER BY reported_ms, id LIMIT ?`)
        .raw().all(...params) as [string, number, number, number, Severity, string][]
      const truncated = rows.length > limit
      if (truncated) rows.pop()
      const out: AnalysisPoints = { truncated, ids: [], lon: [], lat: [], t: [], severity: [], category: [] }
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
  }
}
