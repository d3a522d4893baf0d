import type { Severity, Source } from './enums.js'
import type { KpiIndicator } from './kpi/catalogue.js'
import type { CaseStatus } from './workflow/states.js'

/**
 * The analysts' drill-down (issue #4): levels, query, answers. Written once for the server (which computes them from
 * the rollups) and the client (which draws them). Pure: no imports from either side.
 */
export const DRILL_LEVELS = ['city', 'district', 'street', 'community', 'cell'] as const
export type DrillLevel = typeof DRILL_LEVELS[number]

/** The level below; null for a grid cell, whose "children" are the incidents themselves. */
export function childLevel(level: DrillLevel): DrillLevel | null {
  const k = DRILL_LEVELS.indexOf(level)
  return k < DRILL_LEVELS.length - 1 ? DRILL_LEVELS[k + 1]! : null
}

/** Parts of a summary; the client asks for all, the benchmark for one at a time. */
export const SUMMARY_PARTS = ['children', 'trend', 'categories', 'sources', 'statuses', 'hourOfWeek', 'departments', 'cells', 'frames'] as const
export type SummaryPart = typeof SUMMARY_PARTS[number]

/** Filters of every drill-down query. `category` is a small class ("0102") or a big class ("01"). */
export interface AnalysisFilters {
  category?: string
  source?: Source
  status?: CaseStatus
}

/** The rollups' resolution: ranges are whole hours, `from` rounded down and `to` up. */
export const HOUR_MS = 3_600_000
export const floorHour = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS
export const ceilHour = (ms: number) => Math.ceil(ms / HOUR_MS) * HOUR_MS

/** Trend buckets: hourly up to this span, daily above it. */
export const HOURLY_TREND_MAX_MS = 3 * 86_400_000

export function trendBucket(fromMs: number, toMs: number): 'hour' | 'day' {
  return toMs - fromMs <= HOURLY_TREND_MAX_MS ? 'hour' : 'day'
}

/** Stages of the status funnel, each counting the cases that reached it. */
export const FUNNEL_STAGES = ['reported', 'filed', 'dispatched', 'handled', 'closed'] as const
export type FunnelStage = typeof FUNNEL_STAGES[number]

/**
 * How far a case in `status` has come: the index of the last funnel stage it passed (a postponed case was filed and
 * is counted as dispatched; a rework goes back to dispatched but was handled once, which its status no longer shows).
 * Rejected and merged reports stop at "reported".
 */
export function funnelReach(status: CaseStatus): number {
  switch (status) {
    case 'reported': case 'rejected': case 'merged': return 0
    case 'filed': return 1
    case 'dispatched': case 'postponed': return 2
    case 'handled': case 'verified': return 3
    case 'closed': return 4
  }
}

/** Whether a case was handled by its deadline: 0 not handled (yet), 1 on time, 2 late. Same rule as the KPIs. */
export function onTimeClass(handledAt: string | undefined | null, deadline: string | undefined | null): 0 | 1 | 2 {
  if (!handledAt) return 0
  return deadline && handledAt <= deadline ? 1 : 2
}

export interface UnitRef { level: DrillLevel, code: string, name: string }

export interface AnalysisUnit extends UnitRef {
  population: number
  areaKm2: number
}

/** One child of the selected unit with its figures (the choropleth and the ranking table). */
export interface ChildRow extends AnalysisUnit {
  count: number
  /** Same length of time just before (环比). */
  previous: number
  /** Incidents per 10,000 residents and per km² (null without population/area). */
  per10k: number | null
  perKm2: number | null
  /** Reached filed, handled, handled on time, closed (from the cube); open and past the deadline now. */
  filed: number
  handled: number
  handledOnTime: number
  overdue: number
  closed: number
  /** Every catalogue indicator of the child over the range (the same figures as /kpis gives for it). */
  indicators: KpiIndicator[]
}

export interface UnitKpis {
  filed: number
  handled: number
  handledOnTime: number
  overdue: number
  closed: number
  per10k: number | null
  perKm2: number | null
}

export interface DepartmentRow {
  department: string
  handled: number
  handledOnTime: number
  /** Dispatched, not handled and past the deadline now. */
  overdue: number
  /** Every catalogue indicator of the department's cases in the unit over the range. */
  indicators: KpiIndicator[]
}

export interface TrendSeries {
  bucket: 'hour' | 'day'
  /** ISO start of each bucket of the selected range. */
  starts: string[]
  current: number[]
  /** The same number of buckets just before (环比). */
  previous: number[]
  /** The same dates one year earlier (同比). */
  lastYear: number[]
}

export interface AnalysisSummary {
  unit: AnalysisUnit
  /** Ancestors from the city down to (and including) the unit, for breadcrumbs. */
  path: UnitRef[]
  from: string
  to: string
  filters: AnalysisFilters
  total: number
  /** Totals of the comparison periods (computed with the trend or the children; null otherwise). */
  previousTotal: number | null
  lastYearTotal: number | null
  /** The unit's own case figures over the range (same definitions as a child row's). */
  kpis: UnitKpis
  /** Every catalogue indicator of the unit over the range, filters applied: the same figures as /kpis for it. */
  indicators: KpiIndicator[]
  children?: ChildRow[]
  trend?: TrendSeries
  categories?: Record<string, number>
  sources?: Record<string, number>
  statuses?: Record<string, number>
  /** Reached-stage counts in FUNNEL_STAGES order. */
  funnel?: number[]
  /** 7 × 24 counts, index = weekday (0 = Monday) × 24 + local hour. */
  hourOfWeek?: number[]
  departments?: DepartmentRow[]
  /** Counts per grid cell inside the unit (H3 index → count), non-zero only. */
  cells?: Record<string, number>
  /** Playback: counts per child per frame (hourly up to 31 days, daily beyond), aligned with `starts`. */
  frames?: { bucket: 'hour' | 'day', starts: string[], totals: number[], byChild: Record<string, number[]> }
}

/** A row of the incident table (no reporter data). */
export interface AnalysisIncident {
  id: string
  reportedAt: string
  category: string
  source: Source
  severity: Severity
  status: CaseStatus
  district: string
  street: string
  community: string
  cell: string
  department?: string
  description: string
  lon: number
  lat: number
}

export const INCIDENT_SORTS = ['reportedAt', 'category', 'source', 'severity', 'status'] as const
export type IncidentSort = typeof INCIDENT_SORTS[number]
/** Sorting by anything but time needs a full sort of the matches: allowed up to this many. */
export const MAX_SORTABLE_MATCHES = 200_000

export interface AnalysisIncidentPage {
  total: number
  page: number
  pageSize: number
  rows: AnalysisIncident[]
}

/** Incident points for the map and the playback: columns, to keep tens of thousands of points small. */
export interface AnalysisPoints {
  truncated: boolean
  ids: string[]
  lon: number[]
  lat: number[]
  /** ms since the epoch */
  t: number[]
  severity: Severity[]
  category: string[]
}

/** Does a category code match a filter of a small class ("0102") or a big class ("01")? */
export function categoryMatches(code: string, filter: string | undefined): boolean {
  return filter === undefined || (filter.length === 2 ? code.startsWith(filter) : code === filter)
}
