import { mulberry32 } from '../../../shared/random.js'
import type { GeoUnit } from '../../../shared/geo/types.js'
import type { CityConfig } from './city-config.js'
import { coverDistricts } from './cover.js'
import { readHierarchy } from './hierarchy.js'
import { partitionCity } from './partition-city.js'
import { readDistrictShapes } from './polygons.js'
import { apportion, synthesizePopulation } from './population.js'
import { unitFromCells } from './units.js'

export interface BuiltCity {
  config: CityConfig
  units: GeoUnit[]
  /** [h3, community code, residents], sorted by h3 */
  cells: [string, string, number][]
  resolutions: Record<string, number>
  districtShapes: ReturnType<typeof readDistrictShapes>
  report: Record<string, number>
}

/** Everything derived for one city, in memory; deterministic for a config and the pinned sources. */
export function buildCity(config: CityConfig, log: (msg: string) => void): BuiltCity {
  const rng = mulberry32(config.seed)
  const hierarchy = readHierarchy(config)
  // The root must not share a code with a district: units are keyed by code, and a shared code counted every cell
  // twice and made the district its own child (Dazhou 通川区 before issue #11). A one-district deployment uses the
  // prefecture's code as root (5117 for 通川区 511702).
  if (hierarchy.districts.some(d => d.code === config.code)) throw new Error(`${config.id}: city code ${config.code} equals a district code; use the prefecture's code`)
  log(`${config.id}: ${hierarchy.districts.length} districts, ${hierarchy.streets.length} streets, ${hierarchy.communities.length} communities`)
  const shapes = readDistrictShapes(config, hierarchy.districts)
  const communitiesPer = new Map(hierarchy.districts.map(d => [d.code, hierarchy.communities.filter(c => c.code.startsWith(d.code)).length]))
  const cover = coverDistricts(shapes, communitiesPer, config)
  log(`${config.id}: ${cover.district.size} cells (${[...new Set(cover.resolution.values())].sort().map(r => `res ${r}`).join(', ')}); ${cover.movedExclaveCells} exclave cells joined a neighbour`)

  const weights = hierarchy.districts.map(d => Number(config.districtPopulation[d.code] ?? 0))
  const totals = new Map(hierarchy.districts.map((d, i) => [d.code, apportion(config.population, weights)[i]!]))
  const population = synthesizePopulation(cover.district, totals, config.densityCentre, config.densityScaleKm, rng)
  const { community, strayCells } = partitionCity(hierarchy, cover.district, population, config, rng)
  log(`${config.id}: partitioned; ${strayCells} stray cells`)

  const cellsOf = new Map<string, string[]>()
  const add = (code: string, cell: string) => {
    const list = cellsOf.get(code)
    if (list) list.push(cell)
    else cellsOf.set(code, [cell])
  }
  const streetOf = new Map(hierarchy.communities.map(c => [c.code, c.parent]))
  for (const [cell, comm] of [...community].sort((a, b) => a[0].localeCompare(b[0]))) {
    const street = streetOf.get(comm)!
    add(comm, cell)
    add(street, cell)
    add(cover.district.get(cell)!, cell)
    add(config.code, cell)
  }
  const unit = (code: string, name: string, level: GeoUnit['level'], parent: string | null) => unitFromCells(code, name, level, parent, cellsOf.get(code) ?? [], population)
  const units: GeoUnit[] = [
    unit(config.code, config.name, 'city', null),
    ...hierarchy.districts.map(d => unit(d.code, d.name, 'district', config.code)),
    ...hierarchy.streets.map(s => unit(s.code, s.name, 'street', s.parent)),
    ...hierarchy.communities.map(c => unit(c.code, c.name, 'community', c.parent)),
  ]
  const empty = units.filter(u => u.level !== 'city' && (cellsOf.get(u.code)?.length ?? 0) === 0)
  if (empty.length > 0) throw new Error(`units without cells: ${empty.slice(0, 5).map(u => u.name).join(', ')}`)
  const cells = [...community].sort((a, b) => a[0].localeCompare(b[0])).map(([h3, comm]) => [h3, comm, population.get(h3)!] as [string, string, number])
  return {
    config, units, cells, districtShapes: shapes,
    resolutions: Object.fromEntries([...cover.resolution].sort()),
    report: { districts: hierarchy.districts.length, streets: hierarchy.streets.length, communities: hierarchy.communities.length, cells: cells.length, movedExclaveCells: cover.movedExclaveCells, strayCells },
  }
}
