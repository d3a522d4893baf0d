import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { cellToParent, getResolution, gridDisk, latLngToCell } from 'h3-js'
import type { Location } from '../../shared/incident.js'
import type { CityInfo, GeoUnit } from '../../shared/geo/types.js'
import { unitPolygons } from './unit-polygons.js'

export interface CellRecord { h3: string, community: string, population: number }

export type PolygonLevel = 'district' | 'street' | 'community'

export interface CityGeo {
  info: CityInfo
  units: ReadonlyMap<string, GeoUnit>
  districts: readonly GeoUnit[]
  cells: readonly CellRecord[]
  /** Finest first: the order `locate` tries them in. */
  resolutions: readonly number[]
  children: (code: string) => GeoUnit[]
  cell: (h3: string) => CellRecord | undefined
  /** WGS-84 point → its grid cell and the units above it, or null outside the city. An H3 lookup: microseconds. */
  locate: (lon: number, lat: number) => Location | null
  geoJson: (level: PolygonLevel) => GeoJSON.FeatureCollection
  cellRows: () => readonly CellRecord[]
}

export const GEO_DATA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data')

function readJson<T>(dir: string, file: string): T {
  const full = path.join(dir, file)
  if (!existsSync(full)) throw new Error(`geo data missing: ${full} — run \`npm run geo:build\` (see docs/DATA.md)`)
  return JSON.parse(readFileSync(full, 'utf8')) as T
}

/** Loads the committed geo data of a city (server/geo/data/<id>/). Street and community polygons are built on first use. */
export function loadCityGeo(cityId: string, dataRoot = GEO_DATA_DIR): CityGeo {
  const dir = path.join(dataRoot, cityId)
  const meta = readJson<{ info: CityInfo, cellResolutionByDistrict: Record<string, number> }>(dir, 'meta.json')
  const unitList = readJson<GeoUnit[]>(dir, 'units.json')
  const { rows } = readJson<{ rows: [string, string, number][] }>(dir, 'cells.json')
  const districtsFc = readJson<GeoJSON.FeatureCollection>(dir, 'districts.geojson')

  const units = new Map(unitList.map(u => [u.code, u]))
  const childrenOf = new Map<string, GeoUnit[]>()
  for (const u of unitList) {
    if (u.parent === null) continue
    const list = childrenOf.get(u.parent)
    if (list) list.push(u)
    else childrenOf.set(u.parent, [u])
  }
  const cells: CellRecord[] = rows.map(([h3, community, population]) => ({ h3, community, population }))
  const byCell = new Map(cells.map(c => [c.h3, c]))
  // community → its full location chain, resolved once so locate() is two map lookups
  const chain = new Map<string, Omit<Location, 'cell'>>()
  for (const u of unitList) {
    if (u.level !== 'community') continue
    const street = units.get(u.parent!)!
    chain.set(u.code, { community: u.code, street: street.code, district: street.parent! })
  }
  const resolutions = [...new Set(Object.values(meta.cellResolutionByDistrict))].sort((a, b) => b - a)
  const coarsest = resolutions.at(-1)!
  // Coarse cells that finer cells may overlap (their parents and those parents' neighbours): only there must
  // locate() try the finer resolutions first; elsewhere one H3 lookup at the coarsest resolution answers.
  const mixed = new Set<string>()
  for (const c of cells) {
    if (getResolution(c.h3) === coarsest) continue
    for (const n of gridDisk(cellToParent(c.h3, coarsest), 1)) mixed.add(n)
  }
  const polygons = new Map<PolygonLevel, GeoJSON.FeatureCollection>([['district', districtsFc]])

  return {
    info: meta.info,
    units,
    districts: childrenOf.get(meta.info.code) ?? [],
    cells,
    resolutions,
    children: code => childrenOf.get(code) ?? [],
    cell: h3 => byCell.get(h3),
    locate(lon, lat) {
      const coarse = latLngToCell(lat, lon, coarsest)
      const direct = mixed.has(coarse) ? undefined : byCell.get(coarse)
      if (direct) {
        const up = chain.get(direct.community)!
        return { cell: coarse, community: up.community, street: up.street, district: up.district }
      }
      if (!mixed.has(coarse)) return null
      for (const res of resolutions) {
        const h3 = latLngToCell(lat, lon, res)
        const rec = byCell.get(h3)
        if (!rec) continue
        const up = chain.get(rec.community)!
        return { cell: h3, community: up.community, street: up.street, district: up.district } // a literal: spreads are slow here
      }
      return null
    },
    geoJson(level) {
      let fc = polygons.get(level)
      if (!fc) {
        fc = unitPolygons(unitList.filter(u => u.level === level), cells, level as Exclude<PolygonLevel, 'district'>)
        polygons.set(level, fc)
      }
      return fc
    },
    cellRows: () => cells,
  }
}
