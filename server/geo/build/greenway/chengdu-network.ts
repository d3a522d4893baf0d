// Long on purpose: most of it is the data table of the corridors (control points, rings, statuses) that the plan is drawn from.
/**
 * The demo greenway network of Chengdu (示意, approximate): the regional tier's structure 一轴两山三环七带 drawn from
 * rough control points and ring radii (DOMAIN.md §6), lengthened by seeded meanders until each corridor reaches its
 * planned length, clipped to the city, cut into segments of a few km; plus a few city-tier and community-tier
 * greenways. Deterministic for a seed. Not surveyed geometry: see docs/DATA.md.
 */
import type { GreenwayStatus, GreenwayTier } from '../../../../shared/greenway/types.js'
import { mulberry32 } from '../../../../shared/random.js'
import type { CityGeo } from '../../city-geo.js'
import {
  amplitudeFor, clipRuns, type Frame, meander, noisyRing, offsetBy, pointAt, polylineKm, smoothPath, splitEqual, straight, toLonLat, toXy, type Xy,
} from './shapes.js'
import { assignStatuses, cityLinks, communityLoops, drawnShare, TIER_SHARES } from './local-tiers.js'

/** Tianfu Square; at 30.6°N one degree of longitude ≈ 95.9 km and of latitude ≈ 110.9 km. */
export const FRAME: Frame = { lon0: 104.0657, lat0: 30.6574, kx: 95.9, ky: 110.9 }
const STEP_KM = 0.05

export const PLAN_KM: Record<GreenwayTier, number> = { regional: 1920, city: 5380, community: 9630 }

export interface DemoSegment {
  id: string
  name: string
  tier: GreenwayTier
  status: GreenwayStatus
  corridor: string
  line: Xy[] // km frame
}

interface LineDef { key: string, label: string | null, base: Xy[], closed: boolean, side: number, meander?: boolean }
/** Links between two lines of one corridor (they must share `base`): every `everyKm` along it, across. */
interface RungDef { a: string, b: string, everyKm: number, label: string }
interface CorridorDef {
  key: string
  name: string
  tier: GreenwayTier
  lines: (rng: () => number) => LineDef[]
  rungs?: RungDef[]
  /** The planned length: gentle seeded meanders (bisection on their amplitude) bring the drawn length to it. */
  targetKm?: number
  wavelengthKm: number
  maxAmplitudeKm: number
  segmentKm: number
  status: (rng: () => number, mid: Xy) => GreenwayStatus
}

const ll = (pts: [number, number][]): Xy[] => pts.map(p => toXy(FRAME, p))
const path = (pts: [number, number][]) => smoothPath(ll(pts), STEP_KM)
const pick = (r: number, table: [GreenwayStatus, number][]): GreenwayStatus => {
  let acc = 0
  for (const [s, p] of table) {
    acc += p
    if (r < acc) return s
  }
  return table.at(-1)![0]
}
// 2025: the whole regional tier built (a few sections being upgraded or still planned); city and community tiers mixed.
const regional = (rng: () => number) => pick(rng(), [['built', 0.93], ['under_construction', 0.05], ['planned', 0.02]])
const cityTier = (rng: () => number) => pick(rng(), [['built', 0.6], ['under_construction', 0.25], ['planned', 0.15]])

const JINJIANG_MAIN: [number, number][] = [[103.885, 30.815], [103.95, 30.775], [104.005, 30.735], [104.045, 30.70], [104.075, 30.675],
  [104.084, 30.648], [104.105, 30.625], [104.11, 30.59], [104.085, 30.545], [104.065, 30.50], [104.03, 30.44], [103.985, 30.38], [103.965, 30.33]]
