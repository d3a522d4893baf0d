import { cellArea } from 'h3-js'
import { childLevel, type AnalysisFilters, type DrillLevel, type AnalysisUnit, HOUR_MS, type UnitRef } from '../../shared/analysis.js'
import type { CityGeo } from '../geo/city-geo.js'
import type { AnalysisArea, AnalysisRawQuery } from '../store/repository.js'
import type { RollupCube } from './cube/rollup-cube.js'
import type { ScanSpec } from './cube/scan.js'
import { AnalysisError, type AnalysisQuery } from './query.js'

/** A unit of the drill-down, resolved once against the geo data and the cube's dictionaries. */
export interface Resolved {
  unit: AnalysisUnit
  path: UnitRef[]
  children: AnalysisUnit[]
  /** For the cube: communities to read (null = the whole city) and one cell or -1. */
  communities: Int32Array | null
  cell: number
  /** For raw reads. */
  area: AnalysisArea
  /** cell index → child slot, built on first use and whenever the cube learned new cells. */
  childOfCell: Int32Array | null
  childOfCellSize: number
  cellsOfUnit: string[]
}

/** The drill-down's units (city → district → street → community → grid cell) resolved against the geo data and the cube. */
export function createUnits(geo: CityGeo, cube: RollupCube) {
  const cellsByCommunity = new Map<string, string[]>()
  for (const c of geo.cells) {
    const list = cellsByCommunity.get(c.community)
    if (list) list.push(c.h3)
    else cellsByCommunity.set(c.community, [c.h3])
  }
  const cityUnit = geo.units.get(geo.info.code)
  const city: AnalysisUnit = { level: 'city', code: geo.info.code, name: geo.info.name, population: geo.info.population, areaKm2: cityUnit?.areaKm2 ?? 0 }
  const cache = new Map<string, Resolved>()

  function cellUnit(h3: string): AnalysisUnit {
    const rec = geo.cell(h3)
    return { level: 'cell', code: h3, name: h3, population: rec?.population ?? 0, areaKm2: Math.round(cellArea(h3, 'km2') * 1000) / 1000 }
  }

  function unitOf(code: string): AnalysisUnit {
    const u = geo.units.get(code)!
    return { level: u.level as DrillLevel, code: u.code, name: u.name, population: u.population, areaKm2: u.areaKm2 }
  }

  const ref = (u: AnalysisUnit): UnitRef => ({ level: u.level, code: u.code, name: u.name })

  function communityIds(codes: string[]): Int32Array {
    return Int32Array.from(codes.map(c => cube.communities.find(c)).filter(k => k >= 0))
  }

  function communitiesUnder(code: string, level: 'district' | 'street'): string[] {
    if (level === 'street') return geo.children(code).map(u => u.code)
    return geo.children(code).flatMap(s => geo.children(s.code).map(u => u.code))
  }

  /** The unit of a level and code, or a AnalysisError naming what is wrong. */
  function resolve(level: DrillLevel, code: string): Resolved {
    const key = `${level}:${code}`
    const hit = cache.get(key)
    if (hit) return hit
    let r: Resolved
    if (level === 'city') {
      if (code !== geo.info.code) throw new AnalysisError('code', `code: the city is ${geo.info.code}`)
      r = { unit: city, path: [ref(city)], children: geo.districts.map(d => unitOf(d.code)), communities: null, cell: -1, area: {}, childOfCell: null, childOfCellSize: 0, cellsOfUnit: [] }
    } else if (level === 'cell') {
      const rec = geo.cell(code)
      if (!rec) throw new AnalysisError('code', `code: no grid cell ${code} in ${geo.info.name}`)
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
      if (!u || u.level !== level) throw new AnalysisError('code', `code: no ${level} ${code} in ${geo.info.name}`)
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

  function spec(r: Resolved, fromMs: number, toMs: number, f: AnalysisFilters, bucketHours: 1 | 24, children: boolean): ScanSpec {
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

  return { resolve, childOfCell, spec }
}

export type Units = ReturnType<typeof createUnits>

/** The store's raw-read query for a unit and a request. */
export function raw(r: Resolved, q: AnalysisQuery): AnalysisRawQuery {
  return { area: r.area, fromMs: q.fromMs, toMs: q.toMs, filters: q.filters }
}
