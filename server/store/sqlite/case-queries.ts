import type Database from 'better-sqlite3'
import { toSummary } from '../../../shared/incident.js'
import type { CaseRepository } from '../repository.js'
import { fromRow, type IncidentRow } from './row-mapping.js'

/**
 * One page of the case queue, newest report first, after the cursor (reported_ms, seq) of the previous page's last
 * row. The `+` before status keeps SQLite off the status index: it walks incidents_reported (the city) or
 * incidents_<level>_reported (migration 13) newest first and stops after `limit` rows, instead of reading every
 * open case of the scope and sorting them all (issue #13: 853 ms for 20,000 of 185,000 open cases).
 * test/integration/case-queue-paging.test.ts checks the plan.
 */
export function listCasesSql(level: 'district' | 'street' | null, openOnly: boolean, paged: boolean): string {
  const scoped = level ? `AND ${level} = @code` : ''
  const open = openOnly ? `AND +status IN ('reported', 'filed', 'dispatched', 'handled', 'verified', 'postponed')` : ''
  const after = paged ? 'AND reported_ms <= @ms AND (reported_ms < @ms OR seq < @seq)' : ''
  return `SELECT * FROM incidents WHERE 1 = 1 ${scoped} ${open} ${after} ORDER BY reported_ms DESC, seq DESC LIMIT @limit`
}

/**
 * Read-side queries of the console and KPIs. Timestamps are stored as UTC ISO strings (toISOString), so text
 * comparison is time order. Merged reports are left out of KPIs: they are counted once, in the case they repeat.
 */
export function caseQueries(db: Database.Database): Pick<CaseRepository, 'mergedInto' | 'listCases' | 'casePage'> {
  const merged = db.prepare<[string], IncidentRow>('SELECT * FROM incidents WHERE merged_into = ? ORDER BY reported_ms')
  const listStatements = new Map<string, Database.Statement>()
  const list: CaseRepository['listCases'] = async ({ scope, openOnly, limit, before }) => {
    const sql = listCasesSql(scope.level !== 'city' ? scope.level : null, openOnly, before !== undefined)
    let stmt = listStatements.get(sql)
    if (!stmt) listStatements.set(sql, stmt = db.prepare(sql))
    const rows = stmt.all({ limit, ...(scope.level !== 'city' && { code: scope.code }), ...(before && { ms: before.reportedMs, seq: before.seq }) }) as IncidentRow[]
    return rows.map(fromRow)
  }
  return {
    async mergedInto(id) {
      return merged.all(id).map(fromRow)
    },
    listCases: list,
    async casePage(q) {
      // one row more than asked says whether there is a next page
      const rows = await list({ ...q, limit: q.limit + 1 })
      const page = rows.slice(0, q.limit)
      const last = page.at(-1)
      return { casesJson: JSON.stringify(page.map(toSummary)), next: rows.length > q.limit && last ? { reportedMs: Date.parse(last.reportedAt), seq: last.seq } : null }
    },
  }
}
