import express, { Router } from 'express'
import { z } from 'zod'
import { COVERAGE_LEVELS } from '../../shared/greenway/types.js'
import { issuesToDetails } from '../../shared/schemas/errors.js'
import { changeBatchSchema, readingBatchSchema } from '../../shared/schemas/greenway.js'
import type { FootfallService } from '../greenway/footfall-service.js'
import type { GreenwayService } from '../greenway/greenway-service.js'
import { createJsonCache } from './cached-json.js'
import { sendError } from './errors.js'
import { parseQuery } from './query.js'

const coverageQuery = z.object({
  level: z.enum(COVERAGE_LEVELS).default('district'),
  parent: z.string().regex(/^\d{4,12}$/, 'parent: a unit code').optional(),
})
const cellsQuery = z.object({ measure: z.enum(['greenway', 'service']).default('greenway') })
const BODY_LIMIT = '4mb'

/**
 * Greenways, facilities, coverage and footfall: reads answer from memory; the two POSTs are ingest paths like
 * POST /events (envelope checked here, each item in its service, 200 with per-item results after commit).
 */
export function greenwayRouter(greenway: GreenwayService, footfall: FootfallService): Router {
  const router = Router()
  const json = express.json({ limit: BODY_LIMIT, strict: false })
  const meta = () => ({ version: greenway.version, ...greenway.info() })
  const cached = createJsonCache()
  const key = () => String(greenway.version)

  router.get('/greenways', (req, res) => cached(req, res, 'greenways', key, () => ({ ...greenway.networkGeoJson(), metadata: meta() })))
  router.get('/facilities', (req, res) => cached(req, res, 'facilities', key, () => ({ ...greenway.facilitiesGeoJson(), metadata: meta() })))
  router.get('/greenway/summary', (_req, res) => {
    res.json({ version: greenway.version, params: greenway.params, info: greenway.info(), network: greenway.summary(), city: greenway.cityRow() })
  })
  router.get('/coverage', (req, res) => {
    const q = parseQuery(coverageQuery, req, res)
    if (!q) return
    res.json({ level: q.level, version: greenway.version, params: greenway.params, rows: greenway.rows(q.level, q.parent) })
  })
  router.get('/coverage/cells', async (req, res) => {
    const q = parseQuery(cellsQuery, req, res)
    if (!q) return
    const version = greenway.version
    await cached(req, res, `cells:${q.measure}`, key, async () => ({ ...await greenway.bands(q.measure), metadata: { measure: q.measure, version } }))
  })
  router.post('/greenway/events', json, async (req, res) => {
    if (!req.is('application/json')) return sendError(res, 415, 'expected Content-Type: application/json')
    const envelope = changeBatchSchema.safeParse(req.body)
    if (!envelope.success) return sendError(res, 400, 'invalid request body', issuesToDetails(envelope.error))
    res.json({ results: await greenway.ingest(envelope.data.events), version: greenway.version })
  })
  router.post('/greenway/reload', (_req, res) => {
    const outcome = greenway.reload()
    if (!outcome.ok) return sendError(res, 422, outcome.error, outcome.details)
    footfall.forgetMissing()
    res.json({ ...outcome, version: greenway.version })
  })
  router.get('/footfall', (_req, res) => { res.json(footfall.state()) })
  router.post('/footfall', json, async (req, res) => {
    if (!req.is('application/json')) return sendError(res, 415, 'expected Content-Type: application/json')
    const envelope = readingBatchSchema.safeParse(req.body)
    if (!envelope.success) return sendError(res, 400, 'invalid request body', issuesToDetails(envelope.error))
    res.json({ results: await footfall.ingest(envelope.data.readings) })
  })
  return router
}
