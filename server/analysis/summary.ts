import {
  type ChildRow, childLevel, type DepartmentRow, type AnalysisSummary, type AnalysisUnit, FUNNEL_STAGES, funnelReach, HOUR_MS, type SummaryPart,
  trendBucket,
} from '../../shared/analysis.js'
import { indicators, type KpiIndicator } from '../../shared/kpi/catalogue.js'
import { addCounts, type KpiCounts, zeroCounts } from '../../shared/kpi/counts.js'
import type { CaseStatus } from '../../shared/workflow/states.js'
import type { CityGeo } from '../geo/city-geo.js'
import type { KpiArea, KpiCountRepository, KpiGroup, RollupRepository } from '../store/repository.js'
import type { KpiCountsSource } from '../kpis/maintained-kpis.js'
import type { RollupCube } from './cube/rollup-cube.js'
import type { ScanResult, ScanSpec, ScanWants } from './cube/scan.js'
import type { AnalysisQuery } from './query.js'
import { type Resolved, type Units } from './units.js'

const PLAYBACK_HOURLY_MAX_MS = 31 * 86_400_000
const YEAR_SHIFT = -1

/** The same local wall-clock instant `years` years away (29 February falls back to the 28th). */
export function shiftYears(ms: number, years: number, utcOffsetMinutes: number): number {
  const offset = utcOffsetMinutes * 60_000
  const d = new Date(ms + offset)
  const month = d.getUTCMonth()
  d.setUTCFullYear(d.getUTCFullYear() + years)
  if (d.getUTCMonth() !== month) d.setUTCDate(0)
  return d.getTime() - offset
}

