import { Router } from 'express'
import { z } from 'zod'
import { toSummary } from '../../shared/incident.js'
import { localDayStartMs } from '../calendar/local-time.js'
import type { KpiCountsSource } from '../kpis/maintained-kpis.js'
import { kpisOf, leagueOf, scopeArea } from '../kpis/kpi-queries.js'
import type { CaseRepository } from '../store/repository.js'
import { sendError } from './errors.js'
import { safeIdParam } from './id-param.js'
import { parseQuery, scopeParam } from './query.js'

export interface CasesRouterDeps {
  repo: CaseRepository
  /** The KPI counts (maintained, server/kpis/). */
  kpis: KpiCountsSource
  now: () => number
  utcOffsetMinutes: number
  unitExists: (level: 'district' | 'street', code: string) => boolean
}

/** A queue page's size: what one screen and some scrolling need, bounded so one request stays a few milliseconds. */
export const CASE_PAGE_MAX = 1000
const casesQuery = z.object({
  scope: z.string().optional(),
  open: z.enum(['0', '1', 'true', 'false']).default('1').transform(v => v === '1' || v === 'true'),
  limit: z.coerce.number().int().min(1).max(CASE_PAGE_MAX).default(200),
  // opaque to clients: "<reported_ms>_<seq>" of the previous page's last row
  cursor: z.string().regex(/^\d{1,15}_\d{1,15}$/, 'expected the nextCursor of a previous page').optional(),
})

/** Where the next page starts: after this row, in the queue's order (newest report first, then seq). */
const cursorOf = (next: { reportedMs: number, seq: number }) => `${next.reportedMs}_${next.seq}`
const parseCursor = (c: string) => {
  const [ms, seq] = c.split('_').map(Number) as [number, number]
  return { reportedMs: ms, seq }
}
const kpiQuery = z.object({ scope: z.string().optional(), from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional() })
const leagueQuery = z.object({
  scope: z.string().optional(), by: z.enum(['department', 'street']).default('department'), days: z.coerce.number().int().min(1).max(366).default(30),
  from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional(),
})

/** The console's read side: the case queue, KPIs of a period and the department league table. */
export function casesRouter(deps: CasesRouterDeps): Router {
  const router = Router()
  router.param('id', safeIdParam)
  router.get('/cases', async (req, res) => {
    const q = parseQuery(casesQuery, req, res)
    const scope = q && scopeParam(q.scope, deps.unitExists, res)
    if (!q || !scope) return
    // read before the rows: the page reflects at least every change up to `seq`, so a console applies the deltas
    // after it (docs/API.md); rows newer than `seq` are harmless, deltas carry them again
    const seq = await deps.repo.currentSeq()
    // read and serialised on the read pool: the main thread copies a string
    const page = await deps.repo.casePage({ scope, openOnly: q.open, limit: q.limit, ...(q.cursor && { before: parseCursor(q.cursor) }) })
    res.type('application/json').send(`{"cases":${page.casesJson},"nextCursor":${JSON.stringify(page.next ? cursorOf(page.next) : null)},"seq":${seq}}`)
  })
  router.get('/incidents/:id/merged', async (req, res) => {
    if (!await deps.repo.getIncident(req.params.id)) return sendError(res, 404, `no incident with id ${req.params.id}`)
    res.json((await deps.repo.mergedInto(req.params.id)).map(toSummary))
  })
  // every catalogue indicator of a scope and period (default: today so far); the wall and tests read it
  router.get('/kpis', async (req, res) => {
    const q = parseQuery(kpiQuery, req, res)
    const scope = q && scopeParam(q.scope, deps.unitExists, res)
    if (!q || !scope) return
    const now = deps.now()
    const from = q.from ? Date.parse(q.from) : localDayStartMs(now, deps.utcOffsetMinutes)
    const to = q.to ? Date.parse(q.to) : now + 1
    if (to <= from) return sendError(res, 400, 'invalid query', [{ path: 'to', message: 'to: must be after from' }])
    const { counts, indicators } = await kpisOf(deps.kpis, { area: scopeArea(scope), fromMs: from, toMs: to }, new Date(now).toISOString())
    res.json({ scope: q.scope ?? 'city', from: new Date(from).toISOString(), to: new Date(to).toISOString(), indicators, counts })
  })
  // departments or streets over a period (from/to, or the last `days` days), each with every indicator
  router.get('/league', async (req, res) => {
    const q = parseQuery(leagueQuery, req, res)
    const scope = q && scopeParam(q.scope, deps.unitExists, res)
    if (!q || !scope) return
    const now = deps.now()
    // the last `days` days from the city's midnight: whole days, which the maintained counts keep summed
    const from = q.from ? Date.parse(q.from) : localDayStartMs(now - q.days * 86_400_000, deps.utcOffsetMinutes)
    const to = q.to ? Date.parse(q.to) : now + 1
    if (to <= from) return sendError(res, 400, 'invalid query', [{ path: 'to', message: 'to: must be after from' }])
    const rows = await leagueOf(deps.kpis, scopeArea(scope), q.by, from, to, new Date(now).toISOString())
    res.json({ by: q.by, days: q.days, from: new Date(from).toISOString(), to: new Date(to).toISOString(), rows })
  })
  return router
}
