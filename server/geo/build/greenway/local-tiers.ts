/**
 * The city and community tiers of the demo network (示意). The plan has 5,380 km of city-level and 9,630 km of
 * community-level greenway; the demo draws the share we assume routed by 2025 (TIER_SHARES) and marks it built,
 * under construction or planned core-first, so the figures follow a stated assumption rather than a seeded accident.
 *
 * - City tier: links between neighbouring street/town centres (each to its 3 nearest within 12 km), gently
 *   meandering, the meander found by bisection so the tier reaches its drawn length.
 * - Community tier: one loop around each community's centre, sized by √area, scaled (bisection) to the drawn length.
 */
import type { GreenwayStatus, GreenwayTier } from '../../../../shared/greenway/types.js'
import { mulberry32 } from '../../../../shared/random.js'
import type { CityGeo } from '../../city-geo.js'
import type { DemoSegment } from './chengdu-network.js'
import { amplitudeFor, clipRuns, type Frame, meander, noisyRing, offsetBy, polylineKm, smoothPath, splitEqual, toXy, type Xy } from './shapes.js'

/**
 * Shares of each tier's planned km, in the demo's 2025: the regional tier was scheduled complete by 2025 (it is
 * drawn in full in chengdu-network.ts); the city tier follows the river and park corridors, about half built; the
 * community tier comes street by street with neighbourhood renewal, about a third. Under construction and planned
 * parts are drawn too (7–8 % each); the rest of the plan is not routed yet and not drawn.
 */
export const TIER_SHARES: Record<Exclude<GreenwayTier, 'regional'>, { built: number, underConstruction: number, planned: number }> = {
  city: { built: 0.5, underConstruction: 0.08, planned: 0.07 },
  community: { built: 0.35, underConstruction: 0.08, planned: 0.07 },
}

const STEP_KM = 0.05
/** Thousands of km per tier: within 5 km of the drawn target is plenty, and spares bisection steps. */
const TOLERANCE_KM = 5
export const drawnShare = (s: { built: number, underConstruction: number, planned: number }) => s.built + s.underConstruction + s.planned

/**
 * Statuses core-first: segments sorted by distance from the centre (with seeded jitter of a few km, so the edge of
 * the built area is ragged) are built until the tier's built km is reached, then under construction, then planned.
 */
export function assignStatuses(segments: DemoSegment[], planKm: number, share: typeof TIER_SHARES.city, rng: () => number): void {
  const mid = (s: DemoSegment) => s.line[Math.floor(s.line.length / 2)]!
  const order = segments.map(s => ({ s, key: Math.hypot(...mid(s)) + 6 * rng() })).sort((a, b) => a.key - b.key)
  let km = 0
  for (const { s } of order) {
    const status: GreenwayStatus = km < planKm * share.built ? 'built' : km < planKm * (share.built + share.underConstruction) ? 'under_construction' : 'planned'
    s.status = status
    km += polylineKm(s.line)
  }
}

/** City tier: links between neighbouring street centres, `targetKm` drawn in all (statuses: assignStatuses). */
export function cityLinks(geo: CityGeo, frame: Frame, inside: (pt: Xy) => boolean, rng: () => number, targetKm: number): DemoSegment[] {
  const streets = [...geo.units.values()].filter(u => u.level === 'street').sort((a, b) => a.code.localeCompare(b.code))
  const at = streets.map(s => toXy(frame, s.center))
  const edges = new Map<string, [number, number]>()
  at.forEach((p, i) => {
    const near = at.map((q, j) => [j, Math.hypot(q[0] - p[0], q[1] - p[1])] as const).filter(([j, d]) => j !== i && d <= 12).sort((a, b) => a[1] - b[1]).slice(0, 3)
    for (const [j] of near) edges.set(i < j ? `${i}-${j}` : `${j}-${i}`, i < j ? [i, j] : [j, i])
  })
  const lines = [...edges.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([i, j]) => {
    const [a, b] = [at[i]!, at[j]!]
    const len = Math.hypot(b[0] - a[0], b[1] - a[1])
    const bend = (rng() - 0.5) * 0.3 * len
    const m: Xy = [(a[0] + b[0]) / 2 - ((b[1] - a[1]) / len) * bend, (a[1] + b[1]) / 2 + ((b[0] - a[0]) / len) * bend]
    return { i, j, base: smoothPath([a, m, b], STEP_KM), phase: rng() * 2 * Math.PI }
  })
  const wavy = (amplitude: number) => lines.map(l => offsetBy(l.base, meander(amplitude, 1.8, l.phase)))
  // lengths before clipping: the links join centres inside the city, so clipping trims little, and sparing the
  // point-in-city tests in every bisection step keeps the build fast
  const amplitude = amplitudeFor(targetKm, 0.6, a => wavy(a).reduce((s, line) => s + polylineKm(line), 0), TOLERANCE_KM)
  const shaped = (a: number) => wavy(a).map((line, k) => ({ ...lines[k]!, runs: clipRuns(line, inside, 0.3) }))
  const out: DemoSegment[] = []
  for (const l of shaped(amplitude)) {
    const name = `${streets[l.i]!.name.replace(/(街道|镇|乡)$/, '')}—${streets[l.j]!.name.replace(/(街道|镇|乡)$/, '')}绿道`
    let n = 0
    for (const run of l.runs) {
      for (const piece of splitEqual(run, Math.max(1, Math.round(polylineKm(run) / 5)))) {
        n += 1
        out.push({ id: `cl-${streets[l.i]!.code}-${streets[l.j]!.code}-${n}`, name: `${name}${n > 1 || l.runs.length > 1 ? `${n}段` : ''}`, tier: 'city', status: 'planned', corridor: '城市级绿道', line: piece })
      }
    }
  }
  return out
}

/** Community tier: a loop around each community's centre. */
export function communityLoops(geo: CityGeo, frame: Frame, inside: (pt: Xy) => boolean, rng: () => number, targetKm: number): DemoSegment[] {
  const communities = [...geo.units.values()].filter(u => u.level === 'community').sort((a, b) => a.code.localeCompare(b.code))
  const params = communities.map((u) => {
    const [x, y] = toXy(frame, u.center)
    return { u, x, y, jitter: 0.85 + 0.3 * rng(), stretch: 0.85 + 0.3 * rng(), seed: Math.floor(rng() * 2 ** 31) }
  })
  const rings = (scale: number) => params.map((p) => {
    const r = Math.max(0.08, Math.min(1.2, scale * Math.sqrt(p.u.areaKm2) * p.jitter))
    // the harmonics' seed is fixed per community, so the bisection compares like with like
    return { p, ring: noisyRing([p.x, p.y], r * p.stretch, r / p.stretch, 0.08, mulberry32(p.seed), 0.04) }
  })
  // lengths before clipping (loops lie round centres inside the city); clipped once at the end
  const scale = amplitudeFor(targetKm, 1, s => rings(s).reduce((a, r) => a + polylineKm(r.ring), 0), TOLERANCE_KM)
  const out: DemoSegment[] = []
  for (const { p, runs } of rings(scale).map(r => ({ p: r.p, runs: clipRuns(r.ring, inside, 0.3, true) }))) {
    runs.forEach((run, k) => {
      out.push({ id: `sq-${p.u.code}${k ? `-${k}` : ''}`, name: `${p.u.name}绿道`, tier: 'community', status: 'planned', corridor: '社区绿道', line: run })
    })
  }
  return out
}
