import express, { type RequestHandler, Router } from 'express'
import type { IngestJsonFn } from '../ingest/ingest-service.js'
import { sendError } from './errors.js'

/** 1,000 events × 2,000-char descriptions fit with room to spare; beyond this is 413. */
export const MAX_BODY = '8mb'

const admitAll: RequestHandler = (_req, _res, next) => next()

/**
 * POST /api/v1/events — admission first (429 + Retry-After when overloaded, before the body is read), then the raw
 * body goes to the ingest service, which parses and validates the envelope and each event on a worker thread (this
 * thread only reads the bytes); answered after commit.
 */
export function eventsRouter(ingestJson: IngestJsonFn, admit: RequestHandler = admitAll): Router {
  const router = Router()
  router.post('/events', admit, express.raw({ limit: MAX_BODY, type: () => true }), async (req, res) => {
    if (!req.is('application/json')) return sendError(res, 415, 'expected Content-Type: application/json')
    const answer = await ingestJson(req.body as Buffer)
    if ('error' in answer) return sendError(res, 400, answer.error, answer.details)
    res.json(answer)
  })
  return router
}
