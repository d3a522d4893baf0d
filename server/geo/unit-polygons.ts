import { cellsToMultiPolygon } from 'h3-js'
import type { GeoUnit } from '../../shared/geo/types.js'

const round = (ring: number[][]) => ring.map(([x, y]) => [Math.round(x! * 1e5) / 1e5, Math.round(y! * 1e5) / 1e5])

/** Streets and communities have no official polygons here: each is the union of its grid cells (see docs/DATA.md). */
export function unitPolygons(units: GeoUnit[], cells: readonly { h3: string, community: string }[], level: 'street' | 'community'): GeoJSON.FeatureCollection {
  const cellsOf = new Map<string, string[]>()
  for (const c of cells) {
    const key = level === 'community' ? c.community : c.community.slice(0, 9)
    const list = cellsOf.get(key)
    if (list) list.push(c.h3)
    else cellsOf.set(key, [c.h3])
  }
  return {
    type: 'FeatureCollection',
    features: units.map(u => ({
      type: 'Feature',
      properties: { code: u.code, name: u.name, level: u.level, parent: u.parent, population: u.population, areaKm2: u.areaKm2 },
      geometry: { type: 'MultiPolygon', coordinates: cellsToMultiPolygon(cellsOf.get(u.code) ?? [], true).map(poly => poly.map(round)) },
    })),
  }
}
