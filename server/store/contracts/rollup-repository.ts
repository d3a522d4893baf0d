import type { AnalysisFilters, AnalysisPoints, IncidentSort } from '../../../shared/analysis.js'
import type { Incident } from '../../../shared/incident.js'

/** The facts a case's drill-down rollup row is keyed by (report hour, cell, category, source, status, department, on time). */
export type RollupFacts = Pick<Incident, 'reportedAt' | 'cell' | 'community' | 'street' | 'district' | 'category' | 'source' | 'status' | 'department' | 'handledAt' | 'deadline'>

/** After commit, once per rollup change: +1 for a new case or the key a case moved to, −1 for the key it left. */
export type RollupListener = (facts: RollupFacts, sign: 1 | -1) => void

/** One rollup row, positionally (loading millions of rows allocates no object per row). */
export type RollupRowVisitor = (hour: number, cell: string, category: string, source: string, status: string, department: string,
  onTime: number, community: string, street: string, district: string, n: number) => void

/** Where a drill-down raw read looks: a district, a list of communities (a street's or one), and optionally one cell. */
export interface AnalysisArea { district?: string, communities?: readonly string[], cell?: string }

export interface AnalysisRawQuery { area: AnalysisArea, fromMs: number, toMs: number, filters: AnalysisFilters }
export interface AnalysisPageQuery extends AnalysisRawQuery { sort: IncidentSort, desc: boolean, offset: number, limit: number }

/** Open cases past their deadline, by cell and department (the part of 应处置数 that changes with the clock). */

/** The drill-down's reads (issue #4): the hourly rollup of cases, its change feed, and the raw reads beneath it. */
export interface RollupRepository {
  /** Subscribe to rollup changes; returns the unsubscribe. */
  watchRollup: (listener: RollupListener) => () => void
  /**
   * Visits the stored rollup rows of report hours [fromHour, toHour) (to load the in-memory copy); resolves to the
   * number of rows. The SQLite store reads them synchronously within the call.
   */
  eachRollupRow: (fromHour: number, toHour: number, visit: RollupRowVisitor) => Promise<number>
  /** Brings the rollup table up to date with every committed change now (the store may otherwise batch its upkeep). */
  flushRollup: () => Promise<void>
  /** Changes whenever anything is written (the drill-down's snapshot is valid only for the version it was taken at). */
  rollupVersion: () => Promise<string>
  /** First and last report hour in the rollup, or null when it is empty. */
  rollupHours: () => Promise<[number, number] | null>
  /** A page of the incidents matching a drill-down query. */
  analysisIncidents: (q: AnalysisPageQuery) => Promise<Incident[]>
  /** Incident points matching a drill-down query, oldest first, at most `limit`. */
  analysisPoints: (q: AnalysisRawQuery, limit: number) => Promise<AnalysisPoints>
}
