import type Database from 'better-sqlite3'
import type { CaseStatus } from '../../../shared/workflow/states.js'
import type { CaseRepository, OpenCount } from '../repository.js'
import { fromRow, type IncidentRow } from './row-mapping.js'
import { scopeClause } from './scope-clause.js'

/** The quick reads of CaseRepository on the writer's connection (the queue's pages are in case-queries.ts). */
export function incidentReads(db: Database.Database):
  Pick<CaseRepository, 'getIncident' | 'changedSince' | 'recent' | 'reportedSince' | 'openCounts' | 'openCases'> {
  const byId = db.prepare<[string], IncidentRow>('SELECT * FROM incidents WHERE id = ?')
  const marks = (statuses: readonly CaseStatus[]) => statuses.map(() => '?').join(', ')
  return {
    async getIncident(id) {
      const row = byId.get(id)
      return row ? fromRow(row) : null
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
    async openCounts(openStatuses) {
      return db.prepare(`SELECT district, street, COUNT(*) AS count FROM incidents WHERE status IN (${marks(openStatuses)}) GROUP BY district, street`).all(...openStatuses) as OpenCount[]
    },
    async openCases(openStatuses, limit) {
      return (db.prepare(`SELECT * FROM incidents WHERE status IN (${marks(openStatuses)}) ORDER BY seq LIMIT ?`).all(...openStatuses, limit) as IncidentRow[]).map(fromRow)
    },
  }
}
