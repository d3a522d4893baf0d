/**
 * `npm run greenway:build`: writes the demo greenway network and service facilities of Chengdu (示意, approximate)
 * to server/geo/data/chengdu/{greenways,facilities}.geojson from the committed geo data alone. Deterministic:
 * same seed, same bytes (a unit test checks). See docs/DATA.md.
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { lineString, simplify } from '@turf/turf'
import { lineKm } from '../../../../shared/greenway/geometry.js'
import type { GreenwayTier } from '../../../../shared/greenway/types.js'
import { GEO_DATA_DIR, loadCityGeo } from '../../city-geo.js'
import { buildChengduNetwork, FRAME, PLAN_KM } from './chengdu-network.js'
import { buildFacilities } from './facilities.js'
import { demoFigures, figuresMarkdown } from './report.js'
import { toLonLat } from './shapes.js'

export const GREENWAY_SEED = 5101_6
const NOTE = '示意数据：区域级绿道按“一轴两山三环七带”结构近似绘制，城市级、社区级绿道按假定建成比例生成；设施按 GB 50180-2018 生活圈配置规则生成。均非测绘或官方数据。'
const round5 = (x: number) => Math.round(x * 1e5) / 1e5
const SIMPLIFY_DEG: Record<GreenwayTier, number> = { regional: 0.00008, city: 0.00015, community: 0.00015 }

/** One feature per line: compact, and diffs stay readable. */
function featureCollection(metadata: object, features: object[]): string {
  return `{"type":"FeatureCollection","metadata":${JSON.stringify(metadata)},"features":[\n${features.map(f => JSON.stringify(f)).join(',\n')}\n]}\n`
}

export function buildGreenwayFiles(cityId = 'chengdu', dataRoot = GEO_DATA_DIR): { files: Record<string, string>, report: string[] } {
  if (cityId !== 'chengdu') throw new Error(`no demo greenway definition for ${cityId} (only chengdu); a city without greenway files shows an empty network`)
  const geo = loadCityGeo(cityId, dataRoot)
  const { segments, report } = buildChengduNetwork(geo, GREENWAY_SEED)
  const lines = segments.map((s) => {
    // Douglas–Peucker keeps the shape and drops most of the 50 m samples (≈ 8 m for the regional corridors, ≈ 15 m
    // for the thousands of short city links and community loops, which keeps the file near 1 MB); then 5 decimals
    const dense = lineString(s.line.map(p => toLonLat(FRAME, p)))
    const kept = simplify(dense, { tolerance: SIMPLIFY_DEG[s.tier], highQuality: true }).geometry.coordinates
      .map(p => p.map(round5))
      .filter((p, k, all) => k === 0 || p[0] !== all[k - 1]![0] || p[1] !== all[k - 1]![1])
    return { type: 'Feature', properties: { id: s.id, name: s.name, tier: s.tier, status: s.status, corridor: s.corridor, lengthKm: Math.round(lineKm(kept) * 1000) / 1000 }, geometry: { type: 'LineString', coordinates: kept } }
  })
  const facilities = buildFacilities(geo, GREENWAY_SEED + 1).map(f => ({
    // status is omitted when open (the schema's default): 3,000 points stay compact
    type: 'Feature', properties: { id: f.id, name: f.name, type: f.type, ...(f.status !== 'open' && { status: f.status }) }, geometry: { type: 'Point', coordinates: [f.lon, f.lat] },
  }))
  const meta = { approximate: true, note: NOTE, generator: 'npm run greenway:build', seed: GREENWAY_SEED }
  return {
    files: {
      'greenways.geojson': featureCollection({ ...meta, planKm: PLAN_KM }, lines),
      'facilities.geojson': featureCollection(meta, facilities),
    },
    // lengths as served: geodesic, after simplification
    report: report.map((r) => {
      const km = lines.filter(l => l.properties.id.startsWith(`${r.key}-`)).reduce((a, l) => a + l.properties.lengthKm, 0)
      return `${r.corridor}: ${km.toFixed(1)} km${r.targetKm ? ` (planned ${r.targetKm})` : ''}, ${r.segments} segments`
    }),
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const city = process.argv[2] ?? 'chengdu'
  const started = performance.now()
  const { files, report } = buildGreenwayFiles(city)
  for (const line of report) console.log(line)
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(path.join(GEO_DATA_DIR, city, name), text)
    console.log(`wrote ${name}: ${(Buffer.byteLength(text) / 1024).toFixed(0)} KB`)
  }
  // the figures docs/DATA.md quotes, under the server's default settings
  console.log(figuresMarkdown(demoFigures(loadCityGeo(city), files)).join('\n'))
  console.log(`in ${((performance.now() - started) / 1000).toFixed(1)} s`)
}
