/**
 * The coverage model's packed state: units with their sums, cells, greenway edges and facilities in typed arrays and
 * grid indexes, built once from the input. coverage-model.ts holds what is computed on them (split only for size).
 */
import { requiredMask } from '../../../shared/greenway/coverage.js'
import { GridIndex, metresPerDegree, pointPointM, pointSegmentM } from '../../../shared/greenway/geometry.js'
import { type CoverageLevel, FACILITY_TYPES, type FacilityType, GREENWAY_BANDS_M, type GreenwayStatus, type GreenwayTier } from '../../../shared/greenway/types.js'
import type { ModelFacility, ModelInput } from './model-types.js'

export const MAX_BAND_M = GREENWAY_BANDS_M[GREENWAY_BANDS_M.length - 1]!

interface UnitMeta { code: string, name: string, level: CoverageLevel, parent: string | null, up: number }

export abstract class CoverageModelState {
  readonly serviceRadiusM: number
  readonly requiredTypes: readonly FacilityType[]
  protected readonly required: number
  // units: 0 is the city, then districts, streets, communities; `up` is the index of the unit above
  protected readonly units: UnitMeta[] = []
  protected readonly unitIdx = new Map<string, number>() // `${level}:${code}`
  protected readonly sums: { pop: Float64Array, band: Float64Array[], type: Float64Array[], all: Float64Array, km: Float64Array }
  // cells
  protected readonly n: number
  protected readonly cx: Float64Array
  protected readonly cy: Float64Array
  protected readonly ckx: Float64Array
  protected readonly cky: Float64Array
  protected readonly cpop: Float64Array
  protected readonly cunit: Int32Array
  /** Distance to the nearest built greenway when ≤ 1,000 m, else Infinity. */
  readonly cellDistanceM: Float64Array
  readonly cellBand: Uint8Array
  readonly cellMask: Uint8Array
  /** `cellsVersion` when each cell last changed band or mask (map shapes redraw only what changed). */
  readonly cellStamp: Uint32Array
  protected readonly stamp: Uint32Array
  protected stampGen = 0
  protected readonly cellGrid: GridIndex
  // segments and their edges
  protected readonly segs: { id: string, name: string, tier: GreenwayTier, status: GreenwayStatus, lengthKm: number, km: [number, number][], first: number, last: number }[] = []
  protected readonly segIdx = new Map<string, number>()
  readonly edges: { ax: Float64Array, ay: Float64Array, bx: Float64Array, by: Float64Array, seg: Int32Array, built: Uint8Array }
  protected readonly edgeGrid: GridIndex
  // facilities (appendable)
  protected readonly facs: ModelFacility[] = []
  protected readonly facIdx = new Map<string, number>()
  protected readonly facGrid: GridIndex[]
  // change tracking
  protected readonly dirtyUnits = new Set<number>()
  protected readonly dirtySegs = new Set<number>()
  protected readonly dirtyFacs = new Set<number>()
  /** Bumped whenever a cell's band or facility mask changes (for cached map shapes). */
  cellsVersion = 0


