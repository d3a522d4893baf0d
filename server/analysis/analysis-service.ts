import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { cellArea, cellToBoundary, cellToLatLng } from 'h3-js'
import {
  type ChildRow, childLevel, type DepartmentRow, type DrillFilters, type DrillIncident, type DrillIncidentPage, type DrillLevel, type DrillPoints,
  type DrillSummary, type DrillUnit, FUNNEL_STAGES, funnelReach, HOUR_MS, type IncidentSort, MAX_SORTABLE_MATCHES, type SummaryPart,
  onTimeClass, trendBucket, type UnitRef,
} from '../../shared/analysis.js'
import { CATEGORIES } from '../../shared/categories.js'
import { SOURCES } from '../../shared/enums.js'
import { indicators, type KpiIndicator } from '../../shared/kpi/catalogue.js'
import { addCounts, type KpiCounts, zeroCounts } from '../../shared/kpi/counts.js'
import type { Incident } from '../../shared/incident.js'
import { CASE_STATUSES, type CaseStatus } from '../../shared/workflow/states.js'
import type { CityGeo } from '../geo/city-geo.js'
import type { DrillArea, DrillRawQuery, IncidentRepository, KpiArea, KpiGroup, OverdueCount, RollupFacts, RollupRowVisitor } from '../store/repository.js'
import { RollupCube, type ScanSpec, type ScanWants } from './cube.js'
import type { KpiCountsSource } from '../kpis/maintained-kpis.js'

export interface DrillQuery {
  level: DrillLevel
  code: string
  /** Whole hours: the router rounds them. */
  fromMs: number
  toMs: number
  filters: DrillFilters
}

/** A unit of the drill-down, resolved once against the geo data and the cube's dictionaries. */
interface Resolved {
  unit: DrillUnit
  path: UnitRef[]
  children: DrillUnit[]
  /** For the cube: communities to read (null = the whole city) and one cell or -1. */
  communities: Int32Array | null
  cell: number
  /** For raw reads. */
  area: DrillArea
  /** cell index → child slot, built on first use and whenever the cube learned new cells. */
  childOfCell: Int32Array | null
  childOfCellSize: number
  cellsOfUnit: string[]
}

