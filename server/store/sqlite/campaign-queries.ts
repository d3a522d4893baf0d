import type Database from 'better-sqlite3'
import type { CampaignFacts, LiveCampaign } from '../../../shared/campaigns/types.js'
import type { Scope } from '../../../shared/scope.js'
import type { CampaignFactsQuery, CampaignRepository } from '../repository.js'
import { namedScopeClause } from './scope-clause.js'

interface Row { id: string, name: string, name_en: string | null, categories: string, scope: string, start_date: string, end_date: string, target_rate: number, created_at: string }
const toCampaign = (r: Row): LiveCampaign => ({
  kind: 'live', id: r.id, name: r.name, ...(r.name_en !== null && { nameEn: r.name_en }), categories: JSON.parse(r.categories) as string[],
  scope: r.scope as Scope, startDate: r.start_date, endDate: r.end_date, targetRate: r.target_rate, createdAt: r.created_at,
})

/**
 * Live campaigns (专项行动) and the counts their progress is computed from. A campaign's reports are the valid ones
 * (not rejected, not merged into another) of its categories, in its area, reported within the drive; resolved are
 * those of them closed before `resolvedBefore` (the end of the drive, or now while it runs). Days are local dates.
 */
export function campaignQueries(db: Database.Database): CampaignRepository {
  const insert = db.prepare(`INSERT INTO campaigns (id, name, name_en, categories, scope, start_date, end_date, target_rate, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`)
  const all = db.prepare<[], Row>('SELECT * FROM campaigns ORDER BY start_date DESC, created_at DESC, id')
  return {
    async insertCampaign(c) {
      return insert.run(c.id, c.name, c.nameEn ?? null, JSON.stringify(c.categories), c.scope, c.startDate, c.endDate, c.targetRate, c.createdAt).changes === 1
    },
    async listCampaigns() {
      return all.all().map(toCampaign)
    },
    async campaignFacts(q: CampaignFactsQuery): Promise<CampaignFacts> {
      if (q.categories.length === 0) return { found: [], resolved: [] }
      const { where, params } = namedScopeClause(q.scope)
      const cats = q.categories.map((_, i) => `@c${i}`).join(', ')
      const bind = {
        ...params, ...Object.fromEntries(q.categories.map((c, i) => [`c${i}`, c])),
        from: q.fromMs, to: q.toMs, before: q.resolvedBefore, offsetMs: q.utcOffsetMinutes * 60_000, shift: `${q.utcOffsetMinutes} minutes`,
      }
      // one pass over the period's reports: by unit, report day and (when resolved) closing day
      const rows = db.prepare(`SELECT ${q.by} AS key, date((reported_ms + @offsetMs) / 1000, 'unixepoch') AS day,
          CASE WHEN status = 'closed' AND closed_at < @before THEN date(closed_at, @shift) END AS closedDay,
          COUNT(*) AS n, COUNT(feedback) AS feedbackTotal, COALESCE(SUM(feedback = 'satisfied'), 0) AS feedbackSatisfied
        FROM incidents WHERE reported_ms >= @from AND reported_ms < @to AND category IN (${cats})
          AND status NOT IN ('rejected', 'merged') AND ${where}
        GROUP BY key, day, closedDay`).all(bind) as { key: string, day: string, closedDay: string | null, n: number, feedbackTotal: number, feedbackSatisfied: number }[]
      const found = new Map<string, CampaignFacts['found'][number]>()
      const resolved = new Map<string, CampaignFacts['resolved'][number]>()
      for (const r of rows) {
        const fk = `${r.key}|${r.day}`
        let f = found.get(fk)
        if (!f) found.set(fk, f = { key: r.key, day: r.day, found: 0, feedbackTotal: 0, feedbackSatisfied: 0 })
        f.found += r.n
        f.feedbackTotal += r.feedbackTotal
        f.feedbackSatisfied += r.feedbackSatisfied
        if (r.closedDay === null) continue
        const rk = `${r.key}|${r.closedDay}`
        let x = resolved.get(rk)
        if (!x) resolved.set(rk, x = { key: r.key, day: r.closedDay, resolved: 0 })
        x.resolved += r.n
      }
      return { found: [...found.values()], resolved: [...resolved.values()] }
    },
  }
}
