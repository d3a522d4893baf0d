/**
 * The live coverage model: every grid cell's distance band to the nearest built greenway and the facility types
 * within the service radius, summed per community, street, district and city. A full computation runs once at
 * construction (and on demand); a segment's status change or a facility's opening then touches only the cells
 * within reach of it, and only the units above those cells. No I/O: the server feeds it, the bench times it.
 */
import { coverageRow, greenwayBand, requiredMask, summariseNetwork, type UnitSums } from './coverage.js'
import { GridIndex, metresPerDegree, pointPointM, pointSegmentM } from './geometry.js'
import {
  type CoverageLevel, type CoverageRow, FACILITY_TYPES, type FacilityStatus, type FacilitySummary, type FacilityType,
  GREENWAY_BANDS_M, type GreenwayStatus, type GreenwayTier, type NetworkSummary,
} from './types.js'

export interface ModelUnit { code: string, name: string, parent: string | null }
export interface ModelCell { lon: number, lat: number, population: number, community: string }
export interface ModelSegment {
  id: string
  name: string
  tier: GreenwayTier
  status: GreenwayStatus
  coords: readonly (readonly number[])[]
  lengthKm: number
  /** The segment's km per community it runs through (pieces outside every cell count for the city only). */
  kmByCommunity: ReadonlyMap<string, number>
}
export type ModelFacility = FacilitySummary

export interface ModelInput {
  city: { code: string, name: string }
  districts: readonly ModelUnit[]
  streets: readonly ModelUnit[]
  communities: readonly ModelUnit[]
  cells: readonly ModelCell[]
  segments: readonly ModelSegment[]
  facilities: readonly ModelFacility[]
  serviceRadiusM: number
  requiredTypes: readonly FacilityType[]
}

export interface ModelChanges {
  city: CoverageRow
  districts: CoverageRow[]
  streets: CoverageRow[]
  communities: CoverageRow[]
  segments: { id: string, status: GreenwayStatus }[]
  facilities: FacilitySummary[]
}

const MAX_BAND_M = GREENWAY_BANDS_M[GREENWAY_BANDS_M.length - 1]!
const LEVELS: readonly CoverageLevel[] = ['city', 'district', 'street', 'community']

interface UnitMeta { code: string, name: string, level: CoverageLevel, parent: string | null, up: number }