export class DrillError extends Error {
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

/** Days a request may read on demand before it is answered "still loading" instead (≈ 30 ms a day for Chengdu). */
const ON_DEMAND_DAYS = 31

const MAX_OFFSET = 10_000
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

/**
 * The analysts' drill-down over the rollup cube (counts, trends, breakdowns, heat) and the store's raw reads (the
 * incident table, points, open overdue cases). Every figure of a summary comes from one pass over the blocks of
 * the range (plus one per comparison period).
 */
export function createAnalysisService(deps: { geo: CityGeo, repo: IncidentRepository, cube: RollupCube, now: () => number, ensure?: (fromHour: number, toHour: number) => Promise<void>, kpis?: KpiCountsSource }) {
  const { geo, repo, cube } = deps
  const ensure = deps.ensure ?? (async () => undefined)
  /** A scan over days that are all in memory. */
  async function scan(s: ScanSpec, w: ScanWants) {
    await ensure(s.fromHour, s.toHour)
    return cube.scan(s, w)
  }
  const offsetMin = geo.info.utcOffsetMinutes
  const cellsByCommunity = new Map<string, string[]>()
  for (const c of geo.cells) {
    const list = cellsByCommunity.get(c.community)
    if (list) list.push(c.h3)
    else cellsByCommunity.set(c.community, [c.h3])
  }
  const cityUnit = geo.units.get(geo.info.code)
  const city: DrillUnit = { level: 'city', code: geo.info.code, name: geo.info.name, population: geo.info.population, areaKm2: cityUnit?.areaKm2 ?? 0 }
  const cache = new Map<string, Resolved>()

  function cellUnit(h3: string): DrillUnit {
    const rec = geo.cell(h3)
    return { level: 'cell', code: h3, name: h3, population: rec?.population ?? 0, areaKm2: Math.round(cellArea(h3, 'km2') * 1000) / 1000 }
  }

  function unitOf(code: string): DrillUnit {
    const u = geo.units.get(code)!
    return { level: u.level as DrillLevel, code: u.code, name: u.name, population: u.population, areaKm2: u.areaKm2 }
  }

  const ref = (u: DrillUnit): UnitRef => ({ level: u.level, code: u.code, name: u.name })

  function communityIds(codes: string[]): Int32Array {
    return Int32Array.from(codes.map(c => cube.communities.find(c)).filter(k => k >= 0))
  }

  function communitiesUnder(code: string, level: 'district' | 'street'): string[] {
    if (level === 'street') return geo.children(code).map(u => u.code)
    return geo.children(code).flatMap(s => geo.children(s.code).map(u => u.code))
  }

  /** The unit of a level and code, or a DrillError naming what is wrong. */
  function resolve(level: DrillLevel, code: string): Resolved {
    const key = `${level}:${code}`
    const hit = cache.get(key)
    if (hit) return hit
    let r: Resolved
    if (level === 'city') {
      if (code !== geo.info.code) throw new DrillError('code', `code: the city is ${geo.info.code}`)
      r = { unit: city, path: [ref(city)], children: geo.districts.map(d => unitOf(d.code)), communities: null, cell: -1, area: {}, childOfCell: null, childOfCellSize: 0, cellsOfUnit: [] }
    } else if (level === 'cell') {
      const rec = geo.cell(code)
      if (!rec) throw new DrillError('code', `code: no grid cell ${code} in ${geo.info.name}`)
      const parent = resolve('community', rec.community)
      const unit = cellUnit(code)
      r = {
        unit, path: [...parent.path, ref(unit)], children: [], communities: communityIds([rec.community]), cell: cube.cells.find(code),
        area: { communities: [rec.community], cell: code }, childOfCell: null, childOfCellSize: 0, cellsOfUnit: [code],
      }
      // a cell the cube never saw has no incidents: -2 matches nothing
      if (r.cell < 0) r.cell = -2
    } else {
      const u = geo.units.get(code)
      if (!u || u.level !== level) throw new DrillError('code', `code: no ${level} ${code} in ${geo.info.name}`)
      const parent = resolve(level === 'district' ? 'city' : level === 'street' ? 'district' : 'street', level === 'district' ? geo.info.code : u.parent!)
      const unit = unitOf(code)
      const communities = level === 'community' ? [code] : communitiesUnder(code, level)
      const children = level === 'community' ? (cellsByCommunity.get(code) ?? []).map(cellUnit) : geo.children(code).map(c => unitOf(c.code))
      r = {
        unit, path: [...parent.path, ref(unit)], children, communities: communityIds(communities), cell: -1,
        area: level === 'district' ? { district: code } : { communities }, childOfCell: null, childOfCellSize: 0,
        cellsOfUnit: communities.flatMap(c => cellsByCommunity.get(c) ?? []),
      }
    }
    if (cache.size > 2000) cache.clear()
    cache.set(key, r)
    return r
  }

  /** cell index → child slot for a unit: district, street, community or cell of each cell, by the unit's level. */
  function childOfCell(r: Resolved): Int32Array {
    if (r.childOfCell && r.childOfCellSize === cube.cells.size) return r.childOfCell
    const map = new Int32Array(cube.cells.size).fill(-1)
    const slot = new Map(r.children.map((c, k) => [c.code, k]))
    const level = childLevel(r.unit.level)
    for (let cell = 0; cell < cube.cells.size; cell++) {
      const comm = cube.cellCommunity[cell]!
      const street = cube.communityStreet[comm]!
      let code: string
      switch (level) {
        case 'district': code = cube.districts.values[cube.streetDistrict[street]!]!; break
        case 'street': code = cube.streets.values[street]!; break
        case 'community': code = cube.communities.values[comm]!; break
        case 'cell': code = cube.cells.values[cell]!; break
        case 'city': case null: code = ''; break
      }
      map[cell] = slot.get(code) ?? -1
    }
    r.childOfCell = map
    r.childOfCellSize = cube.cells.size
    return map
  }

  function spec(r: Resolved, fromMs: number, toMs: number, f: DrillFilters, bucketHours: 1 | 24, children: boolean): ScanSpec {
    let categories: Uint8Array | null = null
    if (f.category !== undefined) {
      categories = new Uint8Array(cube.categories.size)
      cube.categories.values.forEach((c, k) => {
        if (f.category!.length === 2 ? c.startsWith(f.category!) : c === f.category) categories![k] = 1
      })
    }
    const pick = (v: string | undefined, d: { find: (s: string) => number }) => v === undefined ? -1 : (d.find(v) >= 0 ? d.find(v) : 255)
    return {
      fromHour: Math.floor(fromMs / HOUR_MS), toHour: Math.ceil(toMs / HOUR_MS), communities: r.communities, cell: r.cell, categories,
      source: pick(f.source, cube.sources), status: pick(f.status, cube.statuses), childOfCell: children ? childOfCell(r) : null, bucketHours,
      childrenAreDistricts: r.unit.level === 'city',
    }
  }

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

  async function summary(q: DrillQuery, parts: ReadonlySet<SummaryPart>): Promise<DrillSummary> {
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
    // open cases past their deadline count in 应处置数 (the on-time rates' base): read once, from the store
    const overdue = await repo.overdueOpen(raw(r, q), new Date(deps.now()).toISOString())
    const overdueTotal = overdue.reduce((a, o) => a + o.count, 0)
    const kpi = await unitIndicators(r, q, wantsChildren, parts.has('departments'))
    const out: DrillSummary = {
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

  function raw(r: Resolved, q: DrillQuery): DrillRawQuery {
    return { area: r.area, fromMs: q.fromMs, toMs: q.toMs, filters: q.filters }
  }

  /**
   * The catalogue's indicators of the unit, its children and its departments over the range, filters applied: from
   * the store's one counts function (the same as /kpis and the league), in one grouped read. The cube keeps only
   * what a rollup row can hold (status, on-time class); postponement, rework, feedback, durations and the overdue
   * state at "now" are not in it, and counts are additive, so the groups sum to the unit.
   */
  async function unitIndicators(r: Resolved, q: DrillQuery, children: boolean, departments: boolean) {
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
    return { unit: indicators(unit), children: of(byChild), departments: of(byDepartment) }
  }

  function childRows(r: Resolved, overdueCases: readonly OverdueCount[], c: Float64Array[], previous: Float64Array, kpis: (code: string) => KpiIndicator[]): ChildRow[] {
    const [count, filed, handled, onTime, closed] = c as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array]
    const overdue = new Float64Array(r.children.length)
    const map = childOfCell(r)
    for (const o of overdueCases) {
      const cell = cube.cells.find(o.cell)
      const slot = cell >= 0 ? map[cell]! : -1
      if (slot >= 0) overdue[slot]! += o.count
    }
    return r.children.map((u, k) => ({
      ...u,
      count: count[k]!, previous: previous[k]!,
      per10k: per(count[k]!, u.population, 10_000), perKm2: per(count[k]!, u.areaKm2, 1),
      filed: filed[k]!, handled: handled[k]!, handledOnTime: onTime[k]!, overdue: overdue[k]!, closed: closed[k]!,
      indicators: kpis(u.code),
    }))
  }

  function departmentRows(overdueCases: readonly OverdueCount[], [handled, onTime]: [Float64Array, Float64Array], kpis: (department: string) => KpiIndicator[]): DepartmentRow[] {
    const overdue = new Map<string, number>()
    for (const o of overdueCases) overdue.set(o.department, (overdue.get(o.department) ?? 0) + o.count)
    const rows: DepartmentRow[] = []
    cube.departments.values.forEach((department, k) => {
      if (department === '') return
      const h = handled[k] ?? 0
      const late = overdue.get(department) ?? 0
      if (h === 0 && late === 0) return
      rows.push({ department, handled: h, handledOnTime: onTime[k] ?? 0, overdue: late, indicators: kpis(department) })
    })
    for (const [department, late] of overdue) {
      if (department !== '' && cube.departments.find(department) < 0) rows.push({ department, handled: 0, handledOnTime: 0, overdue: late, indicators: kpis(department) })
    }
    return rows.sort((a, b) => b.handled + b.overdue - a.handled - a.overdue || a.department.localeCompare(b.department))
  }

  /** How many incidents match (the table's total): from the cube, so paging never counts rows. */
  async function count(q: DrillQuery): Promise<number> {
    const r = resolve(q.level, q.code)
    return (await scan(spec(r, q.fromMs, q.toMs, q.filters, 1, false), {})).total
  }

  async function incidents(q: DrillQuery, sort: IncidentSort, desc: boolean, page: number, pageSize: number): Promise<DrillIncidentPage> {
    const r = resolve(q.level, q.code)
    const offset = (page - 1) * pageSize
    if (offset >= MAX_OFFSET) throw new DrillError('page', `page: at most the first ${MAX_OFFSET.toLocaleString('en-US')} matches can be paged through; narrow the range or filters`)
    const total = await count(q)
    if (sort !== 'reportedAt' && total > MAX_SORTABLE_MATCHES) {
      throw new DrillError('sort', `sort: sorting by ${sort} is allowed up to ${MAX_SORTABLE_MATCHES.toLocaleString('en-US')} matches (${total.toLocaleString('en-US')} here); narrow the range or filters`)
    }
    const rows = offset >= total ? [] : await repo.drillIncidents({ ...raw(r, q), sort, desc, offset, limit: pageSize })
    return { total, page, pageSize, rows: rows.map(toDrillIncident) }
  }

  async function points(q: DrillQuery, limit: number): Promise<DrillPoints> {
    return repo.drillPoints(raw(resolve(q.level, q.code), q), limit)
  }

  /** The unit's outline and its children's polygons (cells as H3 hexagons), with population and area. */
  function shapes(level: DrillLevel, code: string): { unit: GeoJSON.Feature | null, children: GeoJSON.FeatureCollection } {
    const r = resolve(level, code)
    const props = (u: DrillUnit) => ({ code: u.code, name: u.name, level: u.level, population: u.population, areaKm2: u.areaKm2 })
    const hex = (u: DrillUnit): GeoJSON.Feature => ({
      type: 'Feature', id: u.code, properties: { ...props(u), center: cellToLatLng(u.code).reverse() },
      geometry: { type: 'Polygon', coordinates: [cellToBoundary(u.code, true)] },
    })
    const polygon = (u: DrillUnit): GeoJSON.Feature | null => {
      if (u.level === 'city') return null
      if (u.level === 'cell') return hex(u)
      const fc = geo.geoJson(u.level as 'district' | 'street' | 'community')
      const f = fc.features.find(x => x.properties?.code === u.code)
      return f ? { type: 'Feature', id: u.code, properties: { ...props(u), center: geo.units.get(u.code)?.center }, geometry: f.geometry } : null
    }
    return {
      unit: polygon(r.unit),
      children: { type: 'FeatureCollection', features: r.children.map(c => c.level === 'cell' ? hex(c) : polygon(c)).filter((f): f is GeoJSON.Feature => f !== null) },
    }
  }

  return { resolve, summary, incidents, points, shapes, count }
}

/** A drill-down unit as a counts area. */
function kpiArea(u: DrillUnit): KpiArea {
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

function toDrillIncident(i: Incident): DrillIncident {
  return {
    id: i.id, reportedAt: i.reportedAt, category: i.category, source: i.source, severity: i.severity, status: i.status, district: i.district,
    street: i.street, community: i.community, cell: i.cell, department: i.department, description: i.description.length > 140 ? `${i.description.slice(0, 139)}…` : i.description,
    lon: i.lon, lat: i.lat,
  }
}

export type AnalysisService = ReturnType<typeof createAnalysisService>

/** How long a committed rollup change may wait before the cube takes it (a read takes it at once). */
const CUBE_APPLY_MS = 250

/** The cube's snapshot in DATA_DIR (written at a clean shutdown and by the seed, read at start). */
export const DRILL_SNAPSHOT = 'drill-cube.snapshot'

/**
 * The drill-down of a running server: the cube loaded from the store's rollup rows, then kept current by the store's
 * rollup listener (called after each commit, so the cube always equals the committed rollup table).
 */
export async function createDrillDown(deps: { geo: CityGeo, repo: IncidentRepository, now: () => number, snapshotFile?: string | null, kpis?: KpiCountsSource }) {
  const { geo, repo } = deps
  const cube = new RollupCube({
    utcOffsetMinutes: geo.info.utcOffsetMinutes, cells: geo.cells, units: geo.units.values(),
    categories: CATEGORIES.map(c => c.code), sources: SOURCES, statuses: CASE_STATUSES,
  })
  const stats = { rows: 0, ms: 0, days: 0, snapshot: false }
  // A clean shutdown leaves the cube in a file, tagged with the store's version: if nothing was written since, it is
  // read back in well under a second instead of reading millions of rollup rows.
  const file = deps.snapshotFile ?? null
  if (file !== null && existsSync(file)) {
    const t0 = performance.now()
    try {
      stats.snapshot = cube.restore(readFileSync(file), await repo.rollupVersion())
    } catch {
      stats.snapshot = false
    }
    if (stats.snapshot) {
      stats.rows = cube.rows
      stats.ms = performance.now() - t0
    }
    rmSync(file, { force: true }) // used or stale: the next clean shutdown writes a new one
  }
  if (!stats.snapshot) cube.setStoredHours(await repo.rollupHours())
  // The store's rollup changes are kept in a list and applied to the cube on a timer (issue #13: off the commit's
  // path, which answers ingest), and always before the cube is read or a stored day is loaded, so every answer still
  // holds every committed change and none is counted twice.
  let owed: [RollupFacts, 1 | -1][] = []
  let applyTimer: NodeJS.Timeout | null = null
  const applyOwed = () => {
    if (applyTimer !== null) clearTimeout(applyTimer)
    applyTimer = null
    const list = owed
    owed = []
    for (const [f, sign] of list) {
      cube.applyFacts(Math.floor(Date.parse(f.reportedAt) / HOUR_MS), f.cell, f.community, f.street, f.district, f.category, f.source, f.status,
        f.department ?? '', onTimeClass(f.handledAt, f.deadline), sign)
    }
  }
  const unwatch = repo.watchRollup((f, sign) => {
    owed.push([f, sign])
    if (applyTimer === null) applyTimer = setTimeout(applyOwed, CUBE_APPLY_MS).unref()
  })
  const visit: RollupRowVisitor = (hour, cell, category, source, status, department, onTime, community, street, district, n) => {
    cube.addFacts(hour, cell, community, street, district, category, source, status, department, onTime, n)
  }
  /** Reads one stored day (marked first: the SQLite store reads within the call, so no change can slip between). */
  async function loadDay(day: number): Promise<void> {
    if (cube.isLoaded(day)) return
    applyOwed() // changes to days already read; the day read now has its own in the table
    cube.markLoaded(day)
    const t0 = performance.now()
    const from = cube.dayStartHour(day)
    stats.rows += await repo.eachRollupRow(from, from + 24, visit)
    stats.ms += performance.now() - t0
    stats.days += 1
  }
  const storedDays = cube.pendingDays().length
  async function ensure(fromHour: number, toHour: number): Promise<void> {
    applyOwed()
    const first = cube.localDay(fromHour)
    const last = cube.localDay(toHour - 1)
    let missing = 0
    for (let day = first; day <= last; day++) if (!cube.isLoaded(day)) missing += 1
    // a few days are read now; a long range waits for the background reading, newest day first, and says so
    if (missing > ON_DEMAND_DAYS) throw new WarmingError(storedDays - cube.pendingDays().length, storedDays)
    for (let day = first; day <= last; day++) await loadDay(day)
  }
  // Start-up reads nothing: days are read on first use, and in the background newest first, a day per turn of the
  // event loop, so a year of rollups (~5 M rows, ~20 s) never blocks a request for long.
  let stopped = false
  let complete = false
  const warm = new Promise<void>((resolve) => {
    const pending = cube.pendingDays()
    const step = () => {
      const day = pending.shift()
      if (!stopped && day === undefined) complete = true
      if (stopped || day === undefined) return resolve()
      void loadDay(day).then(() => setImmediate(step), () => setImmediate(step))
    }
    setImmediate(step)
  })
  return {
    cube, stats, warm,
    service: createAnalysisService({ ...deps, cube, ensure }),
    /** Stops; writes the snapshot if every day is in memory (the caller closes the store afterwards). */
    async close(): Promise<void> {
      stopped = true
      unwatch()
      applyOwed()
      if (file === null || !complete) return
      const tmp = `${file}.tmp`
      writeFileSync(tmp, cube.snapshot(await repo.rollupVersion()))
      renameSync(tmp, file)
    },
  }
}
