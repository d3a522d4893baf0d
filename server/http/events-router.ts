import express, { type RequestHandler, Router } from 'express'
import type { ApiKeyService } from '../auth/api-keys.js'
import type { Audit } from '../auth/audit.js'
import { apiKeyOf, principal } from '../auth/authenticate.js'
import { ingestDenied } from '../ingest/ingest-guard.js'
import { type IngestAdmit, type IngestJsonFn, IngestRefused, IngestThrottled } from '../ingest/ingest-service.js'
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
 * read), then the raw body goes to the ingest service, which parses and validates the envelope and each event on a
 * worker thread (this thread only reads the bytes), asks the key's own rate limit (429 + Retry-After) and checks the
 * sender's sources and scope (403 naming the field); answered after commit.
 */
export function eventsRouter(ingestJson: IngestJsonFn, admit: RequestHandler = admitAll, access?: IngestAccess): Router {
  const router = Router()
  router.post('/events', mayPost, admit, express.raw({ limit: MAX_BODY, type: () => true }), async (req, res) => {
    if (!req.is('application/json')) return sendError(res, 415, 'expected Content-Type: application/json')
    // the body is decoded as UTF-8 on a worker thread: another charset is refused as body-parser would refuse it
    const charset = /;\s*charset=([^;]+)/i.exec(req.get('content-type') ?? '')?.[1]?.trim().replace(/^"|"$/g, '').toLowerCase()
    if (charset && charset !== 'utf-8' && charset !== 'utf8') return sendError(res, 415, `unsupported charset "${charset}"`, [{ path: '(headers).content-type', message: 'the body must be UTF-8 JSON' }])
    const p = principal(res)
    const key = apiKeyOf(res)
    const keyAdmit: IngestAdmit | undefined = p.kind === 'key' && key && access
      ? (n) => {
          const admitted = access.keys.admit(key, n)
          if (!admitted.ok) return { ok: false, retryAfterS: admitted.retryAfterS, message: `rate limit of API key ${p.name} exceeded (${key.ratePerMin} reports a minute)` }
          void access.audit.keyUsed(p.id, p.name, req.ip ?? null, n)
          return { ok: true }
        }
      : undefined
    try {
      const answer = await ingestJson(req.body as Buffer, { by: p, admit: keyAdmit })
      if ('error' in answer) return sendError(res, 400, answer.error, answer.details)
      // an id resent with other content is a source's bug worth a status of its own; every event's result is still in
      // the body (the others were stored or were duplicates, so resending the batch is safe)
      const conflicts = answer.results.flatMap((r, k) => r.status === 'conflict' ? [{ path: `events.${k}.id`, message: r.error! }] : [])
      if (conflicts.length > 0) return res.status(409).json({ error: 'id already stored with different content', details: conflicts, results: answer.results })
      res.json(answer)
    } catch (err) {
      if (err instanceof IngestRefused) return sendError(res, 403, 'not allowed to post these reports', err.details)
      if (err instanceof IngestThrottled) {
        res.set('Retry-After', String(err.retryAfterS))
        return sendError(res, 429, err.message)
      }
      throw err
    }
  })
  return router
}
