/**
 * The coverage measures as pure functions of per-cell facts. Residents are counted at their grid cell's centre
 * (the cell's population is all "at" the centre); distances are straight lines on the ellipsoid (geometry.ts).
 * See docs/DATA.md § Greenway coverage for the method and its error.
 */
import {
  FACILITY_TYPES, type CoverageLevel, type CoverageRow, type FacilityType, GREENWAY_BANDS_M, GREENWAY_STATUSES, GREENWAY_TIERS,
  type GreenwayStatus, type GreenwayTier, type NetworkSummary,
} from './types.js'

/** Index of the first band (500, 1,000 m) the distance falls within; 2 = farther than 1,000 m. */
export function greenwayBand(distanceM: number): number {
  for (let b = 0; b < GREENWAY_BANDS_M.length; b++) if (distanceM <= GREENWAY_BANDS_M[b]!) return b
  return GREENWAY_BANDS_M.length
}

/** Bit t set: a facility of FACILITY_TYPES[t] is within the service radius. */
export function typeBit(type: FacilityType): number {
  return 1 << FACILITY_TYPES.indexOf(type)
}

export function requiredMask(types: readonly FacilityType[]): number {
  let m = 0
  for (const t of types) m |= typeBit(t)
  return m
}

/** Number of required types reached (0 … required count): the service circle's shading band. */
export function requiredReached(mask: number, required: number): number {
  let m = mask & required
  let n = 0
  while (m) {
    m &= m - 1
    n += 1
  }
  return n
}

/** Population sums of one unit, from which its row is derived. */
export interface UnitSums {
  population: number
  /** Residents within each greenway band (cumulative: within 500 m ⊂ within 1,000 m). */
  withinBand: readonly number[]
  byType: readonly number[]
  all: number
  builtKm: number
}

const share = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : 0)
// `|| 0` turns -0 (a sum that drifted a hair below zero) into 0
const km3 = (km: number) => Math.round(km * 1000) / 1000 || 0

/** Greenway km per 10,000 residents (0 when nobody lives there). */
export function kmPer10k(km: number, population: number): number {
  return population > 0 ? km3(km / (population / 10_000)) : 0
}

/** One unit's row: shares rounded to 0.01 %, km to metres. */
export function coverageRow(unit: { code: string, name: string, level: CoverageLevel, parent: string | null }, s: UnitSums): CoverageRow {
  const service = {} as Record<FacilityType, number>
  FACILITY_TYPES.forEach((t, k) => { service[t] = share(s.byType[k] ?? 0, s.population) })
  const within1000 = s.withinBand[1] ?? 0
  return {
    code: unit.code,
    name: unit.name,
    level: unit.level,
    parent: unit.parent,
    population: s.population,
    greenway500: share(s.withinBand[0] ?? 0, s.population),
    greenway1000: share(within1000, s.population),
    uncovered1000: s.population - within1000,
    builtKm: km3(s.builtKm),
    kmPer10k: kmPer10k(s.builtKm, s.population),
    service,
    serviceAll: share(s.all, s.population),
  }
}

/** Kilometres per tier and status, and open facilities per type. */
export function summariseNetwork(
  segments: Iterable<{ tier: GreenwayTier, status: GreenwayStatus, lengthKm: number }>,
  facilities: Iterable<{ type: FacilityType, status: string }>,
): NetworkSummary {
  const km = Object.fromEntries(GREENWAY_TIERS.map(t => [t, Object.fromEntries(GREENWAY_STATUSES.map(s => [s, 0]))])) as NetworkSummary['km']
  let count = 0
  for (const s of segments) {
    km[s.tier][s.status] += s.lengthKm
    count += 1
  }
  for (const t of GREENWAY_TIERS) for (const s of GREENWAY_STATUSES) km[t][s] = km3(km[t][s])
  const open = Object.fromEntries(FACILITY_TYPES.map(t => [t, 0])) as Record<FacilityType, number>
  for (const f of facilities) if (f.status === 'open') open[f.type] += 1
  return { km, segments: count, facilities: open }
}

/**
 * The service circle's map band: 3 every required type within reach, 2 at least half of them, 1 at least one,
 * 0 none.
 */
export function serviceBand(reached: number, requiredCount: number): number {
  if (requiredCount === 0 || reached === 0) return 0
  if (reached >= requiredCount) return 3
  return reached * 2 >= requiredCount ? 2 : 1
}
