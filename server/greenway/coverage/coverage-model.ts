/**
 * The live coverage model: every grid cell's distance band to the nearest built greenway and the facility types
 * within the service radius, summed per community, street, district and city. A full computation runs once at
 * construction (and on demand); a segment's status change or a facility's opening then touches only the cells
 * within reach of it, and only the units above those cells. No I/O: the server feeds it, the bench times it.
 */
import { coverageRow, greenwayBand, summariseNetwork, type UnitSums } from '../../../shared/greenway/coverage.js'
import { pointPointM, pointSegmentM } from '../../../shared/greenway/geometry.js'
import type { CoverageLevel, CoverageRow, FacilityStatus, GreenwayStatus, NetworkSummary } from '../../../shared/greenway/types.js'
import { CoverageModelState, MAX_BAND_M } from './model-state.js'
import type { ModelChanges, ModelFacility, ModelInput } from './model-types.js'

export type { ModelCell, ModelChanges, ModelFacility, ModelInput, ModelSegment, ModelUnit } from './model-types.js'

const LEVELS: readonly CoverageLevel[] = ['city', 'district', 'street', 'community']

export class CoverageModel extends CoverageModelState {
  constructor(input: ModelInput) {
    super(input)
    this.recomputeAll()
    this.drainChanges()
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
