import type { PlaceNames } from './descriptions.js'
import { draw } from './performance.js'
import { weightedPicker } from './sampling.js'

/**
 * Where reports come from. Not population alone: dense urban cores report more per resident (more footfall, more
 * patrols, more shops) than rural counties, and each district has its own habit (drawn once per seed). A few cells
 * are hotspots where one problem comes back day after day (a night market's barbecues, a corner where rubbish is
 * dumped), reported on top of the background.
 */
export interface PlaceUnit { name: string, parent: string | null, level: string, population: number, areaKm2: number }
export interface PlaceGeo {
  cells: readonly { h3: string, population: number, community?: string }[]
  units?: ReadonlyMap<string, PlaceUnit>
}

export interface Hotspot { h3: string, category: string, perDay: number, community?: string }

/** Problems that settle in one place; 道路积水 only shows when it rains (its weather factor). */
const RECURRING = ['0102', '0510', '0504', '0501', '0507', '0301', '0505', '0116', '0201', '0406']

/** Reports per resident relative to the city: 0.6 (rural, < 300 /km²) … 1.3 (dense core). */
export function urbanFactor(density: number): number {
  return Math.min(1.3, Math.max(0.6, 0.7 + 0.3 * Math.log10(Math.max(1, density) / 300)))
}

function districtOf(units: ReadonlyMap<string, PlaceUnit>, community: string | undefined): string | undefined {
  const street = community ? units.get(community)?.parent : undefined
  return street ? units.get(street)?.parent ?? undefined : undefined
}

/** A district's reports per resident relative to the city's: its density and its own habit (× 0.8–1.25). */
export function districtReportFactor(seed: number, unit: PlaceUnit, code: string): number {
  return urbanFactor(unit.population / Math.max(0.1, unit.areaKm2)) * (0.8 + 0.45 * draw(seed, `report-habit:${code}`))
}

export type Places = ReturnType<typeof buildPlaces>

const built = new WeakMap<PlaceGeo, Map<number, Places>>()

/** The places of a city and seed, built once (the history seed makes a generator per slice). */
export function createPlaces(geo: PlaceGeo, seed: number): Places {
  let bySeed = built.get(geo)
  if (!bySeed) built.set(geo, bySeed = new Map())
  let places = bySeed.get(seed)
  if (!places) bySeed.set(seed, places = buildPlaces(geo, seed))
  return places
}

function buildPlaces(geo: PlaceGeo, seed: number) {
  const units = geo.units
  const factorOf = new Map<string, number>()
  const factor = (community: string | undefined) => {
    const d = units && districtOf(units, community)
    if (!d || !units) return 1
    let f = factorOf.get(d)
    if (f === undefined) {
      f = districtReportFactor(seed, units.get(d)!, d)
      factorOf.set(d, f)
    }
    return f
  }
  const pickCell = weightedPicker(geo.cells, c => c.population * factor(c.community))

  // hotspots: about one per 1,000 cells (3–30), among populated cells, each with its problem and daily rate
  const count = Math.min(30, Math.max(2, Math.round(geo.cells.length / 1000)))
  const populated = geo.cells.filter(c => c.population > 0)
  // a weighted draw without replacement (an exponential race), weight √population: busy places, not only the busiest
  const key = (c: { h3: string, population: number }) => -Math.log(1 - draw(seed, `hotspot:${c.h3}`)) / Math.sqrt(c.population)
  const ranked = populated.map(c => ({ c, k: key(c) })).sort((a, b) => a.k - b.k).map(x => x.c)
  const hotspots: Hotspot[] = ranked.slice(0, count).map((c, k) => ({
    h3: c.h3,
    category: RECURRING[Math.floor(draw(seed, `hotspot-problem:${c.h3}`) * RECURRING.length)]!,
    perDay: 10 + 12 * draw(seed, `hotspot-rate:${c.h3}:${k}`),
    ...(c.community && { community: c.community }),
  }))

  const namesOf = new Map<string, PlaceNames>()
  function names(community: string | undefined): PlaceNames | undefined {
    const known = community ? namesOf.get(community) : undefined
    if (known || !community) return known
    const c = units?.get(community)
    if (!c) return undefined
    const street = c.parent ? units?.get(c.parent)?.name : undefined
    const found = { community: c.name, ...(street && { street }) }
    namesOf.set(community, found)
    return found
  }

  return { pickCell, hotspots, names }
}
