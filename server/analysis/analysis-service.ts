import { cellToBoundary, cellToLatLng } from 'h3-js'
import {
  type AnalysisIncident, type AnalysisIncidentPage, type DrillLevel, type AnalysisPoints, type AnalysisUnit, type IncidentSort, MAX_SORTABLE_MATCHES,
} from '../../shared/analysis.js'
import type { Incident } from '../../shared/incident.js'
import type { CityGeo } from '../geo/city-geo.js'
import type { KpiCountRepository, RollupRepository } from '../store/repository.js'
import type { KpiCountsSource } from '../kpis/maintained-kpis.js'
import type { RollupCube } from './cube/rollup-cube.js'
import type { ScanSpec, ScanWants } from './cube/scan.js'
import { AnalysisError, type AnalysisQuery } from './query.js'
import { createSummary } from './summary.js'
import { createUnits, raw } from './units.js'

const MAX_OFFSET = 10_000

/**
 * The analysts' drill-down over the rollup cube (counts, trends, breakdowns, heat) and the store's raw reads (the
 * incident table, points, open overdue cases). Every figure of a summary comes from one pass over the blocks of
 * the range (plus one per comparison period).
 */
export function createAnalysisService(deps: { geo: CityGeo, repo: RollupRepository & KpiCountRepository, cube: RollupCube, now: () => number, ensure?: (fromHour: number, toHour: number) => Promise<void>, kpis?: KpiCountsSource }) {
  const { geo, repo, cube } = deps
  const ensure = deps.ensure ?? (async () => undefined)
  /** A scan over days that are all in memory. */
  async function scan(s: ScanSpec, w: ScanWants) {
    await ensure(s.fromHour, s.toHour)
    return cube.scan(s, w)
  }
  const units = createUnits(geo, cube)
  const { resolve, spec } = units
  const summary = createSummary(deps, units, scan)

  /** How many incidents match (the table's total): from the cube, so paging never counts rows. */
  async function count(q: AnalysisQuery): Promise<number> {
    const r = resolve(q.level, q.code)
    return (await scan(spec(r, q.fromMs, q.toMs, q.filters, 1, false), {})).total
  }

  async function incidents(q: AnalysisQuery, sort: IncidentSort, desc: boolean, page: number, pageSize: number): Promise<AnalysisIncidentPage> {
    const r = resolve(q.level, q.code)
    const offset = (page - 1) * pageSize
    if (offset >= MAX_OFFSET) throw new AnalysisError('page', `page: at most the first ${MAX_OFFSET.toLocaleString('en-US')} matches can be paged through; narrow the range or filters`)
    const total = await count(q)
    if (sort !== 'reportedAt' && total > MAX_SORTABLE_MATCHES) {
      throw new AnalysisError('sort', `sort: sorting by ${sort} is allowed up to ${MAX_SORTABLE_MATCHES.toLocaleString('en-US')} matches (${total.toLocaleString('en-US')} here); narrow the range or filters`)
    }
    const rows = offset >= total ? [] : await repo.analysisIncidents({ ...raw(r, q), sort, desc, offset, limit: pageSize })
    return { total, page, pageSize, rows: rows.map(toAnalysisIncident) }
  }

  async function points(q: AnalysisQuery, limit: number): Promise<AnalysisPoints> {
    return repo.analysisPoints(raw(resolve(q.level, q.code), q), limit)
  }

  /** The unit's outline and its children's polygons (cells as H3 hexagons), with population and area. */
  function shapes(level: DrillLevel, code: string): { unit: GeoJSON.Feature | null, children: GeoJSON.FeatureCollection } {
    const r = resolve(level, code)
    const props = (u: AnalysisUnit) => ({ code: u.code, name: u.name, level: u.level, population: u.population, areaKm2: u.areaKm2 })
    const hex = (u: AnalysisUnit): GeoJSON.Feature => ({
      type: 'Feature', id: u.code, properties: { ...props(u), center: cellToLatLng(u.code).reverse() },
      geometry: { type: 'Polygon', coordinates: [cellToBoundary(u.code, true)] },
    })
    const polygon = (u: AnalysisUnit): GeoJSON.Feature | null => {
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

function toAnalysisIncident(i: Incident): AnalysisIncident {
  return {
    id: i.id, reportedAt: i.reportedAt, category: i.category, source: i.source, severity: i.severity, status: i.status, district: i.district,
    street: i.street, community: i.community, cell: i.cell, department: i.department, description: i.description.length > 140 ? `${i.description.slice(0, 139)}…` : i.description,
    lon: i.lon, lat: i.lat,
  }
}

export type AnalysisService = ReturnType<typeof createAnalysisService>
