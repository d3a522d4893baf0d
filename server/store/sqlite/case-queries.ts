import type Database from 'better-sqlite3'
import type { IncidentRepository, KpiFacts, LeagueFacts } from '../repository.js'
import { fromRow, type IncidentRow } from './row-mapping.js'
import { namedScopeClause } from './scope-clause.js'

/** The department's clock runs in these states; past the deadline in them a case is 超期. */
const CLOCK = `status IN ('dispatched', 'postponed')`
const MS = (a: string, b: string) => `(julianday(${a}) - julianday(${b})) * 86400000.0`

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
export function caseQueries(db: Database.Database): Pick<IncidentRepository, 'mergedInto' | 'listCases' | 'kpiFacts' | 'league'> {
  const merged = db.prepare<[string], IncidentRow>('SELECT * FROM incidents WHERE merged_into = ? ORDER BY reported_ms')
  const listStatements = new Map<string, Database.Statement>()
  return {
    async mergedInto(id) {
      return merged.all(id).map(fromRow)
    },
    async listCases({ scope, openOnly, limit, before }) {
      const sql = listCasesSql(scope.level !== 'city' ? scope.level : null, openOnly, before !== undefined)
      let stmt = listStatements.get(sql)
      if (!stmt) listStatements.set(sql, stmt = db.prepare(sql))
      const rows = stmt.all({ limit, ...(scope.level !== 'city' && { code: scope.code }), ...(before && { ms: before.reportedMs, seq: before.seq }) }) as IncidentRow[]
      return rows.map(fromRow)
    },
    async kpiFacts(scope, fromMs, toMs, nowIso) {
      const { where, params } = namedScopeClause(scope)
      const row = db.prepare(`SELECT
          COUNT(*) AS reported,
          COUNT(filed_at) AS filed,
          COALESCE(SUM(status = 'closed' OR (deadline < @now AND status NOT IN ('rejected', 'closed'))), 0) AS dueToClose,
          COALESCE(SUM(status = 'closed'), 0) AS closed,
          COALESCE(SUM(status = 'closed' AND handled_at <= deadline), 0) AS closedOnTime,
          COALESCE(SUM(postponed_count > 0), 0) AS postponed,
          COALESCE(SUM(handled_at IS NOT NULL OR (dispatched_at IS NOT NULL AND deadline < @now)), 0) AS dueToHandle,
          COUNT(handled_at) AS handled,
          COALESCE(SUM(handled_at <= deadline), 0) AS handledOnTime,
          COALESCE(SUM(status = 'closed' AND rework_count > 0), 0) AS reworked,
          COUNT(feedback) AS feedbackTotal,
          COALESCE(SUM(feedback = 'satisfied'), 0) AS feedbackSatisfied,
          COALESCE(SUM(${MS('filed_at', 'reported_at')}), 0) AS acceptMsTotal,
          COUNT(filed_at) AS acceptCount,
          COALESCE(SUM(CASE WHEN handled_at IS NOT NULL AND dispatched_at IS NOT NULL THEN ${MS('handled_at', 'dispatched_at')} END), 0) AS handleMsTotal,
          COALESCE(SUM(handled_at IS NOT NULL AND dispatched_at IS NOT NULL), 0) AS handleCount
        FROM incidents WHERE reported_ms >= @from AND reported_ms < @to AND status != 'merged' AND ${where}`)
        .get({ now: nowIso, from: fromMs, to: toMs, ...params }) as KpiFacts
      return row
    },
    async league(scope, by, fromMs, nowIso) {
      const { where, params } = namedScopeClause(scope)
      const key = by === 'department' ? 'department' : 'street'
      return db.prepare(`SELECT ${key} AS key,
          COALESCE(SUM(${CLOCK}), 0) AS open,
          COALESCE(SUM(${CLOCK} AND deadline < @now), 0) AS overdue,
          COALESCE(SUM(reported_ms >= @from AND handled_at IS NOT NULL), 0) AS handled,
          COALESCE(SUM(reported_ms >= @from AND handled_at <= deadline), 0) AS handledOnTime,
          COALESCE(SUM(reminders), 0) AS reminders,
          COUNT(escalated_at) AS escalated
        FROM incidents
        WHERE department IS NOT NULL AND (reported_ms >= @from OR ${CLOCK}) AND ${where}
        GROUP BY ${key} ORDER BY ${key}`)
        .all({ now: nowIso, from: fromMs, ...params }) as LeagueFacts[]
    },
  }
}
