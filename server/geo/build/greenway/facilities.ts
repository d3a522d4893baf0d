/**
 * Demo service facilities (示意): for each type, a city-wide count shared out among streets by residents (largest
 * remainder), each placed in a grid cell of the street drawn by residents, at a random point of that cell.
 * A few are only planned, so that "a facility opens" can be played. Deterministic for a seed.
 */
import type { FacilityStatus, FacilityType } from '../../../../shared/greenway/types.js'
import { mulberry32 } from '../../../../shared/random.js'
import type { CityGeo } from '../../city-geo.js'
import { randomPointInCell } from '../../../sources/simulator/point-in-cell.js'

export interface DemoFacility { id: string, name: string, type: FacilityType, status: FacilityStatus, lon: number, lat: number }

/** ≈ 3,000 in all. Parks are placed by √residents (they need room, not crowds). */
export const FACILITY_PLAN: { type: FacilityType, count: number, prefix: string, name: (community: string, street: string, n: number) => string, weight: (p: number) => number }[] = [
  { type: 'station', count: 900, prefix: 'st', name: c => `${c}党群服务中心`, weight: p => p },
  { type: 'clinic', count: 650, prefix: 'cl', name: c => `${c}卫生服务站`, weight: p => p },
  { type: 'school', count: 700, prefix: 'sc', name: (_, s, n) => `${s.replace(/(街道|镇|乡)$/, '')}第${n}小学`, weight: p => p },
  { type: 'park', count: 450, prefix: 'pk', name: c => `${c}口袋公园`, weight: p => Math.sqrt(p) },
  { type: 'elderly', count: 300, prefix: 'el', name: c => `${c}日间照料中心`, weight: p => p },
]
const PLANNED_SHARE = 0.04

/** Integer shares of `total` proportional to `weights` (largest remainder; ties by position). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0)
  if (sum <= 0) return weights.map(() => 0)
  const exact = weights.map(w => (w / sum) * total)
  const out = exact.map(Math.floor)
  const order = exact.map((e, k) => [e - Math.floor(e), k] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1])
  const missing = total - out.reduce((a, b) => a + b, 0)
  for (let k = 0; k < missing; k++) out[order[k]![1]]! += 1
  return out
}

export function buildFacilities(geo: CityGeo, seed: number): DemoFacility[] {
  const rng = mulberry32(seed)
  const streets = [...geo.units.values()].filter(u => u.level === 'street').sort((a, b) => a.code.localeCompare(b.code))
  const cellsOf = new Map<string, { h3: string, community: string, population: number }[]>()
  for (const c of geo.cells) {
    const street = geo.units.get(c.community)?.parent
    if (!street) continue
    const list = cellsOf.get(street)
    if (list) list.push(c)
    else cellsOf.set(street, [c])
  }
  const out: DemoFacility[] = []
  for (const plan of FACILITY_PLAN) {
    const perStreet = apportion(plan.count, streets.map(s => plan.weight(s.population)))
    let serial = 0
    streets.forEach((street, k) => {
      const cells = cellsOf.get(street.code) ?? []
      const weights = cells.map(c => plan.weight(c.population))
      const total = weights.reduce((a, b) => a + b, 0)
      for (let n = 1; n <= perStreet[k]!; n++) {
        let r = rng() * total
        let cell = cells[cells.length - 1]!
        for (let i = 0; i < cells.length; i++) {
          r -= weights[i]!
          if (r <= 0) {
            cell = cells[i]!
            break
          }
        }
        const { lon, lat } = randomPointInCell(cell.h3, rng)
        serial += 1
        out.push({
          id: `${plan.prefix}-${String(serial).padStart(4, '0')}`,
          name: plan.name(geo.units.get(cell.community)?.name ?? '', street.name, n),
          type: plan.type,
          status: rng() < PLANNED_SHARE ? 'planned' : 'open',
          lon: Math.round(lon * 1e5) / 1e5,
          lat: Math.round(lat * 1e5) / 1e5,
        })
      }
    })
  }
  return out
}