const NANHE: [number, number][] = [[103.87, 30.725], [103.955, 30.715], [104.0, 30.685], [104.035, 30.662], [104.06, 30.652], [104.084, 30.648]]
const LONGMEN: [number, number][] = [[103.18, 30.36], [103.27, 30.48], [103.36, 30.60], [103.46, 30.72], [103.55, 30.84], [103.62, 30.95], [103.72, 31.05], [103.84, 31.14], [103.95, 31.22]]
const LONGQUAN: [number, number][] = [[104.47, 30.90], [104.43, 30.78], [104.38, 30.66], [104.33, 30.55], [104.27, 30.45], [104.20, 30.36]]
const RIVERS: { key: string, name: string, pts: [number, number][] }[] = [
  { key: 'jah', name: '江安河', pts: [[103.64, 30.98], [103.72, 30.89], [103.80, 30.79], [103.86, 30.71], [103.92, 30.64], [103.97, 30.58], [104.03, 30.52]] },
  { key: 'zmh', name: '走马河', pts: [[103.63, 31.00], [103.72, 30.95], [103.80, 30.89], [103.88, 30.83], [103.95, 30.76], [104.00, 30.70]] },
  { key: 'jmh', name: '金马河', pts: [[103.61, 30.97], [103.65, 30.87], [103.70, 30.76], [103.75, 30.65], [103.79, 30.54], [103.82, 30.44], [103.84, 30.36]] },
  { key: 'xh', name: '西河', pts: [[103.45, 30.78], [103.53, 30.68], [103.62, 30.57], [103.71, 30.48], [103.80, 30.42]] },
  { key: 'ylh', name: '杨柳河', pts: [[103.87, 30.72], [103.88, 30.62], [103.86, 30.52], [103.82, 30.43]] },
  { key: 'dfq', name: '东风渠', pts: [[103.66, 31.00], [103.78, 30.94], [103.90, 30.88], [104.02, 30.83], [104.13, 30.77], [104.21, 30.69], [104.24, 30.60], [104.20, 30.50], [104.12, 30.42]] },
  { key: 'tj', name: '沱江', pts: [[104.32, 30.94], [104.42, 30.87], [104.48, 30.76], [104.52, 30.64], [104.55, 30.52], [104.58, 30.40], [104.63, 30.28]] },
  { key: 'jxh', name: '绛溪河', pts: [[104.26, 30.37], [104.36, 30.39], [104.46, 30.40], [104.56, 30.42]] },
  { key: 'ph', name: '毗河', pts: [[103.88, 30.86], [103.98, 30.87], [104.08, 30.86], [104.18, 30.85], [104.28, 30.84], [104.38, 30.86], [104.43, 30.87]] },
]

/** 一轴两山三环七带: the regional tier, 1,920 km in the plan. Meanders stay gentle (λ 3–4 km, a few hundred m). */
const REGIONAL: CorridorDef[] = [
  {
    key: 'jj', name: '锦江绿道', tier: 'regional', targetKm: 180, wavelengthKm: 3, maxAmplitudeKm: 0.07, segmentKm: 6, status: regional,
    lines: () => {
      const main = path(JINJIANG_MAIN)
      const nanhe = path(NANHE)
      return [
        { key: 'l', label: '左岸', base: main, closed: false, side: 0.08 },
        { key: 'r', label: '右岸', base: main, closed: false, side: -0.08 },
        { key: 'nl', label: '南河左岸', base: nanhe, closed: false, side: 0.06 },
        { key: 'nr', label: '南河右岸', base: nanhe, closed: false, side: -0.06 },
      ]
    },
  },
  {
    key: 'lm', name: '龙门山森林绿道', tier: 'regional', targetKm: 350, wavelengthKm: 4, maxAmplitudeKm: 0.4, segmentKm: 8, status: regional,
    lines: () => {
      const base = path(LONGMEN)
      return [{ key: 'a', label: '山前线', base, closed: false, side: 0 }, { key: 'b', label: '山中线', base, closed: false, side: 6 }]
    },
    rungs: [{ a: 'a', b: 'b', everyKm: 7, label: '联络线' }],
  },
  {
    key: 'lq', name: '龙泉山森林绿道', tier: 'regional', targetKm: 200, wavelengthKm: 4, maxAmplitudeKm: 0.4, segmentKm: 7, status: regional,
    lines: () => {
      const base = path(LONGQUAN)
      return [
        { key: 'r', label: '山脊线', base, closed: false, side: 0 },
        { key: 'w', label: '西坡线', base, closed: false, side: -2 },
        { key: 'e', label: '东坡线', base, closed: false, side: 2 },
      ]
    },
    rungs: [{ a: 'w', b: 'r', everyKm: 12, label: '联络线' }],
  },
  {
    key: 'xm', name: '熊猫绿道', tier: 'regional', targetKm: 100, wavelengthKm: 3, maxAmplitudeKm: 0.1, segmentKm: 6, status: regional,
    lines: (rng) => {
      const ring = noisyRing([0, 0], 8.1 * 1.03, 8.1 * 0.97, 0.04, rng, STEP_KM)
      return [{ key: 'i', label: '内侧', base: ring, closed: true, side: 0.12, meander: false }, { key: 'o', label: '外侧', base: ring, closed: true, side: -0.12, meander: false }]
    },
  },
  {
    key: 'jc', name: '锦城绿道', tier: 'regional', targetKm: 200, wavelengthKm: 3, maxAmplitudeKm: 0.25, segmentKm: 6, status: regional,
    lines: (rng) => {
      const ring = noisyRing([0, 0], 13.5 * 1.03, 13.5 * 0.97, 0.04, rng, STEP_KM)
      return [{ key: 'i', label: '内线', base: ring, closed: true, side: 0.35 }, { key: 'o', label: '外线', base: ring, closed: true, side: -0.35 }]
    },
    rungs: [{ a: 'o', b: 'i', everyKm: 2.5, label: '联络线' }],
  },
  {
    key: 'ty', name: '田园绿道', tier: 'regional', targetKm: 320, wavelengthKm: 4, maxAmplitudeKm: 0.7, segmentKm: 8,
    // the east part crossing 龙泉山 is still being built in the demo
    status: (rng, mid) => (mid[0] > 25 && rng() < 0.5 ? 'under_construction' : regional(rng)),
    lines: (rng) => {
      const centre: Xy = [0.05 * FRAME.kx, 0]
      const ring = noisyRing(centre, 38, 33, 0.05, rng, STEP_KM)
      // branch lines (支线) into the farmland on either side of the ring
      const branches = Array.from({ length: 14 }, (_, k) => {
        const th = (2 * Math.PI * (k + 0.3 * rng())) / 14
        const inward = k % 2 === 0
        const r0 = inward ? 0.98 : 1.02
        const r1 = inward ? 0.8 : 1.18
        const at = (f: number, dth: number): Xy => [centre[0] + 38 * f * Math.cos(th + dth), centre[1] + 33 * f * Math.sin(th + dth)]
        return { key: `z${k}`, label: '支线', base: smoothPath([at(r0, 0), at((r0 + r1) / 2, 0.03 * (rng() - 0.5)), at(r1, 0.05 * (rng() - 0.5))], STEP_KM), closed: false, side: 0 }
      })
      return [{ key: 'r', label: null, base: ring, closed: true, side: 0 }, ...branches]
    },
  },
  {
    key: 'qd', name: '七带绿道', tier: 'regional', targetKm: 570, wavelengthKm: 3, maxAmplitudeKm: 0.6, segmentKm: 7, status: regional,
    lines: () => RIVERS.map(r => ({ key: r.key, label: r.name, base: path(r.pts), closed: false, side: 0 })),
  },
]

