import type Database from 'better-sqlite3'
import { childLevel, type AnalysisFilters, type DrillLevel } from '../../shared/analysis.js'

/**
 * The raw-scan equivalent of the drill-down's answers: GROUP BY queries over the incidents table itself. The property
 * test checks the rollups against it; the benchmark times it against the API.
 */
export interface RawQuery { level: DrillLevel, code: string, fromMs: number, toMs: number, filters: AnalysisFilters, utcOffsetMinutes: number }

const CHILD_COLUMN: Record<DrillLevel, string> = { city: 'district', district: 'street', street: 'community', community: 'cell', cell: 'cell' }

export function rawWhere(q: RawQuery, params: unknown[]): string {
  const parts = ['reported_ms >= ?', 'reported_ms < ?']
  params.push(q.fromMs, q.toMs)
  if (q.level !== 'city') {
    parts.push(`${q.level} = ?`)
    params.push(q.code)
  }
  const f = q.filters
  if (f.category !== undefined) {
    parts.push(f.category.length === 2 ? 'substr(category, 1, 2) = ?' : 'category = ?')
    params.push(f.category)
  }
  if (f.source !== undefined) {
    parts.push('source = ?')
    params.push(f.source)
  }
  if (f.status !== undefined) {
    parts.push('status = ?')
    params.push(f.status)
  }
  return parts.join(' AND ')
}

function grouped(db: Database.Database, q: RawQuery, key: string, extra = ''): Record<string, number> {
  const params: unknown[] = []
  const where = rawWhere(q, params)
  const out: Record<string, number> = {}
  for (const [k, n] of db.prepare(`SELECT ${key} AS k, COUNT(*) AS n FROM incidents WHERE ${where} ${extra} GROUP BY k`).raw().all(...params) as [string | number, number][]) {
    out[String(k)] = n
  }
  return out
}

export const rawParts = {
  total(db: Database.Database, q: RawQuery): number {
    const params: unknown[] = []
    return db.prepare(`SELECT COUNT(*) FROM incidents WHERE ${rawWhere(q, params)}`).pluck().get(...params) as number
  },
  children(db: Database.Database, q: RawQuery): Record<string, number> {
    return childLevel(q.level) ? grouped(db, q, CHILD_COLUMN[q.level]) : {}
  },
  categories: (db: Database.Database, q: RawQuery) => grouped(db, q, 'category'),
  sources: (db: Database.Database, q: RawQuery) => grouped(db, q, 'source'),
  statuses: (db: Database.Database, q: RawQuery) => grouped(db, q, 'status'),
  cells: (db: Database.Database, q: RawQuery) => grouped(db, q, 'cell'),
  /** weekday (0 = Monday) × 24 + local hour, as a 168-long array. */
  hourOfWeek(db: Database.Database, q: RawQuery): number[] {
    const local = `(reported_ms / 1000 + ${q.utcOffsetMinutes * 60})`
    const counts = grouped(db, q, `((CAST(strftime('%w', ${local}, 'unixepoch') AS INTEGER) + 6) % 7) * 24 + CAST(strftime('%H', ${local}, 'unixepoch') AS INTEGER)`)
    return Array.from({ length: 168 }, (_, k) => counts[String(k)] ?? 0)
  },
  /** Handled and handled-on-time per department (same rule as the KPIs: handled_at <= deadline). */
  departments(db: Database.Database, q: RawQuery): Record<string, { handled: number, onTime: number }> {
    const params: unknown[] = []
    const where = rawWhere(q, params)
    const out: Record<string, { handled: number, onTime: number }> = {}
    for (const r of db.prepare(`SELECT department, COUNT(*) AS handled, COALESCE(SUM(handled_at <= deadline), 0) AS onTime FROM incidents
      WHERE ${where} AND handled_at IS NOT NULL AND department IS NOT NULL GROUP BY department`).all(...params) as { department: string, handled: number, onTime: number }[]) {
      out[r.department] = { handled: r.handled, onTime: r.onTime }
    }
    return out
  },
}
