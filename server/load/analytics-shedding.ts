import type { RequestHandler } from 'express'

export interface SheddingOptions {
  /** Analytics are refused while the event loop has recently run this late (ms). */
  maxEventLoopDelayMs: number
  /** … or while this many ingested events wait for (or are in) a commit. */
  maxIngestBacklog: number
  /** … or while this many analytics requests are already being answered. */
  maxInFlight: number
  /** What `Retry-After` says (seconds). */
  retryAfterSeconds: number
}

/** Defaults; configured by ANALYTICS_MAX_LOOP_DELAY_MS and ANALYTICS_MAX_INGEST_BACKLOG (server/config.ts). */
export const DEFAULT_SHEDDING: SheddingOptions = { maxEventLoopDelayMs: 200, maxIngestBacklog: 8_000, maxInFlight: 16, retryAfterSeconds: 2 }

/** What the server's load is read from: the loop monitor and the ingest pipeline. */
export interface LoadSignals {
  /** Worst event-loop lateness of about the last second (ms). */
  loopDelayMs: () => number
  /** Ingested events accepted but not yet committed. */
  ingestBacklog: () => number
}

export type ShedReason = 'event-loop-delay' | 'ingest-backlog' | 'in-flight'

export interface SheddingStats { inFlight: number, shed: number, byReason: Record<ShedReason, number> }

/**
 * Overload is explicit (issue #13), by priority: ingest acknowledgements, operator actions and live pushes come first;
 * analytics (analysis, KPIs, league, campaign progress, coverage outlines) are the first thing let go. While the loop
 * runs late, the ingest backlog is deep or enough analytics are already in flight, an analytics request is answered
 * at once with 503 + `Retry-After` — never left to queue behind the work that matters (no stale answer is served:
 * a client sees that it must retry). The thresholds sit well below ingest's own 429 limits, so analytics stop first.
 */
export function analyticsShedding(signals: LoadSignals, opts: SheddingOptions): { guard: RequestHandler, stats: () => SheddingStats } {
  let inFlight = 0
  let shed = 0
  const byReason: Record<ShedReason, number> = { 'event-loop-delay': 0, 'ingest-backlog': 0, 'in-flight': 0 }

  const guard: RequestHandler = (_req, res, next) => {
    const delayMs = signals.loopDelayMs()
    const backlog = signals.ingestBacklog()
    const reason: ShedReason | null = delayMs > opts.maxEventLoopDelayMs ? 'event-loop-delay'
      : backlog > opts.maxIngestBacklog ? 'ingest-backlog'
        : inFlight >= opts.maxInFlight ? 'in-flight'
          : null
    if (reason) {
      shed += 1
      byReason[reason] += 1
      const detail = reason === 'event-loop-delay' ? `event loop ${Math.round(delayMs)} ms late (limit ${opts.maxEventLoopDelayMs})`
        : reason === 'ingest-backlog' ? `${backlog} ingested events awaiting commit (limit ${opts.maxIngestBacklog})`
          : `${inFlight} analytics requests in flight (limit ${opts.maxInFlight})`
      res.set('Retry-After', String(opts.retryAfterSeconds)).status(503).json({
        error: 'overloaded: analytics paused, retry later', reason, retryAfterSeconds: opts.retryAfterSeconds, detail,
      })
      return
    }
    inFlight += 1
    let done = false
    const release = () => {
      if (done) return
      done = true
      inFlight -= 1
    }
    res.once('finish', release)
    res.once('close', release)
    next()
  }
  return { guard, stats: () => ({ inFlight, shed, byReason: { ...byReason } }) }
}

/** GET paths under /api/v1 that are analytics (shed first). */
const ANALYTICS = [/^\/analysis\//, /^\/kpis$/, /^\/league$/, /^\/campaigns(\/|$)/, /^\/coverage\/cells$/]

export function isAnalytics(method: string, path: string): boolean {
  return method === 'GET' && ANALYTICS.some(re => re.test(path))
}
