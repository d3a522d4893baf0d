import type Database from 'better-sqlite3'
import type { IncidentRepository } from '../repository.js'
import { fromRow, type IncidentRow } from './row-mapping.js'
import { scopeClause } from './scope-clause.js'

/**
 * Read-side queries of the console and KPIs. Timestamps are stored as UTC ISO strings (toISOString), so text
 * comparison is time order. Merged reports are left out of KPIs: they are counted once, in the case they repeat.
 */
export function caseQueries(db: Database.Database): Pick<IncidentRepository, 'mergedInto' | 'listCases'> {
  const merged = db.prepare<[string], IncidentRow>('SELECT * FROM incidents WHERE merged_into = ? ORDER BY reported_ms')
  return {
    async mergedInto(id) {
      return merged.all(id).map(fromRow)
    },
    async listCases({ scope, openOnly, limit }) {
      const { where, params } = scopeClause(scope)
      const open = openOnly ? `AND status IN ('reported', 'filed', 'dispatched', 'handled', 'verified', 'postponed')` : ''
      const rows = db.prepare(`SELECT * FROM incidents WHERE ${where} ${open} ORDER BY reported_ms DESC, seq DESC LIMIT ?`).all(...params, limit) as IncidentRow[]
      return rows.map(fromRow)
    },
  }
}
