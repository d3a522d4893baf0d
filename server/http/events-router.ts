import express, { type RequestHandler, Router } from 'express'
import { issuesToDetails } from '../../shared/schemas/errors.js'
import { eventBatchSchema } from '../../shared/schemas/incident.js'
import type { IngestFn } from '../ingest/ingest-service.js'
import { sendError } from './errors.js'

/** 1,000 events × 2,000-char descriptions fit with room to spare; beyond this is 413. */
export const MAX_BODY = '8mb'

const admitAll: RequestHandler = (_req, _res, next) => next()

/**
 * POST /api/v1/events — admission first (429 + Retry-After when overloaded, before the body is read), then the
 * envelope is validated here, each event in the ingest service; answered after commit.
 */
export function eventsRouter(ingest: IngestFn, admit: RequestHandler = admitAll): Router {
  const router = Router()
  router.post('/events', admit, express.json({ limit: MAX_BODY, strict: false }), async (req, res) => {
    if (!req.is('application/json')) return sendError(res, 415, 'expected Content-Type: application/json')
    const envelope = eventBatchSchema.safeParse(req.body)
    if (!envelope.success) return sendError(res, 400, 'invalid request body', issuesToDetails(envelope.error))
    const results = await ingest(envelope.data.events)
    // an id resent with other content is a source's bug worth a status of its own; every event's result is still in
    // the body (the others were stored or were duplicates, so resending the batch is safe)
    const conflicts = results.flatMap((r, k) => r.status === 'conflict' ? [{ path: `events.${k}.id`, message: r.error! }] : [])
    if (conflicts.length > 0) return res.status(409).json({ error: 'id already stored with different content', details: conflicts, results })
    res.json({ results })
  })
  return router
}
