/**
 * Greenway coverage over the whole of Chengdu (25,267 cells, the demo network's ≈ 2,300 km in 12k edges, 3,000
 * facilities): a full recomputation and one segment's status change, against a brute-force point-to-segment pass
 * (every cell against every built edge, no index) measured in the same run. Targets: full ≤ 2 s, one segment
 * ≤ 100 ms. Also prints the error of counting residents at their cell's centre, against 7 points per cell.
 */
import { cellToChildren, cellToLatLng, getResolution } from 'h3-js'
import { loadCityGeo } from '../server/geo/city-geo.js'
import { checkFacilities, checkNetwork, readJson } from '../server/greenway/data-files.js'
import { cityLocator, cityModelBase } from '../server/greenway/model-input.js'
import { CoverageModel, type ModelCell, type ModelInput } from '../server/greenway/coverage/coverage-model.js'
import { greenwayBand } from '../shared/greenway/coverage.js'
import { metresPerDegree, pointSegmentM } from '../shared/greenway/geometry.js'
import { FACILITY_TYPES, type GreenwayStatus } from '../shared/greenway/types.js'
import { mulberry32 } from '../shared/random.js'
import { fmt, percentile, report } from './lib/stats.js'

const FULL_TARGET_MS = 2000
const SEGMENT_TARGET_MS = 100

function timeIt(fn: () => void): number {
  const t = performance.now()
  fn()
  return performance.now() - t
}

function chengduInput(): ModelInput {
  const geo = loadCityGeo('chengdu')
  const locator = cityLocator(geo)
  const net = readJson('server/geo/data/chengdu/greenways.geojson')
  const fac = readJson('server/geo/data/chengdu/facilities.geojson')
  const segments = net.ok ? checkNetwork(net.json, locator) : net
  const facilities = fac.ok ? checkFacilities(fac.json, locator) : fac
  if (!segments.ok || !facilities.ok) throw new Error('demo data invalid')
  const { h3: _h3, ...base } = cityModelBase(geo)
  return { ...base, segments: segments.data, facilities: facilities.data, serviceRadiusM: 1000, requiredTypes: [...FACILITY_TYPES] }
}

/** Every cell against every built edge: the limit the index is measured against. Returns bands per cell. */
function bruteForce(model: CoverageModel, cells: ModelInput['cells']): Uint8Array {
  const { ax, ay, bx, by, seg, built } = model.edges
  const out = new Uint8Array(cells.length)
  cells.forEach((c, i) => {
    const { kx, ky } = metresPerDegree(c.lat)
    let best = Infinity
    for (let e = 0; e < ax.length; e++) {
      if (built[seg[e]!] === 0) continue
      const d = pointSegmentM(c.lon, c.lat, ax[e]!, ay[e]!, bx[e]!, by[e]!, kx, ky)
      if (d < best) best = d
    }
    out[i] = greenwayBand(best)
  })
  return out
}

/** The same city with each cell's residents spread over its 7 children: how much the cell-centre shortcut moves the shares. */
function methodError(input: ModelInput, h3: readonly string[]): { city: string, worstDistrict: string } {
  const cells: ModelCell[] = []
  input.cells.forEach((c, i) => {
    const children = cellToChildren(h3[i]!, getResolution(h3[i]!) + 1)
    children.forEach((child, k) => {
      const [lat, lon] = cellToLatLng(child)
      // integer split that keeps the cell's total
      const share = Math.floor(c.population / children.length) + (k < c.population % children.length ? 1 : 0)
      cells.push({ lon, lat, population: share, community: c.community })
    })
  })
  const coarse = new CoverageModel(input)
  const fine = new CoverageModel({ ...input, cells })
  const pp = (a: number, b: number) => (a - b) * 100
  const c = coarse.cityRow()
  const f = fine.cityRow()
  const city = `500 m ${fmt(pp(c.greenway500, f.greenway500), 2)} pp, 1,000 m ${fmt(pp(c.greenway1000, f.greenway1000), 2)} pp, service circle ${fmt(pp(c.serviceAll, f.serviceAll), 2)} pp`
  const fineRows = new Map(fine.rows('district').map(r => [r.code, r]))
  let worst = 0
  let where = ''
  for (const r of coarse.rows('district')) {
    const g = fineRows.get(r.code)!
    for (const [k, d] of [['500 m', pp(r.greenway500, g.greenway500)], ['1,000 m', pp(r.greenway1000, g.greenway1000)], ['service', pp(r.serviceAll, g.serviceAll)]] as const) {
      if (Math.abs(d) > Math.abs(worst)) {
        worst = d
        where = `${r.name} ${k}`
      }
    }
  }
  return { city, worstDistrict: `${fmt(worst, 2)} pp (${where})` }
}

