import { funnelReach, HOUR_MS } from '../../../shared/analysis.js'
import type { CaseStatus } from '../../../shared/workflow/states.js'
import { type CubeFacts, DAY_HOURS, DayBlock, type SummarySizes } from './day-block.js'
import { Dictionary } from './dictionary.js'
import { scanCube, type ScanResult, type ScanSpec, type ScanWants } from './scan.js'
import { cubeSnapshot, restoreCube } from './snapshot.js'

/**
 * The drill-down's in-memory copy of rollup_hour: one column block per local day, ~18 bytes per row. Loaded from the
 * table at start-up and kept current by the repository's rollup listener, so it always equals the committed table.
 * A scan reads the blocks of a range once and fills every accumulator asked for.
 */
export class RollupCube {
  readonly cells: Dictionary
  readonly communities: Dictionary
  /** cell index → community index; community → street; street → district. */
  readonly cellCommunity: number[] = []
  readonly communityStreet: number[] = []
  readonly streets = new Dictionary()
  readonly streetDistrict: number[] = []
  readonly districts = new Dictionary()
  readonly categories: Dictionary
  readonly sources: Dictionary
  readonly statuses: Dictionary
  readonly departments = new Dictionary([''])
  /** Internal (with offsetHours, scratch, districtSlots, classTable, summarize, dictionaryValues): read by scan.ts and snapshot.ts. */
  readonly blocks = new Map<number, DayBlock>()
  readonly offsetHours: number
  rows = 0

  constructor(opts: { utcOffsetMinutes: number, cells: readonly { h3: string, community: string }[], units: Iterable<{ code: string, level: string, parent: string | null }>, categories: readonly string[], sources: readonly string[], statuses: readonly string[] }) {
    this.offsetHours = opts.utcOffsetMinutes / 60
    const parent = new Map<string, string | null>()
    for (const u of opts.units) parent.set(u.code, u.parent)
    this.communities = new Dictionary()
    this.cells = new Dictionary()
    for (const c of opts.cells) {
      const street = parent.get(c.community) ?? c.community.slice(0, 9)
      this.locate(c.h3, c.community, street, parent.get(street) ?? street.slice(0, 6))
    }
    this.categories = new Dictionary(opts.categories)
    this.sources = new Dictionary(opts.sources)
    this.statuses = new Dictionary(opts.statuses)
  }

  /** Cell index of a located cell, learning cells and units the geo data did not list (tests use made-up ones). */
  locate(cell: string, community: string, street: string, district: string): number {
    const k = this.cells.find(cell)
    if (k >= 0) return k
    const d = this.districts.id(district)
    const s = this.streets.id(street)
    if (this.streetDistrict[s] === undefined) this.streetDistrict[s] = d
    const c = this.communities.id(community)
    if (this.communityStreet[c] === undefined) this.communityStreet[c] = s
    const id = this.cells.id(cell)
    this.cellCommunity[id] = c
    return id
  }

  /** Local days whose stored rows have been read (days outside the stored range need no reading). */
  private readonly loadedDays = new Set<number>()
  private storedFirstDay = 0
  private storedLastDay = -1

  /** The local days the store held rows for when the cube was created: they are read on demand (`markLoaded`). */
  setStoredHours(range: [number, number] | null): void {
    this.storedFirstDay = range ? this.localDay(range[0]) : 0
    this.storedLastDay = range ? this.localDay(range[1]) : -1
  }

  isLoaded(day: number): boolean {
    return day < this.storedFirstDay || day > this.storedLastDay || this.loadedDays.has(day)
  }

  /** Marks a day read; call it just before reading the day's rows (a change committed after the read then applies). */
  markLoaded(day: number): void {
    this.loadedDays.add(day)
  }

  /** Stored days not read yet, newest first. */
  pendingDays(): number[] {
    const out: number[] = []
    for (let d = this.storedLastDay; d >= this.storedFirstDay; d--) if (!this.loadedDays.has(d)) out.push(d)
    return out
  }

  /** First absolute hour of a local day. */
  dayStartHour(day: number): number {
    return day * DAY_HOURS - this.offsetHours
  }

  /**
   * A committed change (the store's listener): applied to days already read; a day not read yet will read it with
   * its rows.
   */
  applyFacts(facts: CubeFacts): void {
    if (!this.isLoaded(this.localDay(facts.hour))) return
    this.addFacts(facts)
  }

