import express, { type RequestHandler, Router } from 'express'
import { issuesToDetails } from '../../shared/schemas/errors.js'
import { eventBatchSchema } from '../../shared/schemas/incident.js'
import type { ApiKeyService } from '../auth/api-keys.js'
import type { Audit } from '../auth/audit.js'
import { apiKeyOf, principal } from '../auth/authenticate.js'
import { ingestDenied } from '../auth/ingest-guard.js'
import { type IngestFn, IngestRefused } from '../ingest/ingest-service.js'
import { sendError } from './errors.js'

/** 1,000 events × 2,000-char descriptions fit with room to spare; beyond this is 413. */
export const MAX_BODY = '8mb'

const admitAll: RequestHandler = (_req, _res, next) => next()

/** Who may post, each key's rate limit, and key-use auditing (issue #14). */
export interface IngestAccess { keys: ApiKeyService, audit: Audit }

/** Refuses senders that may not post at all before the body is read: 401 anonymous, 403 a wrong role or a display. */
const mayPost: RequestHandler = (_req, res, next) => {
  const denied = ingestDenied(principal(res))
  if (denied) return sendError(res, denied.status, denied.error)
  next()
}

/**
 * POST /api/v1/events — who may post first, then admission (429 + Retry-After when overloaded, before the body is
 * read), then the envelope is validated here, the key's own rate limit (429 + Retry-After), each event in the ingest
 * service (which also checks the sender's sources and scope: 403 naming the field); answered after commit.
 */
export function eventsRouter(ingest: IngestFn, admit: RequestHandler = admitAll, access?: IngestAccess): Router {
  const router = Router()
  router.post('/events', mayPost, admit, express.json({ limit: MAX_BODY, strict: false }), async (req, res) => {
    if (!req.is('application/json')) return sendError(res, 415, 'expected Content-Type: application/json')
    const envelope = eventBatchSchema.safeParse(req.body)
    if (!envelope.success) return sendError(res, 400, 'invalid request body', issuesToDetails(envelope.error))
    const p = principal(res)
    const key = apiKeyOf(res)
    if (p.kind === 'key' && key && access) {
      const admitted = access.keys.admit(key, envelope.data.events.length)
      if (!admitted.ok) {
        res.set('Retry-After', String(admitted.retryAfterS))
        return sendError(res, 429, `rate limit of API key ${p.name} exceeded (${key.ratePerMin} reports a minute)`)
      }
      void access.audit.keyUsed(p.id, p.name, req.ip ?? null, envelope.data.events.length)
    }
    try {
      const results = await ingest(envelope.data.events, p)
      // an id resent with other content is a source's bug worth a status of its own; every event's result is still in
      // the body (the others were stored or were duplicates, so resending the batch is safe)
      const conflicts = results.flatMap((r, k) => r.status === 'conflict' ? [{ path: `events.${k}.id`, message: r.error! }] : [])
      if (conflicts.length > 0) return res.status(409).json({ error: 'id already stored with different content', details: conflicts, results })
      res.json({ results })
    } catch (err) {
      if (err instanceof IngestRefused) return sendError(res, 403, 'not allowed to post these reports', err.details)
      throw err
    }
  })
  return router
}
