import type { RequestHandler } from 'express'
import { sendError } from './errors.js'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i
/** The header a client without a body (a reload, a DELETE) sends instead; any value. */
export const REQUEST_HEADER = 'x-requested-with'

/**
 * State-changing API requests must be JSON or carry `X-Requested-With`: a cross-site HTML form can send neither, and a
 * cross-site script can only send them after a CORS preflight, which this server never grants. So a page on another
 * site cannot make the browser POST here with the user's cookies (e.g. a body-less `POST /api/v1/greenway/reload`).
 * Open311's form-encoded POST is outside /api and authenticated by its api_key (docs/SECURITY.md).
 */
export const requireJsonOrHeader: RequestHandler = (req, res, next) => {
  if (SAFE_METHODS.has(req.method)) return next()
  if (JSON_TYPE.test(req.get('content-type') ?? '') || req.get(REQUEST_HEADER)) return next()
  sendError(res, 415, 'state-changing requests need Content-Type: application/json (or an X-Requested-With header when there is no body)', [
    { path: '(headers).content-type', message: `content-type: expected application/json, got ${JSON.stringify(req.get('content-type') ?? null)}` },
  ])
}
