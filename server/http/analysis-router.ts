import { Router } from 'express'
import { z } from 'zod'
import { ceilHour, DRILL_LEVELS, floorHour, INCIDENT_SORTS, SUMMARY_PARTS, type SummaryPart } from '../../shared/analysis.js'
import { SOURCES } from '../../shared/enums.js'
import { CASE_STATUSES } from '../../shared/workflow/states.js'
import { localDayStartMs } from '../calendar/local-time.js'
import type { AnalysisService } from '../analysis/analysis-service.js'
import { type AnalysisQuery, AnalysisError, WarmingError } from '../analysis/query.js'
import type { ApiError } from '../../shared/schemas/errors.js'
import { sendError } from './errors.js'
import { parseQuery } from './query.js'

/** Empty query parameters (`?category=`) mean "not given". */
const opt = <T extends z.ZodType>(schema: T) => z.preprocess(v => (v === '' ? undefined : v), schema.optional())

/** Seconds a client waits before asking again while the history loads. */
const WARMING_RETRY_S = 2

const DEFAULT_PARTS: SummaryPart[] = ['children', 'trend', 'categories', 'sources', 'statuses', 'hourOfWeek', 'departments']
const MAX_SPAN_MS = 3 * 366 * 86_400_000

const analysisQuery = z.object({
  level: z.enum(DRILL_LEVELS).default('city'),
  code: opt(z.string().regex(/^[0-9a-f]{4,16}$/, 'code: a unit code or an H3 cell index')),
  from: opt(z.iso.datetime({ offset: true })),
  to: opt(z.iso.datetime({ offset: true })),
  category: opt(z.string().regex(/^\d{2}(\d{2})?$/, 'category: a 2-digit big class or a 4-digit small class')),
  source: opt(z.enum(SOURCES)),
  status: opt(z.enum(CASE_STATUSES)),
})

const summaryQuery = analysisQuery.extend({
  parts: opt(z.string().transform((v, ctx) => {
    const list = v.split(',').map(s => s.trim()).filter(Boolean)
    const bad = list.filter(p => !(SUMMARY_PARTS as readonly string[]).includes(p))
    if (bad.length > 0) ctx.addIssue({ code: 'custom', message: `parts: unknown ${bad.join(', ')}; expected a comma-separated list of ${SUMMARY_PARTS.join(', ')}` })
    return list as SummaryPart[]
  })),
})

const incidentsQuery = analysisQuery.extend({
  sort: z.enum(INCIDENT_SORTS).default('reportedAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
})

const pointsQuery = analysisQuery.extend({ limit: z.coerce.number().int().min(1).max(100_000).default(20_000) })

/** The analysts' drill-down (issue #4). Thin: parse the query (400 naming the field), delegate to the service. */
export function analysisRouter(deps: { service: AnalysisService, cityCode: string, utcOffsetMinutes: number, now: () => number }): Router {
  const router = Router()

  /** Query → AnalysisQuery with whole-hour bounds, or a 400 sent and null. */
  function toAnalysisQuery(q: z.infer<typeof analysisQuery>, res: Parameters<typeof sendError>[0]): AnalysisQuery | null {
    const now = deps.now()
    const fromMs = floorHour(q.from ? Date.parse(q.from) : localDayStartMs(now, deps.utcOffsetMinutes))
    const toMs = ceilHour(q.to ? Date.parse(q.to) : now + 1)
    if (toMs <= fromMs) {
      sendError(res, 400, 'invalid query', [{ path: 'to', message: 'to: must be after from' }])
      return null
    }
    if (toMs - fromMs > MAX_SPAN_MS) {
      sendError(res, 400, 'invalid query', [{ path: 'to', message: 'to: the range may span at most three years' }])
      return null
    }
    const code = q.code ?? (q.level === 'city' ? deps.cityCode : undefined)
    if (code === undefined) {
      sendError(res, 400, 'invalid query', [{ path: 'code', message: `code: required for level ${q.level}` }])
      return null
    }
    return { level: q.level, code, fromMs, toMs, filters: { category: q.category, source: q.source, status: q.status } }
  }

  /** Runs a service call; a AnalysisError becomes a 400 naming its field, a WarmingError a 503 with the progress. */
  async function answer(res: Parameters<typeof sendError>[0], fn: () => Promise<unknown> | unknown): Promise<void> {
    try {
      res.json(await fn())
    } catch (err) {
      if (err instanceof WarmingError) {
        res.set('Retry-After', String(WARMING_RETRY_S))
        const body: ApiError = { error: err.message, warming: { loadedDays: err.loadedDays, totalDays: err.totalDays } }
        res.status(503).json(body)
        return
      }
      if (!(err instanceof AnalysisError)) throw err
      sendError(res, 400, 'invalid query', [{ path: err.path, message: err.message }])
    }
  }

  router.get('/analysis/summary', async (req, res) => {
    const q = parseQuery(summaryQuery, req, res)
    const d = q && toAnalysisQuery(q, res)
    if (!q || !d) return
    await answer(res, () => deps.service.summary(d, new Set(q.parts ?? DEFAULT_PARTS)))
  })
  router.get('/analysis/incidents', async (req, res) => {
    const q = parseQuery(incidentsQuery, req, res)
    const d = q && toAnalysisQuery(q, res)
    if (!q || !d) return
    await answer(res, () => deps.service.incidents(d, q.sort, q.order === 'desc', q.page, q.pageSize))
  })
  router.get('/analysis/points', async (req, res) => {
    const q = parseQuery(pointsQuery, req, res)
    const d = q && toAnalysisQuery(q, res)
    if (!q || !d) return
    await answer(res, () => deps.service.points(d, q.limit))
  })
  router.get('/analysis/shapes', async (req, res) => {
    const q = parseQuery(analysisQuery.pick({ level: true, code: true }), req, res)
    if (!q) return
    res.set('Cache-Control', 'public, max-age=3600')
    await answer(res, () => deps.service.shapes(q.level, q.code ?? deps.cityCode))
  })
  return router
}
