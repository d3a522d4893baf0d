import type { AnalysisFilters } from '../../../shared/analysis.js'
import type { Incident } from '../../../shared/incident.js'
import type { KpiCounts } from '../../../shared/kpi/counts.js'

/** Where KPI counts are taken: the whole city, or one district, street, community or grid cell. */
export interface KpiArea { district?: string, street?: string, community?: string, cell?: string }
/** Columns the KPI counts can be grouped by (at most two: the drill-down's children × departments). */
export type KpiGroup = 'district' | 'street' | 'community' | 'cell' | 'department'
/** The KPI counts of the cases reported in [fromMs, toMs) in an area, optionally filtered and grouped. */
export interface KpiCountsQuery { area: KpiArea, fromMs: number, toMs: number, filters?: AnalysisFilters, groupBy?: readonly KpiGroup[] }
/** One group's counts; `key` holds the group columns' values in `groupBy` order (empty without grouping). */
export interface KpiCountsRow { key: string[], counts: KpiCounts }

/**
 * What the maintained KPI counts (server/kpis/) are rebuilt from at start, read in one snapshot: the
 * counts of every (report hour, street, department) with the span of report times in it — row k's counts are
 * `values[k * COUNT_FIELDS.length …]` in COUNT_FIELDS order, its hour / street index / department index `keys[3k …]` —,
 * the cases that can still pass their deadline (open, filed, deadline not passed at `nowIso`), and the store's seq.
 */
export interface KpiLedgerSource {
  seq: number
  streets: string[]
  /** The district of each street (same order). */
  districts: string[]
  departments: string[]
  keys: Int32Array
  values: Float64Array
  minMs: Float64Array
  maxMs: Float64Array
  pending: Incident[]
}

export interface KpiCountRepository {
  /**
   * The one source of KPI counts (issue #11): /kpis, the league and the drill-down's indicators all read it, so they
   * agree by construction. Without `groupBy`: exactly one row (zeros for an empty period).
   */
  kpiCounts: (q: KpiCountsQuery, nowIso: string) => Promise<KpiCountsRow[]>
  /** Everything the maintained KPI counts start from (one consistent read). */
  kpiLedgerSource: (nowIso: string) => Promise<KpiLedgerSource>
}
