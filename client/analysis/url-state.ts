import { type AnalysisFilters, DRILL_LEVELS, type DrillLevel, HOUR_MS, INCIDENT_SORTS, type IncidentSort } from '../../shared/analysis.js'
import { SOURCES, type Source } from '../../shared/enums.js'
import { CASE_STATUSES, type CaseStatus } from '../../shared/workflow/states.js'

/**
 * The drill-down's whole state lives in the URL: /analysis/:level/:code?from=&to=&category=&source=&status=&metric=
 * &page=&sort=&case=. Dates are local calendar days (YYYY-MM-DD), `to` included, so a copied link shows the same
 * figures tomorrow. Pure functions: parsing is forgiving (a bad value falls back to its default), writing is canonical.
 */
export const METRICS = ['per10k', 'perKm2', 'count'] as const
export type Metric = typeof METRICS[number]
export const RANGE_PRESETS = ['today', '7d', '30d', 'year'] as const
export type RangePreset = typeof RANGE_PRESETS[number] | 'custom'

export interface AnalysisState {
  level: DrillLevel
  code: string
  from: string
  to: string
  filters: AnalysisFilters
  metric: Metric
  page: number
  sort: IncidentSort
  desc: boolean
  caseId: string | null
}

const DAY_MS = 86_400_000
const DATE = /^\d{4}-\d{2}-\d{2}$/
const DEFAULT_PRESET = '7d'

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)
}

export function presetRange(preset: Exclude<RangePreset, 'custom'>, today: string): { from: string, to: string } {
  switch (preset) {
    case 'today': return { from: today, to: today }
    case '7d': return { from: addDays(today, -6), to: today }
    case '30d': return { from: addDays(today, -29), to: today }
    case 'year': return { from: `${today.slice(0, 4)}-01-01`, to: today }
  }
}

export function detectPreset(from: string, to: string, today: string): RangePreset {
  return RANGE_PRESETS.find((p) => {
    const r = presetRange(p, today)
    return r.from === from && r.to === to
  }) ?? 'custom'
}

type Query = Record<string, unknown>
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined)

export function stateFromRoute(params: Record<string, unknown>, query: Query, today: string, cityCode: string): AnalysisState {
  const rawLevel = str(params.level)
  const level: DrillLevel = (DRILL_LEVELS as readonly string[]).includes(rawLevel ?? '') ? rawLevel as DrillLevel : 'city'
  const code = level === 'city' ? cityCode : str(params.code) ?? cityCode
  const fallback = presetRange(DEFAULT_PRESET, today)
  let from = DATE.test(str(query.from) ?? '') ? str(query.from)! : fallback.from
  let to = DATE.test(str(query.to) ?? '') ? str(query.to)! : (DATE.test(str(query.from) ?? '') ? from : fallback.to)
  if (to < from) [from, to] = [to, from]
  const filters: AnalysisFilters = {}
  const category = str(query.category)
  if (category && /^\d{2}(\d{2})?$/.test(category)) filters.category = category
  const source = str(query.source)
  if (source && (SOURCES as readonly string[]).includes(source)) filters.source = source as Source
  const status = str(query.status)
  if (status && (CASE_STATUSES as readonly string[]).includes(status)) filters.status = status as CaseStatus
  const metric = (METRICS as readonly string[]).includes(str(query.metric) ?? '') ? str(query.metric) as Metric : 'per10k'
  const page = Math.max(1, Math.floor(Number(str(query.page) ?? 1)) || 1)
  const rawSort = str(query.sort) ?? '-reportedAt'
  const desc = rawSort.startsWith('-')
  const sortKey = desc ? rawSort.slice(1) : rawSort
  const sort = (INCIDENT_SORTS as readonly string[]).includes(sortKey) ? sortKey as IncidentSort : 'reportedAt'
  return { level, code, from, to, filters, metric, page, sort, desc: sort === sortKey ? desc : true, caseId: str(query.case) ?? null }
}

/** The canonical location of a state: always with its dates, defaults of the other fields left out. */
export function routeFromState(s: AnalysisState): { path: string, query: Record<string, string> } {
  const query: Record<string, string> = { from: s.from, to: s.to }
  if (s.filters.category) query.category = s.filters.category
  if (s.filters.source) query.source = s.filters.source
  if (s.filters.status) query.status = s.filters.status
  if (s.metric !== 'per10k') query.metric = s.metric
  if (s.page > 1) query.page = String(s.page)
  if (s.sort !== 'reportedAt' || !s.desc) query.sort = `${s.desc ? '-' : ''}${s.sort}`
  if (s.caseId) query.case = s.caseId
  return { path: `/analysis/${s.level}/${s.level === 'city' ? '' : s.code}`.replace(/\/$/, ''), query }
}

/**
 * The API range of local days [from, to]: local midnight of `from` to local midnight after `to`, but not past the
 * current hour (so today's trend ends now instead of running on at zero).
 */
export function apiRange(from: string, to: string, nowMs: number, utcOffsetMinutes: number): { fromMs: number, toMs: number } {
  const offset = utcOffsetMinutes * 60_000
  const fromMs = Date.parse(`${from}T00:00:00Z`) - offset
  const endOfTo = Date.parse(`${addDays(to, 1)}T00:00:00Z`) - offset
  const nowCeil = Math.ceil((nowMs + 1) / HOUR_MS) * HOUR_MS
  return { fromMs, toMs: Math.max(fromMs + HOUR_MS, Math.min(endOfTo, nowCeil)) }
}

/** The query string the API takes for a state (level, code, range, filters). */
export function apiParams(s: Pick<AnalysisState, 'level' | 'code' | 'filters'>, range: { fromMs: number, toMs: number }): URLSearchParams {
  const p = new URLSearchParams({ level: s.level, code: s.code, from: new Date(range.fromMs).toISOString(), to: new Date(range.toMs).toISOString() })
  if (s.filters.category) p.set('category', s.filters.category)
  if (s.filters.source) p.set('source', s.filters.source)
  if (s.filters.status) p.set('status', s.filters.status)
  return p
}