export class CoverageModel {
  readonly serviceRadiusM: number
  readonly requiredTypes: readonly FacilityType[]
  private readonly required: number
  // units: 0 is the city, then districts, streets, communities; `up` is the index of the unit above
  private readonly units: UnitMeta[] = []
  private readonly unitIdx = new Map<string, number>() // `${level}:${code}`
  private readonly sums: { pop: Float64Array, band: Float64Array[], type: Float64Array[], all: Float64Array, km: Float64Array }
  // cells
  private readonly n: number
  private readonly cx: Float64Array
  private readonly cy: Float64Array
  private readonly ckx: Float64Array
  private readonly cky: Float64Array
  private readonly cpop: Float64Array
  private readonly cunit: Int32Array
  /** Distance to the nearest built greenway when ≤ 1,000 m, else Infinity. */
  readonly cellDistanceM: Float64Array
  readonly cellBand: Uint8Array
  readonly cellMask: Uint8Array
  /** `cellsVersion` when each cell last changed band or mask (map shapes redraw only what changed). */
  readonly cellStamp: Uint32Array
  private readonly stamp: Uint32Array
  private stampGen = 0
  private readonly cellGrid: GridIndex
  // segments and their edges
  private readonly segs: { id: string, name: string, tier: GreenwayTier, status: GreenwayStatus, lengthKm: number, km: [number, number][], first: number, last: number }[] = []
  private readonly segIdx = new Map<string, number>()
  readonly edges: { ax: Float64Array, ay: Float64Array, bx: Float64Array, by: Float64Array, seg: Int32Array, built: Uint8Array }
  private readonly edgeGrid: GridIndex
  // facilities (appendable)
  private readonly facs: ModelFacility[] = []
  private readonly facIdx = new Map<string, number>()
  private readonly facGrid: GridIndex[]
  // change tracking
  private readonly dirtyUnits = new Set<number>()
  private readonly dirtySegs = new Set<number>()
  private readonly dirtyFacs = new Set<number>()
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
    this.recomputeAll()
    this.drainChanges()
  }

  private addUnit(level: CoverageLevel, code: string, name: string, parent: string | null, up: number): void {
    this.unitIdx.set(`${level}:${code}`, this.units.length)
    this.units.push({ code, name, level, parent, up })
  }

  private insertFacility(f: ModelFacility): number {
    const k = this.facs.length
    this.facs.push(f)
    this.facIdx.set(f.id, k)
    this.facGrid[FACILITY_TYPES.indexOf(f.type)]!.add(k, f.lon, f.lat, f.lon, f.lat)
    return k
  }

  // ---- per-cell facts -------------------------------------------------------------------------------------------

  /** Distance from cell i to the nearest built greenway edge within reach (Infinity beyond 1,000 m). */
  private greenwayDistance(i: number): number {
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
  private serviceMask(i: number): number {
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

  /** Adds (sign 1) or removes (-1) cell i's residents to the sums of its community and every unit above. */
  private contribute(i: number, sign: 1 | -1, mark: boolean): void {
    const p = sign * this.cpop[i]!
    const band = this.cellBand[i]!
    const mask = this.cellMask[i]!
    const all = (mask & this.required) === this.required && this.required !== 0
    const s = this.sums
    for (let u = this.cunit[i]!; u >= 0; u = this.units[u]!.up) {
      s.pop[u]! += p
      for (let b = 0; b < s.band.length; b++) if (band <= b) s.band[b]![u]! += p
      for (let t = 0; t < s.type.length; t++) if (mask & (1 << t)) s.type[t]![u]! += p
      if (all) s.all[u]! += p
      if (mark) this.dirtyUnits.add(u)
    }
  }

  private setCell(i: number, band: number, mask: number): void {
    if (band === this.cellBand[i] && mask === this.cellMask[i]) return
    this.contribute(i, -1, true)
    this.cellBand[i] = band
    this.cellMask[i] = mask
    this.contribute(i, 1, true)
    this.cellsVersion += 1
    this.cellStamp[i] = this.cellsVersion
  }

  /** Credits (sign 1) or debits a built segment's km to the units it runs through; the city gets its full length. */
  private creditKm(k: number, sign: 1 | -1): void {
    const seg = this.segs[k]!
    this.sums.km[0]! += sign * seg.lengthKm
    this.dirtyUnits.add(0)
    for (const [community, km] of seg.km) {
      for (let u = community; u > 0; u = this.units[u]!.up) {
        this.sums.km[u]! += sign * km
        this.dirtyUnits.add(u)
      }
    }
  }

  // ---- full and incremental computation ---------------------------------------------------------------------------

  /** Every cell from scratch, then every sum. */
  recomputeAll(): void {
    const s = this.sums
    for (const arr of [s.pop, ...s.band, ...s.type, s.all, s.km]) arr.fill(0)
    for (let i = 0; i < this.n; i++) {
      const d = this.greenwayDistance(i)
      this.cellDistanceM[i] = d
      this.cellBand[i] = greenwayBand(d)
      this.cellMask[i] = this.serviceMask(i)
      this.contribute(i, 1, false)
    }
    this.segs.forEach((_, k) => { if (this.edges.built[k]) this.creditKm(k, 1) })
    for (let u = 0; u < this.units.length; u++) this.dirtyUnits.add(u)
    this.cellsVersion += 1
    this.cellStamp.fill(this.cellsVersion)
  }

  /** Cells whose centre lies within `radiusM` of segment k. */
  private cellsNearSegment(k: number, radiusM: number): number[] {
    const gen = ++this.stampGen
    const out: number[] = []
    const { ax, ay, bx, by } = this.edges
    const seg = this.segs[k]!
    for (let e = seg.first; e < seg.last; e++) {
      const x0 = ax[e]!, y0 = ay[e]!, x1 = bx[e]!, y1 = by[e]!
      this.cellGrid.near(Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1), (ids) => {
        for (let j = 0; j < ids.length; j++) {
          const c = ids[j]!
          if (this.stamp[c] === gen) continue
          if (pointSegmentM(this.cx[c]!, this.cy[c]!, x0, y0, x1, y1, this.ckx[c]!, this.cky[c]!) <= radiusM) {
            this.stamp[c] = gen
            out.push(c)
          }
        }
      })
    }
    return out
  }

  private cellsNearPoint(lon: number, lat: number, radiusM: number): number[] {
    const out: number[] = []
    this.cellGrid.near(lon, lat, lon, lat, (ids) => {
      for (const c of ids) if (pointPointM(this.cx[c]!, this.cy[c]!, lon, lat, this.ckx[c]!, this.cky[c]!) <= radiusM) out.push(c)
    })
    return out
  }

  hasSegment(id: string): boolean { return this.segIdx.has(id) }
  hasFacility(id: string): boolean { return this.facIdx.has(id) }
  segmentStatus(id: string): GreenwayStatus | undefined {
    const k = this.segIdx.get(id)
    return k === undefined ? undefined : this.segs[k]!.status
  }
  facility(id: string): ModelFacility | undefined {
    const k = this.facIdx.get(id)
    return k === undefined ? undefined : this.facs[k]
  }
  facilityList(): readonly ModelFacility[] { return this.facs }

  /** A segment's new status; only the cells within 1,000 m of it are looked at again. False if nothing changed. */
  setSegmentStatus(id: string, status: GreenwayStatus): boolean {
    const k = this.segIdx.get(id)
    if (k === undefined) throw new Error(`unknown segment ${id}`)
    const seg = this.segs[k]!
    if (seg.status === status) return false
    const was = this.edges.built[k] === 1
    const now = status === 'built'
    seg.status = status
    this.dirtySegs.add(k)
    this.dirtyUnits.add(0) // the city's network summary changes with any status
    if (was === now) return true
    this.edges.built[k] = now ? 1 : 0
    this.creditKm(k, now ? 1 : -1)
    for (const c of this.cellsNearSegment(k, MAX_BAND_M)) {
      const d = this.greenwayDistance(c)
      this.cellDistanceM[c] = d
      this.setCell(c, greenwayBand(d), this.cellMask[c]!)
    }
    return true
  }

  /** A facility opens, closes or is planned; the cells within the service radius are looked at again. */
  setFacilityStatus(id: string, status: FacilityStatus): boolean {
    const k = this.facIdx.get(id)
    if (k === undefined) throw new Error(`unknown facility ${id}`)
    const f = this.facs[k]!
    if (f.status === status) return false
    f.status = status
    this.refreshAround(k)
    return true
  }

  /** A new facility (its id must be new). */
  addFacility(f: ModelFacility): void {
    if (this.facIdx.has(f.id)) throw new Error(`facility ${f.id} exists`)
    this.refreshAround(this.insertFacility({ ...f }))
  }

  private refreshAround(k: number): void {
    const f = this.facs[k]!
    this.dirtyFacs.add(k)
    this.dirtyUnits.add(0)
    for (const c of this.cellsNearPoint(f.lon, f.lat, this.serviceRadiusM)) this.setCell(c, this.cellBand[c]!, this.serviceMask(c))
  }

  // ---- reading --------------------------------------------------------------------------------------------------

  private rowOf(u: number): CoverageRow {
    const s = this.sums
    const sums: UnitSums = {
      population: s.pop[u]!,
      withinBand: s.band.map(a => a[u]!),
      byType: s.type.map(a => a[u]!),
      all: s.all[u]!,
      builtKm: s.km[u]!,
    }
    return coverageRow(this.units[u]!, sums)
  }

  cityRow(): CoverageRow { return this.rowOf(0) }

  /** Rows of a level (optionally only the children of `parent`), in input order. */
  rows(level: CoverageLevel, parent?: string): CoverageRow[] {
    const out: CoverageRow[] = []
    for (let u = 0; u < this.units.length; u++) {
      const unit = this.units[u]!
      if (unit.level === level && (parent === undefined || unit.parent === parent)) out.push(this.rowOf(u))
    }
    return out
  }

  row(level: CoverageLevel, code: string): CoverageRow | undefined {
    const u = this.unitIdx.get(`${level}:${code}`)
    return u === undefined ? undefined : this.rowOf(u)
  }

  summary(): NetworkSummary {
    return summariseNetwork(this.segs, this.facs)
  }

  /** Segments with their current status, in input order. */
  segmentStatuses(): { id: string, status: GreenwayStatus }[] {
    return this.segs.map(s => ({ id: s.id, status: s.status }))
  }

  /** What changed since the last drain: the rows of every touched unit, the segments and facilities. */
  drainChanges(): ModelChanges {
    const byLevel = new Map<CoverageLevel, CoverageRow[]>(LEVELS.map(l => [l, []]))
    for (const u of [...this.dirtyUnits].sort((a, b) => a - b)) byLevel.get(this.units[u]!.level)!.push(this.rowOf(u))
    const changes: ModelChanges = {
      city: this.rowOf(0),
      districts: byLevel.get('district')!,
      streets: byLevel.get('street')!,
      communities: byLevel.get('community')!,
      segments: [...this.dirtySegs].sort((a, b) => a - b).map(k => ({ id: this.segs[k]!.id, status: this.segs[k]!.status })),
      facilities: [...this.dirtyFacs].sort((a, b) => a - b).map(k => ({ ...this.facs[k]! })),
    }
    this.dirtyUnits.clear()
    this.dirtySegs.clear()
    this.dirtyFacs.clear()
    return changes
  }

  get cellCount(): number { return this.n }
  get segmentCount(): number { return this.segs.length }
  get requiredBits(): number { return this.required }
}