/** A unit's summary (counts, trends, breakdowns, heat, playback frames, indicators) from cube scans and the store's counts. */
export function createSummary(deps: { geo: CityGeo, repo: RollupRepository & KpiCountRepository, cube: RollupCube, now: () => number, kpis?: KpiCountsSource },
  units: Units, scan: (s: ScanSpec, w: ScanWants) => Promise<ScanResult>) {
  const { repo, cube } = deps
  const { resolve, spec } = units
  const offsetMin = deps.geo.info.utcOffsetMinutes

  /** Number of trend buckets and their starts for a range. */
  function buckets(fromMs: number, toMs: number, bucket: 'hour' | 'day'): number[] {
    const starts: number[] = []
    if (bucket === 'hour') {
      for (let t = fromMs; t < toMs; t += HOUR_MS) starts.push(t)
      return starts
    }
    const offset = offsetMin * 60_000
    for (let t = Math.floor((fromMs + offset) / 86_400_000) * 86_400_000 - offset; t < toMs; t += 86_400_000) starts.push(t)
    return starts
  }

  const per = (count: number, base: number, scale: number) => base > 0 ? Math.round(count / base * scale * 100) / 100 : null

  async function summary(q: AnalysisQuery, parts: ReadonlySet<SummaryPart>): Promise<AnalysisSummary> {
    const r = resolve(q.level, q.code)
    const bucket = trendBucket(q.fromMs, q.toMs)
    const bucketHours = bucket === 'hour' ? 1 : 24
    const starts = buckets(q.fromMs, q.toMs, bucket)
    const nChildren = r.children.length
    const wantsChildren = parts.has('children') && nChildren > 0
    const wants: ScanWants = {
      children: wantsChildren ? nChildren : 0,
      categories: parts.has('categories'),
      sources: parts.has('sources'),
      statuses: parts.has('statuses'),
      hourOfWeek: parts.has('hourOfWeek'),
      departments: parts.has('departments'),
      cells: parts.has('cells'),
      trend: parts.has('trend') ? starts.length : 0,
    }
    const main = await scan(spec(r, q.fromMs, q.toMs, q.filters, bucketHours, (wants.children ?? 0) > 0), wants)
    // the indicators' counts also give the open cases past their deadline now (超期), per child and department: the
    // same count as the 超期案件数 indicator, from the maintained counts rather than a read of every overdue case
    const kpi = await unitIndicators(r, q, wantsChildren, parts.has('departments'))
    const overdue = kpi.overdue
    const overdueTotal = overdue.total
    const out: AnalysisSummary = {
      unit: r.unit, path: r.path, from: new Date(q.fromMs).toISOString(), to: new Date(q.toMs).toISOString(), filters: q.filters,
      total: main.total, previousTotal: null, lastYearTotal: null,
      kpis: {
        filed: main.filed, handled: main.handled, handledOnTime: main.handledOnTime, overdue: overdueTotal, closed: main.closed,
        per10k: per(main.total, r.unit.population, 10_000), perKm2: per(main.total, r.unit.areaKm2, 1),
      },
      indicators: kpi.unit,
    }

    // comparison periods: the same length just before (环比) and the same dates a year earlier (同比)
    const span = q.toMs - q.fromMs
    const compare = parts.has('trend') || wantsChildren
    if (compare) {
      const prevFrom = q.fromMs - span
      const prevWants: ScanWants = { children: wantsChildren ? nChildren : 0, trend: parts.has('trend') ? starts.length : 0 }
      const prev = await scan(spec(r, prevFrom, q.fromMs, q.filters, bucketHours, wantsChildren), prevWants)
      const lyFrom = shiftYears(q.fromMs, YEAR_SHIFT, offsetMin)
      const lyTo = shiftYears(q.toMs, YEAR_SHIFT, offsetMin)
      const ly = await scan(spec(r, lyFrom, lyTo, q.filters, bucketHours, false), { trend: parts.has('trend') ? starts.length : 0 })
      out.previousTotal = prev.total
      out.lastYearTotal = ly.total
      if (parts.has('trend')) {
        out.trend = {
          bucket, starts: starts.map(t => new Date(t).toISOString()),
          current: Array.from(main.trend!), previous: Array.from(prev.trend!), lastYear: Array.from(ly.trend!),
        }
      }
      if (wantsChildren) out.children = childRows(r, overdue, main.children!, prev.children![0]!, kpi.children)
      else if (parts.has('children')) out.children = []
    } else if (parts.has('children')) {
      out.children = []
    }
    if (main.categories) out.categories = nonZero(cube.categories.values, main.categories)
    if (main.sources) out.sources = nonZero(cube.sources.values, main.sources)
    if (main.statuses) {
      out.statuses = nonZero(cube.statuses.values, main.statuses)
      const funnel = FUNNEL_STAGES.map(() => 0)
      cube.statuses.values.forEach((s, k) => {
        const reach = funnelReach(s as CaseStatus)
        for (let stage = 0; stage <= reach; stage++) funnel[stage]! += main.statuses![k]!
      })
      out.funnel = funnel
    }
    if (main.hourOfWeek) out.hourOfWeek = Array.from(main.hourOfWeek)
    if (main.departments) out.departments = departmentRows(overdue, main.departments, kpi.departments)
    if (main.cells) {
      const cells: Record<string, number> = {}
      main.cells.forEach((n, k) => { if (n > 0) cells[cube.cells.values[k]!] = n })
      out.cells = cells
    }
    if (parts.has('frames')) {
      // the playback moves hour by hour up to a month, day by day beyond
      const bucket = q.toMs - q.fromMs <= PLAYBACK_HOURLY_MAX_MS ? 'hour' : 'day'
      const frameStarts = buckets(q.fromMs, q.toMs, bucket)
      const f = await scan(spec(r, q.fromMs, q.toMs, q.filters, bucket === 'hour' ? 1 : 24, nChildren > 0), { children: nChildren, trend: frameStarts.length, frames: nChildren > 0 })
      const byChild: Record<string, number[]> = {}
      if (f.frames) r.children.forEach((c, k) => { byChild[c.code] = Array.from(f.frames!.subarray(k * frameStarts.length, (k + 1) * frameStarts.length)) })
      out.frames = { bucket, starts: frameStarts.map(t => new Date(t).toISOString()), totals: Array.from(f.trend ?? []), byChild }
    }
    return out
  }

  /**
   * The catalogue's indicators of the unit, its children and its departments over the range, filters applied: from
   * the store's one counts function (the same as /kpis and the league), in one grouped read. The cube keeps only
   * what a rollup row can hold (status, on-time class); postponement, rework, feedback, durations and the overdue
   * state at "now" are not in it, and counts are additive, so the groups sum to the unit.
   */
  async function unitIndicators(r: Resolved, q: AnalysisQuery, children: boolean, departments: boolean) {
    const child = childLevel(r.unit.level)
    const groupBy: KpiGroup[] = []
    if (children && child !== null && child !== 'city') groupBy.push(child)
    if (departments) groupBy.push('department')
    const rows = await (deps.kpis ?? repo).kpiCounts({ area: kpiArea(r.unit), fromMs: q.fromMs, toMs: q.toMs, filters: q.filters, groupBy }, new Date(deps.now()).toISOString())
    const unit = zeroCounts()
    const byChild = new Map<string, KpiCounts>()
    const byDepartment = new Map<string, KpiCounts>()
    const into = (m: Map<string, KpiCounts>, key: string, c: KpiCounts) => addCounts(m.get(key) ?? m.set(key, zeroCounts()).get(key)!, c)
    for (const row of rows) {
      addCounts(unit, row.counts)
      if (groupBy[0] !== 'department' && groupBy.length > 0) into(byChild, row.key[0]!, row.counts)
      if (departments) into(byDepartment, row.key[groupBy.length - 1]!, row.counts)
    }
    const of = (m: Map<string, KpiCounts>) => (key: string): KpiIndicator[] => indicators(m.get(key) ?? zeroCounts())
    const overdueOf = (m: Map<string, KpiCounts>) => new Map([...m].map(([k, c]) => [k, c.overdueOpen]))
    const overdue: Overdue = { total: unit.overdueOpen, byChild: overdueOf(byChild), byDepartment: overdueOf(byDepartment) }
    return { unit: indicators(unit), children: of(byChild), departments: of(byDepartment), overdue }
  }

  function childRows(r: Resolved, overdue: Overdue, c: Float64Array[], previous: Float64Array, kpis: (code: string) => KpiIndicator[]): ChildRow[] {
    const [count, filed, handled, onTime, closed] = c as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array]
    return r.children.map((u, k) => ({
      ...u,
      count: count[k]!, previous: previous[k]!,
      per10k: per(count[k]!, u.population, 10_000), perKm2: per(count[k]!, u.areaKm2, 1),
      filed: filed[k]!, handled: handled[k]!, handledOnTime: onTime[k]!, overdue: overdue.byChild.get(u.code) ?? 0, closed: closed[k]!,
      indicators: kpis(u.code),
    }))
  }

  function departmentRows({ byDepartment: overdue }: Overdue, [handled, onTime]: [Float64Array, Float64Array], kpis: (department: string) => KpiIndicator[]): DepartmentRow[] {
    const rows: DepartmentRow[] = []
    cube.departments.values.forEach((department, k) => {
      if (department === '') return
      const h = handled[k] ?? 0
      const late = overdue.get(department) ?? 0
      if (h === 0 && late === 0) return
      rows.push({ department, handled: h, handledOnTime: onTime[k] ?? 0, overdue: late, indicators: kpis(department) })
    })
    for (const [department, late] of overdue) {
      if (department !== '' && late > 0 && cube.departments.find(department) < 0) rows.push({ department, handled: 0, handledOnTime: 0, overdue: late, indicators: kpis(department) })
    }
    return rows.sort((a, b) => b.handled + b.overdue - a.handled - a.overdue || a.department.localeCompare(b.department))
  }

  return summary
}

/** Open cases past their deadline now, in the unit and per child and department (the indicators' `overdueOpen`). */
interface Overdue { total: number, byChild: Map<string, number>, byDepartment: Map<string, number> }

/** A drill-down unit as a counts area. */
function kpiArea(u: AnalysisUnit): KpiArea {
  switch (u.level) {
    case 'city': return {}
    case 'district': return { district: u.code }
    case 'street': return { street: u.code }
    case 'community': return { community: u.code }
    case 'cell': return { cell: u.code }
  }
}

function nonZero(keys: readonly string[], values: Float64Array): Record<string, number> {
  const out: Record<string, number> = {}
  values.forEach((n, k) => { if (n > 0) out[keys[k]!] = n })
  return out
}
