import type { RequestHandler } from 'express'
import type { EventLoopMonitor } from './event-loop-monitor.js'

export interface AdmissionOptions {
  /** Ingest requests being received, validated or stored at once; beyond this a new one is refused. */
  maxInFlightRequests: number
  /** A new ingest request is refused while the event loop has recently run this late (ms). */
  maxEventLoopDelayMs: number
  /** What `Retry-After` says (seconds). */
  retryAfterSeconds: number
}

/** Defaults; the limits are configured by INGEST_MAX_IN_FLIGHT and INGEST_MAX_LOOP_DELAY_MS (server/config.ts). */
export const DEFAULT_ADMISSION: AdmissionOptions = { maxInFlightRequests: 64, maxEventLoopDelayMs: 2000, retryAfterSeconds: 1 }

export interface AdmissionStats { inFlightRequests: number, refused: number }

/**
 * Admission for POST /api/v1/events, before the body is read: beyond what the server can take it answers 429 with
 * `Retry-After` at once, instead of queueing work it would answer seconds later (or never). A refused batch is
 * refused whole, before anything of it is stored; an admitted one is answered after commit as always.
 */
export function ingestAdmission(monitor: EventLoopMonitor, opts: AdmissionOptions): { admit: RequestHandler, stats: () => AdmissionStats } {
  let inFlight = 0
  let refused = 0
  const admit: RequestHandler = (_req, res, next) => {
    const delayMs = monitor.recentDelayMs()
    const reason = inFlight >= opts.maxInFlightRequests ? 'in-flight' : delayMs > opts.maxEventLoopDelayMs ? 'event-loop-delay' : null
    if (reason) {
      refused++
      res.set('Retry-After', String(opts.retryAfterSeconds)).status(429).json({
        error: 'overloaded: retry later',
        reason,
        retryAfterSeconds: opts.retryAfterSeconds,
        detail: reason === 'in-flight' ? `${inFlight} ingest requests in flight (limit ${opts.maxInFlightRequests})` : `event loop ${Math.round(delayMs)} ms late (limit ${opts.maxEventLoopDelayMs})`,
      })
      return
    }
    inFlight++
    let done = false
    const release = () => {
      if (done) return
      done = true
      inFlight--
    }
    res.once('finish', release)
    res.once('close', release)
    next()
  }
  return { admit, stats: () => ({ inFlightRequests: inFlight, refused }) }
}