export async function benchGreenway(): Promise<void> {
  console.log('\n## Greenway and 15-minute service circle coverage (Chengdu, demo network)')
  const input = chengduInput()
  const edges = input.segments.reduce((a, s) => a + s.coords.length - 1, 0)
  const km = input.segments.reduce((a, s) => a + s.lengthKm, 0)
  console.log(`  ${fmt(input.cells.length)} cells, ${input.segments.length} segments (${fmt(km)} km, ${fmt(edges)} edges), ${fmt(input.facilities.length)} facilities`)

  let model!: CoverageModel
  const buildMs = timeIt(() => { model = new CoverageModel(input) })
  const fullRuns = Array.from({ length: 5 }, () => timeIt(() => model.recomputeAll()))
  const fullMs = percentile(fullRuns, 50)
  let brute!: Uint8Array
  const bruteMs = timeIt(() => { brute = bruteForce(model, input.cells) })
  const mismatches = brute.reduce((n, b, i) => n + (b === model.cellBand[i] ? 0 : 1), 0)
  console.log(`  build (index + first computation) ${fmt(buildMs)} ms; full recomputation median of 5: ${fmt(fullMs)} ms; brute force ${fmt(bruteMs)} ms; bands differing: ${mismatches}`)

  // one segment at a time: every segment of a seeded sample flips built ↔ planned and back, changes drained as for a push
  const rng = mulberry32(6)
  const ids = input.segments.map(s => s.id).filter(() => rng() < 0.25)
  const single: number[] = []
  let cellsTouched = 0
  for (const id of ids) {
    const was = model.segmentStatus(id)!
    const to: GreenwayStatus = was === 'built' ? 'planned' : 'built'
    const before = model.cellsVersion
    single.push(timeIt(() => {
      model.setSegmentStatus(id, to)
      model.drainChanges()
    }))
    cellsTouched += model.cellsVersion - before
    model.setSegmentStatus(id, was)
    model.drainChanges()
  }
  const facilityMs = model.facilityList().filter(f => f.status === 'planned').slice(0, 50).map(f => timeIt(() => {
    model.setFacilityStatus(f.id, 'open')
    model.drainChanges()
  }))
  const p50 = percentile(single, 50)
  const p99 = percentile(single, 99)
  console.log(`  one segment (${ids.length} sampled, ${fmt(cellsTouched / ids.length, 1)} cells re-banded on average): p50 ${fmt(p50, 2)} ms, p99 ${fmt(p99, 2)} ms, max ${fmt(Math.max(...single), 2)} ms`)
  console.log(`  one facility opening (${facilityMs.length}): p50 ${fmt(percentile(facilityMs, 50), 2)} ms, max ${fmt(Math.max(...facilityMs), 2)} ms`)

  report('greenway full recomputation', `${fmt(fullMs)} ms`, `brute force ${fmt(bruteMs)} ms`, fullMs / bruteMs, `< 1 and ≤ ${FULL_TARGET_MS} ms`, fullMs < bruteMs && fullMs <= FULL_TARGET_MS && mismatches === 0)
  report('greenway full vs its target', `${fmt(fullMs)} ms`, `${fmt(FULL_TARGET_MS)} ms`, fullMs / FULL_TARGET_MS, '≤ 1.00', fullMs <= FULL_TARGET_MS)
  report('greenway one segment p99', `${fmt(p99, 2)} ms`, `${SEGMENT_TARGET_MS} ms`, p99 / SEGMENT_TARGET_MS, '≤ 1.00', p99 <= SEGMENT_TARGET_MS)

  const geo = loadCityGeo('chengdu')
  const err = methodError(input, geo.cells.map(c => c.h3))
  console.log(`  cell-centre method vs 7 points per cell: city ${err.city}; largest district difference ${err.worstDistrict}`)
}
