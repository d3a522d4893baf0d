/**
 * Demo service facilities (示意), counted from published norms rather than picked totals (sources in docs/DATA.md):
 *
 * - GB 50180-2018 (城市居住区规划设计标准) sizes the life circles: 5-minute 5,000–12,000 residents (300 m),
 *   10-minute 15,000–25,000 (500 m), 15-minute 50,000–100,000 (800–1,000 m). A demo community (avg ≈ 7,000
 *   residents in Chengdu) is one 5-minute circle; a street/town (avg ≈ 81,000) one 15-minute circle.
 * - 5-minute circle, one per community: the 党群服务中心 (the 社区服务站 of the norm; Chengdu has one in every
 *   community), a 社区卫生服务站 / 村卫生室 (a village clinic in every 行政村: 全国医疗卫生服务体系规划纲要
 *   2015–2020) and a 老年人日间照料中心 (required in every 5-minute circle).
 * - 15-minute circle, per street: a 社区卫生服务中心 (乡镇卫生院 in a town), one per 街道 or per 100,000 residents
 *   (卫人发〔2006〕96号: a centre per 街道 or 30,000–100,000 residents), replacing the 站 of its host community.
 * - 10-minute circle, per street: ⌈residents ÷ 25,000⌉ primary schools and as many 居住区公园 (the norm's upper
 *   circle size, so the fewest that meet it), at least one each per town (its 中心小学 and park).
 *
 * Placement: each community's facilities sit in its most populated grid cell (its centre); a street's schools,
 * parks and health centres go to the community centres that reach the most residents not yet served within the
 * norm's radius, so the facilities of a street cluster in a few "small centres" as GB 50180-2018 §5.0.1 asks.
 * Deterministic for a seed.
 */
import type { FacilityStatus, FacilityType } from '../../../../shared/greenway/types.js'
import { mulberry32 } from '../../../../shared/random.js'
import { randomPointInCell } from '../../../sources/simulator/point-in-cell.js'
import type { CellRecord, CityGeo } from '../../city-geo.js'
import { cellToCenterChild, cellToLatLng, getResolution } from 'h3-js'
import { metresPerDegree, pointPointM } from '../../../../shared/greenway/geometry.js'

export interface DemoFacility { id: string, name: string, type: FacilityType, status: FacilityStatus, lon: number, lat: number }

/** Residents per 10-minute circle (GB 50180-2018: 15,000–25,000) and per 社区卫生服务中心 (≤ 100,000). */
export const SCHOOL_PARK_RESIDENTS = 25_000
export const HEALTH_CENTRE_RESIDENTS = 100_000
/** Service radii of the norms, m: 小学 ≤ 500, 居住区公园 "500 m 见园", 社区卫生服务中心 ≤ 1,000. */
const RADIUS_M = { school: 1000, park: 1000, centre: 1000 }
/** Facilities still being built (not stations: every community has its 党群服务中心), so "a facility opens" can be played. */
const PLANNED_SHARE = 0.04
const PREFIX: Record<FacilityType, string> = { station: 'st', clinic: 'cl', school: 'sc', park: 'pk', elderly: 'el' }

const townOf = (street: string) => street.replace(/(街道|镇|乡)$/, '')
const isTown = (street: string) => /[镇乡]$/.test(street)

interface Centre { community: string, name: string, cell: CellRecord }

const centreOf = new Map<string, [number, number]>()
/** Straight-line metres between two cells' centres (the coverage model's measure). */
function cellMetres(a: string, b: string): number {
  const [alat, alon] = centreOf.get(a) ?? centreOf.set(a, cellToLatLng(a)).get(a)!
  const [blat, blon] = centreOf.get(b) ?? centreOf.set(b, cellToLatLng(b)).get(b)!
  const { kx, ky } = metresPerDegree(alat)
  return pointPointM(alon, alat, blon, blat, kx, ky)
}

/** Greedy siting: each pick is the centre reaching the most residents (of the street's cells) not yet within `radiusM`. */
export function siteGreedy(centres: Centre[], cells: CellRecord[], count: number, radiusM: number): Centre[] {
  const reach = centres.map(c => cells.map((x, i) => [i, cellMetres(c.cell.h3, x.h3)] as const).filter(([, d]) => d <= radiusM).map(([i]) => i))
  const served = new Uint8Array(cells.length)
  const picked: Centre[] = []
  const used = new Set<number>()
  for (let n = 0; n < count; n++) {
    let best = -1
    let bestGain = -1
    centres.forEach((_, k) => {
      if (used.has(k) && used.size < centres.length) return
      const gain = reach[k]!.reduce((a, i) => a + (served[i] ? 0 : cells[i]!.population), 0)
      if (gain > bestGain) {
        bestGain = gain
        best = k
      }
    })
    used.add(best)
    for (const i of reach[best]!) served[i] = 1
    picked.push(centres[best]!)
  }
  return picked
}

