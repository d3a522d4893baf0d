import type { RequestHandler } from 'express'
import type { SourceRegistry } from './registry.js'

/** A refused POST /api/v1/events is refused whole, before its events are read: counted under `http:unknown`. */
const REASON_OF_STATUS: Record<number, string> = { 400: 'schema:events', 413: 'too-large', 415: 'content-type', 429: 'rate-limit' }

/** Counts the requests the events route refuses as a whole (overload, a bad envelope), by reason. */
export function countHttpRefusals(registry: SourceRegistry): RequestHandler {
  return (_req, res, next) => {
    res.once('finish', () => {
      const reason = REASON_OF_STATUS[res.statusCode]
      if (reason) registry.rejected('http:unknown', reason)
    })
    next()
  }
}
