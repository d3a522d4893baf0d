import type { AnalysisFilters, DrillLevel } from '../../shared/analysis.js'

export interface AnalysisQuery {
  level: DrillLevel
  code: string
  /** Whole hours: the router rounds them. */
  fromMs: number
  toMs: number
  filters: AnalysisFilters
}

export class AnalysisError extends Error {
  constructor(readonly path: string, message: string) {
    super(message)
  }
}

/**
 * The history is still being read into memory (a start without the cube's snapshot, e.g. after a crash) and this
 * request needs more of it than is worth waiting for: the router answers 503 with Retry-After and the progress.
 */
export class WarmingError extends Error {
  constructor(readonly loadedDays: number, readonly totalDays: number) {
    super(`the drill-down history is still loading (${loadedDays} of ${totalDays} days)`)
  }
}
