import type { RequestHandler } from 'express'
import { apiKeySourceId } from './signals.js'
import type { SourceRegistry } from './registry.js'

/** A refused POST /api/v1/events is refused whole, before its events are counted one by one. */
const REASON_OF_STATUS: Record<number, string> = { 400: 'schema:events', 401: 'auth', 403: 'forbidden', 413: 'too-large', 415: 'content-type', 429: 'rate-limit' }

/** The API key a request was authenticated with (issue #14 puts it in `res.locals.apiKey`), if any. */
export function requestKeyId(locals: Record<string, unknown>): string | null {
  const key = locals.apiKey as { id?: unknown } | undefined
  return typeof key?.id === 'string' ? key.id : null
}

/**
 * Counts the requests the events route refuses as a whole (overload, a key's rate limit or scope, a bad
 * envelope), by reason: under the API key that sent them, else `http:unknown`.
 */
export function countHttpRefusals(registry: SourceRegistry): RequestHandler {
  return (_req, res, next) => {
    res.once('finish', () => {
      const reason = REASON_OF_STATUS[res.statusCode]
      if (!reason) return
      const keyId = requestKeyId(res.locals)
      registry.rejected(keyId ? apiKeySourceId(keyId) : 'http:unknown', reason)
    })
    next()
  }
}