const DIRECTIONS = ['东', '东北', '北', '西北', '西', '西南', '南', '东南']

/** City tier: 沙河绿道 and spokes between the rings (a small sample of the 5,380 km planned). */
const CITY: CorridorDef[] = [
  {
    key: 'sh', name: '沙河绿道', tier: 'city', wavelengthKm: 1.6, maxAmplitudeKm: 0, segmentKm: 6, status: rng => (rng() < 0.85 ? 'built' : 'under_construction'),
    lines: () => [{ key: 'm', label: null, base: path([[104.06, 30.74], [104.10, 30.72], [104.125, 30.69], [104.13, 30.66], [104.115, 30.63], [104.095, 30.615]]), closed: false, side: 0 }],
  },
  {
    key: 'cs', name: '城市绿道', tier: 'city', wavelengthKm: 1.6, maxAmplitudeKm: 0, segmentKm: 5, status: cityTier,
    lines: rng => {
      const spoke = (angleDeg: number, r0: number, r1: number): Xy[] => {
        const bend = (rng() - 0.5) * 0.14
        const at = (r: number, a: number): Xy => [r * Math.cos(a), r * Math.sin(a)]
        const a = (angleDeg * Math.PI) / 180
        return smoothPath([at(r0, a), at((r0 + r1) / 2, a + bend), at(r1, a + bend / 2)], STEP_KM)
      }
      const inner = DIRECTIONS.map((d, k) => ({ key: `i${k}`, label: `${d}线`, base: spoke(k * 45 + 10, 8.4, 13.1), closed: false, side: 0 }))
      const outer = [20, 80, 140, 200, 260, 320].map((deg, k) => ({ key: `o${k}`, label: `${DIRECTIONS[Math.round(deg / 45) % 8]}延伸线`, base: spoke(deg, 13.9, 29), closed: false, side: 0 }))
      return [...inner, ...outer]
    },
  },
]

const pad2 = (n: number) => String(n).padStart(2, '0')