  /** Adds `delta` to one rollup row, given by its codes (the loader and the listener). */
  addFacts(f: CubeFacts): void {
    const { hour, onTime, delta } = f
    const cell = this.locate(f.cell, f.community, f.street, f.district)
    const category = this.categories.id(f.category)
    const source = this.sources.id(f.source)
    const status = this.statuses.id(f.status)
    const department = this.departments.id(f.department)
    const localHour = hour + this.offsetHours
    const day = Math.floor(localHour / DAY_HOURS)
    const hod = localHour - day * DAY_HOURS
    let b = this.blocks.get(day)
    if (!b) {
      b = new DayBlock(day, this.communities.size)
      this.blocks.set(day, b)
    }
    const comm = this.cellCommunity[cell]!
    const district = this.streetDistrict[this.communityStreet[comm]!]!
    b.summarize(this.summarySizes, { hod, cell, district, category, source, status, department, onTime, cls: this.classTable()[status * 3 + onTime]!, delta })
    for (let k = b.headOf(comm); k >= 0; k = b.next[k]!) {
      if (b.cell[k] === cell && b.hod[k] === hod && b.cat[k] === category && b.src[k] === source && b.st[k] === status && b.dept[k] === department && b.tim[k] === onTime) {
        b.n[k]! += delta
        return
      }
    }
    if (b.len === b.n.length) b.grow()
    const k = b.len++
    b.hod[k] = hod
    b.cell[k] = cell
    b.cat[k] = category
    b.src[k] = source
    b.st[k] = status
    b.dept[k] = department
    b.tim[k] = onTime
    b.n[k] = delta
    b.next[k] = b.head[comm]!
    b.head[comm] = k
    this.rows += 1
  }

  get bytes(): number {
    let sum = 0
    for (const b of this.blocks.values()) sum += b.bytes
    return sum
  }

  /** Local day index (days since 1970-01-01 in the city's zone) of an absolute hour. */
  localDay(hour: number): number {
    return Math.floor((hour + this.offsetHours) / DAY_HOURS)
  }

  scan(spec: ScanSpec, wants: ScanWants): ScanResult {
    return scanCube(this, spec, wants)
  }

  /**
   * District index → child slot (all 0 without children), or null when a district has no slot (cells the geo data did
   * not list): then the rows are read.
   */
  districtSlots(childOf: Int32Array | null): Int32Array | null {
    const slots = new Int32Array(this.districts.size).fill(childOf === null ? 0 : -1)
    if (childOf === null) return slots
    for (let cell = 0; cell < this.cells.size; cell++) {
      const d = this.streetDistrict[this.communityStreet[this.cellCommunity[cell]!]!]!
      const slot = childOf[cell]!
      if (slots[d] !== -1 && slots[d] !== slot) return null
      slots[d] = slot
    }
    return slots.every(x => x >= 0) ? slots : null
  }

  /** Called only when a summary is created. */
  private readonly summarySizes = (): SummarySizes => ({
    cells: this.cells.size, districts: this.districts.size, categories: this.categories.size, sources: this.sources.size, statuses: this.statuses.size, departments: this.departments.size,
  })

  private classTableCache: Uint8Array | null = null

  /** (status × 3 + on-time class) → class: reached filed × 6 + on-time class × 2 + closed. */
  classTable(): Uint8Array {
    if (this.classTableCache && this.classTableCache.length === this.statuses.size * 3) return this.classTableCache
    const filed = this.filedMask()
    const closed = this.statuses.find('closed')
    const t = new Uint8Array(this.statuses.size * 3)
    for (let st = 0; st < this.statuses.size; st++) {
      for (let tim = 0; tim < 3; tim++) t[st * 3 + tim] = filed[st]! * 6 + tim * 2 + (st === closed ? 1 : 0)
    }
    this.classTableCache = t
    return t
  }

  /** Row indices of an area's communities in one day block, reused by every scan. */
  scratch = new Int32Array(4096)
  private filedMaskCache: Uint8Array | null = null
  private filedMaskSize = 0

  /** Status index → 1 if a case in it was filed (reached the second funnel stage). */
  private filedMask(): Uint8Array {
    if (this.filedMaskCache && this.filedMaskSize === this.statuses.size) return this.filedMaskCache
    const mask = new Uint8Array(this.statuses.size)
    this.statuses.values.forEach((s, k) => { mask[k] = funnelReach(s as CaseStatus) >= 1 ? 1 : 0 })
    this.filedMaskCache = mask
    this.filedMaskSize = this.statuses.size
    return mask
  }

  /** The whole cube as bytes (see cube/snapshot.ts). */
  snapshot(tag: string): Buffer {
    return cubeSnapshot(this, tag)
  }

  /** Restores a snapshot into this new, empty cube (see cube/snapshot.ts); false if it does not fit. */
  restore(bytes: Buffer, tag: string): boolean {
    return restoreCube(this, bytes, tag)
  }

  /** A block's summary from its rows (after a restore). */
  summarize(b: DayBlock): void {
    const classOf = this.classTable()
    for (let k = 0; k < b.len; k++) {
      const n = b.n[k]!
      if (n === 0) continue
      const cell = b.cell[k]!
      const district = this.streetDistrict[this.communityStreet[this.cellCommunity[cell]!]!]!
      b.summarize(this.summarySizes, { hod: b.hod[k]!, cell, district, category: b.cat[k]!, source: b.src[k]!, status: b.st[k]!, department: b.dept[k]!,
        onTime: b.tim[k]!, cls: classOf[b.st[k]! * 3 + b.tim[k]!]!, delta: n })
    }
  }

  dictionaryValues(): string[][] {
    return [this.cells, this.communities, this.streets, this.districts, this.categories, this.sources, this.statuses, this.departments].map(d => [...d.values])
  }

  /** Absolute hour of an instant. */
  static hourOf(ms: number): number {
    return Math.floor(ms / HOUR_MS)
  }
}
