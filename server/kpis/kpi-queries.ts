import { indicators, type KpiIndicator } from '../../shared/kpi/catalogue.js'
import { addCounts, type KpiCounts, zeroCounts } from '../../shared/kpi/counts.js'
import { leagueTable, type LeagueRow } from '../../shared/kpi/league.js'
import type { ParsedScope } from '../../shared/scope.js'
import type { KpiArea, KpiCountsQuery } from '../store/repository.js'
import type { KpiCountsSource } from './maintained-kpis.js'

/** A live scope (city, district:…, street:…) as a counts area. */
export function scopeArea(scope: ParsedScope): KpiArea {
  if (scope.level === 'district') return { district: scope.code! }
  if (scope.level === 'street') return { street: scope.code! }
  return {}
}

/** The counts of one area and period (the sum of the rows, so an empty period is all zeros). */
export async function countsOf(repo: KpiCountsSource, q: Omit<KpiCountsQuery, 'groupBy'>, nowIso: string): Promise<KpiCounts> {
  const rows = await repo.kpiCounts(q, nowIso)
  return rows.reduce((sum, r) => addCounts(sum, r.counts), zeroCounts())
}

/** Every catalogue indicator of an area and period: what /kpis answers. */
export async function kpisOf(repo: KpiCountsSource, q: Omit<KpiCountsQuery, 'groupBy'>, nowIso: string): Promise<{ counts: KpiCounts, indicators: KpiIndicator[] }> {
  const counts = await countsOf(repo, q, nowIso)
  return { counts, indicators: indicators(counts) }
}

/** The league table of departments or streets over a period, each row with every indicator. */
export async function leagueOf(repo: KpiCountsSource, area: KpiArea, by: 'department' | 'street', fromMs: number, toMs: number, nowIso: string): Promise<LeagueRow[]> {
  const rows = await repo.kpiCounts({ area, fromMs, toMs, groupBy: [by] }, nowIso)
  // cases never dispatched have no department: they are nobody's in a department league
  return leagueTable(rows.filter(r => r.key[0] !== '').map(r => ({ key: r.key[0]!, counts: r.counts })))
}