/** Lays out one corridor: meander amplitude by bisection to its target length, clipped runs cut into segments. */
function layCorridor(c: CorridorDef, inside: (pt: Xy) => boolean, rng: () => number): { segments: DemoSegment[], km: number } {
  const lines = c.lines(rng)
  const phases = lines.map(() => rng() * 2 * Math.PI)
  const lateralOf = (amplitude: number) => lines.map((l, k) => {
    const loopKm = l.closed ? polylineKm(l.base) : 0
    // closed loops: a whole number of waves, so the meander joins itself where the loop closes
    const wavelength = l.closed ? loopKm / Math.max(1, Math.round(loopKm / c.wavelengthKm)) : c.wavelengthKm
    const wave = meander(l.meander === false ? 0 : amplitude, wavelength, phases[k]!, l.side)
    return l.closed ? (s: number) => wave(s % loopKm) : wave
  })
  const shaped = (amplitude: number): { key: string, label: string | null, runs: Xy[][] }[] => {
    const lateral = lateralOf(amplitude)
    const out = lines.map((l, k) => ({ key: l.key, label: l.label, runs: clipRuns(offsetBy(l.base, lateral[k]!, l.closed), inside, 0.5, l.closed) }))
    for (const r of c.rungs ?? []) {
      const ia = lines.findIndex(l => l.key === r.a)
      const ib = lines.findIndex(l => l.key === r.b)
      const base = lines[ia]!.base
      const runs: Xy[][] = []
      for (let s = r.everyKm / 2; s < polylineKm(base); s += r.everyKm) {
        const { at, normal } = pointAt(base, s)
        const [oa, ob] = [lateral[ia]!(s), lateral[ib]!(s)]
        const rung = straight([at[0] + oa * normal[0], at[1] + oa * normal[1]], [at[0] + ob * normal[0], at[1] + ob * normal[1]], STEP_KM)
        runs.push(...clipRuns(rung, inside, 0.3))
      }
      out.push({ key: `${r.a}${r.b}`, label: r.label, runs })
    }
    return out
  }
  const totalKm = (amplitude: number) => shaped(amplitude).flatMap(l => l.runs).reduce((s, r) => s + polylineKm(r), 0)
  const amplitude = c.targetKm === undefined ? 0 : amplitudeFor(c.targetKm, c.maxAmplitudeKm, totalKm)
  const segments: DemoSegment[] = []
  for (const line of shaped(amplitude)) {
    let n = 0
    // branches and rungs are short: one segment each; long lines are cut every ≈ segmentKm
    for (const run of line.runs) {
      for (const piece of splitEqual(run, Math.max(1, Math.round(polylineKm(run) / c.segmentKm)))) {
        n += 1
        const mid = piece[Math.floor(piece.length / 2)]!
        const river = c.key === 'qd'
        segments.push({
          id: `${c.key}-${line.key}-${pad2(n)}`,
          name: `${river ? `${line.label}绿道` : c.name}${line.label && !river ? `（${line.label}）` : ''}${pad2(n)}段`,
          tier: c.tier,
          status: c.status(rng, mid),
          corridor: river ? `${line.label}绿道` : c.name,
          line: piece,
        })
      }
    }
  }
  return { segments, km: totalKm(amplitude) }
}

export interface NetworkReport { key: string, corridor: string, targetKm: number | null, km: number, segments: number }

export function buildChengduNetwork(geo: CityGeo, seed: number): { segments: DemoSegment[], report: NetworkReport[] } {
  const rng = mulberry32(seed)
  const inside = (pt: Xy) => {
    const [lon, lat] = toLonLat(FRAME, pt)
    return geo.locate(lon, lat) !== null
  }
  const segments: DemoSegment[] = []
  const report: NetworkReport[] = []
  for (const c of [...REGIONAL, ...CITY]) {
    const laid = layCorridor(c, inside, rng)
    segments.push(...laid.segments)
    report.push({ key: c.key, corridor: c.name, targetKm: c.targetKm ?? null, km: laid.km, segments: laid.segments.length })
  }
  // the city tier's corridors above count towards its drawn share; links between street centres make up the rest
  const drawnCity = segments.filter(s => s.tier === 'city').reduce((a, s) => a + polylineKm(s.line), 0)
  const links = cityLinks(geo, FRAME, inside, rng, PLAN_KM.city * drawnShare(TIER_SHARES.city) - drawnCity)
  segments.push(...links)
  assignStatuses(segments.filter(s => s.tier === 'city'), PLAN_KM.city, TIER_SHARES.city, rng)
  report.push({ key: 'cl', corridor: '城市级绿道', targetKm: null, km: links.reduce((a, l) => a + polylineKm(l.line), 0), segments: links.length })
  const loops = communityLoops(geo, FRAME, inside, rng, PLAN_KM.community * drawnShare(TIER_SHARES.community))
  assignStatuses(loops, PLAN_KM.community, TIER_SHARES.community, rng)
  segments.push(...loops)
  report.push({ key: 'sq', corridor: '社区绿道', targetKm: null, km: loops.reduce((a, l) => a + polylineKm(l.line), 0), segments: loops.length })
  return { segments, report }
}