  constructor(input: ModelInput) {
    this.serviceRadiusM = input.serviceRadiusM
    this.requiredTypes = input.requiredTypes
    this.required = requiredMask(input.requiredTypes)
    this.addUnit('city', input.city.code, input.city.name, null, -1)
    for (const d of input.districts) this.addUnit('district', d.code, d.name, d.parent, 0)
    for (const s of input.streets) this.addUnit('street', s.code, s.name, s.parent, this.unitIdx.get(`district:${s.parent}`) ?? 0)
    for (const c of input.communities) this.addUnit('community', c.code, c.name, c.parent, this.unitIdx.get(`street:${c.parent}`) ?? 0)
    const nu = this.units.length
    this.sums = {
      pop: new Float64Array(nu),
      band: GREENWAY_BANDS_M.map(() => new Float64Array(nu)),
      type: FACILITY_TYPES.map(() => new Float64Array(nu)),
      all: new Float64Array(nu),
      km: new Float64Array(nu),
    }

    const cells = input.cells
    this.n = cells.length
    this.cx = new Float64Array(this.n)
    this.cy = new Float64Array(this.n)
    this.ckx = new Float64Array(this.n)
    this.cky = new Float64Array(this.n)
    this.cpop = new Float64Array(this.n)
    this.cunit = new Int32Array(this.n)
    this.cellDistanceM = new Float64Array(this.n).fill(Infinity)
    this.cellBand = new Uint8Array(this.n).fill(GREENWAY_BANDS_M.length)
    this.cellMask = new Uint8Array(this.n)
    this.cellStamp = new Uint32Array(this.n)
    this.stamp = new Uint32Array(this.n)
    let maxAbsLat = 0
    cells.forEach((c, i) => {
      this.cx[i] = c.lon
      this.cy[i] = c.lat
      const { kx, ky } = metresPerDegree(c.lat)
      this.ckx[i] = kx
      this.cky[i] = ky
      this.cpop[i] = c.population
      this.cunit[i] = this.unitIdx.get(`community:${c.community}`) ?? 0
      maxAbsLat = Math.max(maxAbsLat, Math.abs(c.lat))
    })
    for (const s of input.segments) for (const p of s.coords) maxAbsLat = Math.max(maxAbsLat, Math.abs(p[1]!))
    maxAbsLat += 0.5 // facilities opened later lie inside the city too; the margin keeps buckets wide enough
    this.cellGrid = new GridIndex(Math.max(MAX_BAND_M, this.serviceRadiusM), maxAbsLat)
    for (let i = 0; i < this.n; i++) this.cellGrid.add(i, this.cx[i]!, this.cy[i]!, this.cx[i]!, this.cy[i]!)

    const edgeCount = input.segments.reduce((a, s) => a + Math.max(0, s.coords.length - 1), 0)
    this.edges = {
      ax: new Float64Array(edgeCount), ay: new Float64Array(edgeCount), bx: new Float64Array(edgeCount), by: new Float64Array(edgeCount),
      seg: new Int32Array(edgeCount), built: new Uint8Array(input.segments.length),
    }
    this.edgeGrid = new GridIndex(MAX_BAND_M, maxAbsLat)
    let e = 0
    input.segments.forEach((s, k) => {
      const km: [number, number][] = []
      for (const [code, v] of s.kmByCommunity) {
        const u = this.unitIdx.get(`community:${code}`)
        if (u !== undefined) km.push([u, v])
      }
      this.segs.push({ id: s.id, name: s.name, tier: s.tier, status: s.status, lengthKm: s.lengthKm, km, first: e, last: e + Math.max(0, s.coords.length - 1) })
      this.segIdx.set(s.id, k)
      this.edges.built[k] = s.status === 'built' ? 1 : 0
      for (let v = 1; v < s.coords.length; v++, e++) {
        const [ax, ay] = s.coords[v - 1] as [number, number]
        const [bx, by] = s.coords[v] as [number, number]
        this.edges.ax[e] = ax
        this.edges.ay[e] = ay
        this.edges.bx[e] = bx
        this.edges.by[e] = by
        this.edges.seg[e] = k
        this.edgeGrid.add(e, Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by))
      }
    })

    this.facGrid = FACILITY_TYPES.map(() => new GridIndex(this.serviceRadiusM, maxAbsLat))
    for (const f of input.facilities) this.insertFacility({ ...f })
  }

  protected addUnit(level: CoverageLevel, code: string, name: string, parent: string | null, up: number): void {
    this.unitIdx.set(`${level}:${code}`, this.units.length)
    this.units.push({ code, name, level, parent, up })
  }

  protected insertFacility(f: ModelFacility): number {
    const k = this.facs.length
    this.facs.push(f)
    this.facIdx.set(f.id, k)
    this.facGrid[FACILITY_TYPES.indexOf(f.type)]!.add(k, f.lon, f.lat, f.lon, f.lat)
    return k
  }

  // ---- per-cell facts -------------------------------------------------------------------------------------------

  /** Distance from cell i to the nearest built greenway edge within reach (Infinity beyond 1,000 m). */
  protected greenwayDistance(i: number): number {
    const px = this.cx[i]!
    const py = this.cy[i]!
    const kx = this.ckx[i]!
    const ky = this.cky[i]!
    const { ax, ay, bx, by, seg, built } = this.edges
    let best = Infinity
    this.edgeGrid.near(px, py, px, py, (ids) => {
      for (let k = 0; k < ids.length; k++) {
        const e = ids[k]!
        if (built[seg[e]!] === 0) continue
        const d = pointSegmentM(px, py, ax[e]!, ay[e]!, bx[e]!, by[e]!, kx, ky)
        if (d < best) best = d
      }
    })
    return best <= MAX_BAND_M ? best : Infinity
  }

  /** Bit per facility type with an open facility within the service radius of cell i. */
  protected serviceMask(i: number): number {
    const px = this.cx[i]!
    const py = this.cy[i]!
    const kx = this.ckx[i]!
    const ky = this.cky[i]!
    const r = this.serviceRadiusM
    let mask = 0
    for (let t = 0; t < FACILITY_TYPES.length; t++) {
      let found = false
      this.facGrid[t]!.near(px, py, px, py, (ids) => {
        if (found) return
        for (let k = 0; k < ids.length; k++) {
          const f = this.facs[ids[k]!]!
          if (f.status === 'open' && pointPointM(px, py, f.lon, f.lat, kx, ky) <= r) {
            found = true
            return
          }
        }
      })
      if (found) mask |= 1 << t
    }
    return mask
  }
}