export function buildFacilities(geo: CityGeo, seed: number): DemoFacility[] {
  const rng = mulberry32(seed)
  const streets = [...geo.units.values()].filter(u => u.level === 'street').sort((a, b) => a.code.localeCompare(b.code))
  const cellsOf = new Map<string, CellRecord[]>()
  for (const c of geo.cells) {
    const list = cellsOf.get(c.community)
    if (list) list.push(c)
    else cellsOf.set(c.community, [c])
  }
  const out: DemoFacility[] = []
  const serial = new Map<FacilityType, number>()
  const place = (type: FacilityType, name: string, at: Centre) => {
    const n = (serial.get(type) ?? 0) + 1
    serial.set(type, n)
    // near the centre cell's middle (in its centre grandchild, ≈ 1/49 of it), so a community's facilities stand
    // together and reach the same neighbours; and inside the community (a finer neighbour may overlap the cell)
    const core = cellToCenterChild(at.cell.h3, getResolution(at.cell.h3) + 2)
    let p = randomPointInCell(core, rng)
    for (let k = 0; k < 8 && geo.locate(p.lon, p.lat)?.community !== at.community; k++) p = randomPointInCell(k < 4 ? core : at.cell.h3, rng)
    // (a community whose every cell lies under a finer district's cells cannot be located at all: keep the point)
    out.push({
      id: `${PREFIX[type]}-${String(n).padStart(4, '0')}`, name, type,
      status: type !== 'station' && rng() < PLANNED_SHARE ? 'planned' : 'open',
      lon: Math.round(p.lon * 1e5) / 1e5, lat: Math.round(p.lat * 1e5) / 1e5,
    })
  }
  for (const street of streets) {
    const communities = geo.children(street.code)
    const centres: Centre[] = communities.map((c) => {
      const cells = cellsOf.get(c.code) ?? []
      // its most populated cell that locate() answers for (a coarse cell under a finer district's cells is not)
      const own = (x: CellRecord) => {
        const [lat, lon] = cellToLatLng(x.h3)
        return geo.locate(lon, lat)?.cell === x.h3
      }
      const ranked = [...cells].sort((a, b) => b.population - a.population || a.h3.localeCompare(b.h3))
      const cell = ranked.find(own) ?? ranked[0]!
      return { community: c.code, name: c.name, cell }
    })
    const cells = communities.flatMap(c => cellsOf.get(c.code) ?? [])
    const town = isTown(street.name)
    const healthCentres = siteGreedy(centres, cells, Math.max(1, Math.ceil(street.population / HEALTH_CENTRE_RESIDENTS)), RADIUS_M.centre)
    const hosts = new Set(healthCentres.map(c => c.community))
    healthCentres.forEach((c, k) => place('clinic', town ? `${townOf(street.name)}${k ? `第${k + 1}` : ''}卫生院` : `${street.name}社区卫生服务中心${k ? `${k + 1}分中心` : ''}`, c))
    for (const c of centres) {
      place('station', `${c.name}党群服务中心`, c)
      if (!hosts.has(c.community)) place('clinic', c.name.endsWith('村') ? `${c.name}卫生室` : `${c.name}卫生服务站`, c)
      place('elderly', `${c.name}日间照料中心`, c)
    }
    const tenMinute = Math.max(1, Math.ceil(street.population / SCHOOL_PARK_RESIDENTS))
    siteGreedy(centres, cells, tenMinute, RADIUS_M.school).forEach((c, k) => place('school', `${townOf(street.name)}${town && k === 0 ? '中心小学' : `第${k + 1}小学`}`, c))
    siteGreedy(centres, cells, tenMinute, RADIUS_M.park).forEach(c => place('park', `${c.name.replace(/(社区|村)$/, '')}公园`, c))
  }
  const order: FacilityType[] = ['station', 'clinic', 'school', 'park', 'elderly']
  return out.sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type) || a.id.localeCompare(b.id))
}
