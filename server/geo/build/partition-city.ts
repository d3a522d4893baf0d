import { cellToLatLng } from 'h3-js'
import type { CityConfig } from './city-config.js'
import { components } from './components.js'
import type { Hierarchy, RawUnit } from './hierarchy.js'
import { apportion, distanceKm } from './population.js'
import { growRegions } from './partition.js'

export interface Partition {
  /** cell → community code */
  community: Map<string, string>
  /** Cells of leftover pieces attached to the nearest unit (non-contiguous), for the build report. */
  strayCells: number
}

const isJiedao = (u: RawUnit) => u.name.endsWith('街道')

/**
 * Streets inside each district, then communities inside each street, as contiguous unions of cells. Streets are
 * sized by their community count (so each can hold its communities) on a load that mixes residents and area;
 * 街道 take the seeds nearest the city centre, towns (镇/乡) the outer ones. Communities share residents evenly.
 */
export function partitionCity(
  hierarchy: Hierarchy, cellDistrict: Map<string, string>, population: Map<string, number>,
  config: CityConfig, rng: () => number,
): Partition {
  const community = new Map<string, string>()
  let strayCells = 0
  const centreDistance = (c: string) => {
    const [lat, lon] = cellToLatLng(c)
    return distanceKm([lon, lat], config.densityCentre)
  }
  for (const district of hierarchy.districts) {
    const cells = [...cellDistrict].filter(([, d]) => d === district.code).map(([c]) => c).sort()
    const streets = hierarchy.streets.filter(s => s.parent === district.code)
      .sort((a, b) => Number(isJiedao(b)) - Number(isJiedao(a)) || a.code.localeCompare(b.code))
    const parts = components(cells)
    const shares = apportion(streets.length, parts.map(p => p.length))
    let next = 0
    for (const [k, part] of parts.entries()) {
      const mine = streets.slice(next, next + shares[k]!)
      next += shares[k]!
      if (mine.length === 0) {
        strayCells += part.length
        continue
      }
      partitionComponent(part, mine, hierarchy, population, rng, centreDistance, community)
    }
    // Pieces that got no street join the unit of their nearest assigned cell.
    for (const c of cells) {
      if (community.has(c)) continue
      const [lat, lon] = cellToLatLng(c)
      let best = ''
      let bestD = Infinity
      for (const o of cells) {
        const code = community.get(o)
        if (!code) continue
        const [la, lo] = cellToLatLng(o)
        const d = distanceKm([lon, lat], [lo, la])
        if (d < bestD) {
          bestD = d
          best = code
        }
      }
      community.set(c, best)
    }
  }
  return { community, strayCells }
}

function partitionComponent(
  cells: string[], streets: RawUnit[], hierarchy: Hierarchy, population: Map<string, number>, rng: () => number,
  centreDistance: (c: string) => number, out: Map<string, string>,
): void {
  const communitiesOf = (s: RawUnit) => hierarchy.communities.filter(c => c.parent === s.code)
  const counts = streets.map(s => communitiesOf(s).length)
  const mean = cells.reduce((a, c) => a + population.get(c)!, 0) / cells.length
  let streetOf = growRegions({ cells, targets: counts, load: c => population.get(c)! + mean, rng, seedRank: centreDistance })
  const tooSmall = (assign: number[]) => counts.some((n, r) => assign.filter(x => x === r).length < n)
  if (tooSmall(streetOf)) streetOf = growRegions({ cells, targets: counts, load: () => 1, rng, seedRank: centreDistance })
  if (tooSmall(streetOf)) throw new Error(`street cells fewer than communities near ${streets[0]!.name}: use a finer resolution`)
  streets.forEach((street, r) => {
    const own = cells.filter((_, i) => streetOf[i] === r)
    const communities = communitiesOf(street)
    const avg = own.reduce((a, c) => a + population.get(c)!, 0) / own.length
    const regionOf = growRegions({ cells: own, targets: communities.map(() => 1), load: c => population.get(c)! + avg, rng })
    own.forEach((c, i) => out.set(c, communities[regionOf[i]!]!.code))
  })
}
