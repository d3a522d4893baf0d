import { funnelReach, HOUR_MS } from '../../shared/analysis.js'
import type { CaseStatus } from '../../shared/workflow/states.js'

const DAY_HOURS = 24
const INITIAL_CAPACITY = 1024

/** Growable string dictionary: value ↔ small integer. */
export class Dictionary {
  readonly values: string[] = []
  private readonly index = new Map<string, number>()

  constructor(initial: readonly string[] = []) {
    for (const v of initial) this.id(v)
  }

  id(value: string): number {
    let k = this.index.get(value)
    if (k === undefined) {
      k = this.values.length
      this.values.push(value)
      this.index.set(value, k)
    }
    return k
  }

  find(value: string): number {
    return this.index.get(value) ?? -1
  }

  get size(): number {
    return this.values.length
  }
}

/**
 * One local day of the rollup in columns. Entries of a community are chained (head → next), so a small area is read
 * without touching the rest of the city, and an update finds its entry among the few of its community that day.
 */
class DayBlock {
  len = 0
  hod: Uint8Array
  cell: Int32Array
  cat: Uint8Array
  src: Uint8Array
  st: Uint8Array
  dept: Uint8Array
  tim: Uint8Array
  n: Int32Array
  next: Int32Array
  head: Int32Array

  constructor(readonly day: number, communities: number, capacity = INITIAL_CAPACITY) {
    this.hod = new Uint8Array(capacity)
    this.cell = new Int32Array(capacity)
    this.cat = new Uint8Array(capacity)
    this.src = new Uint8Array(capacity)
    this.st = new Uint8Array(capacity)
    this.dept = new Uint8Array(capacity)
    this.tim = new Uint8Array(capacity)
    this.n = new Int32Array(capacity)
    this.next = new Int32Array(capacity)
    this.head = new Int32Array(Math.max(16, communities)).fill(-1)
  }

  grow(): void {
    const cap = Math.ceil(this.n.length * 1.5)
    const g = <T extends Uint8Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap)
      b.set(a)
      return b
    }
    this.hod = g(this.hod); this.cell = g(this.cell); this.cat = g(this.cat); this.src = g(this.src); this.st = g(this.st)
    this.dept = g(this.dept); this.tim = g(this.tim); this.n = g(this.n); this.next = g(this.next)
  }

  headOf(comm: number): number {
    if (comm >= this.head.length) {
      const h = new Int32Array(Math.max(comm + 1, this.head.length * 2)).fill(-1)
      h.set(this.head)
      this.head = h
    }
    return this.head[comm]!
  }

  get bytes(): number {
    return this.n.length * 18 + this.head.length * 4
  }
}

/** What one scan computes; each accumulator is filled only when present. */
export interface ScanSpec {
  /** Absolute hours (UTC hours since the epoch), [from, to). */
  fromHour: number
  toHour: number
  /** Communities to read (by index), or null for the whole city. */
  communities: Int32Array | null
  /** One cell (index) or -1. */
  cell: number
  /** Allowed categories (1 = allowed, by index) or null for all. */
  categories: Uint8Array | null
  source: number
  status: number
  /** Cell index → child slot (−1 outside the unit); required for `children` and `frames`. */
  childOfCell: Int32Array | null
  /** Trend bucket width in hours (1 or 24 local hours); buckets start at `fromHour`'s local hour or day. */
  bucketHours: 1 | 24
}

export interface ScanResult {
  total: number
  /** The whole area's reached-filed, handled, handled-on-time and closed counts. */
  filed: number
  handled: number
  handledOnTime: number
  closed: number
  /** Per child slot: count, reached filed, handled, handled on time, closed. */
  children?: Float64Array[]
  categories?: Float64Array
  sources?: Float64Array
  statuses?: Float64Array
  hourOfWeek?: Float64Array
  /** Per department: handled, handled on time. */
  departments?: [Float64Array, Float64Array]
  cells?: Float64Array
  trend?: Float64Array
  /** child × bucket, row-major. */
  frames?: Float64Array
}

export interface ScanWants {
  children?: number
  categories?: boolean
  sources?: boolean
  statuses?: boolean
  hourOfWeek?: boolean
  departments?: boolean
  cells?: boolean
  trend?: number
  frames?: boolean
}

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
  private readonly blocks = new Map<number, DayBlock>()
  private readonly offsetHours: number
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
  applyFacts(hour: number, cell: string, community: string, street: string, district: string, category: string, source: string, status: string,
    department: string, onTime: number, delta: number): void {
    if (!this.isLoaded(this.localDay(hour))) return
    this.addFacts(hour, cell, community, street, district, category, source, status, department, onTime, delta)
  }

  /** Adds `delta` to one rollup row. */
  add(hour: number, cell: number, category: number, source: number, status: number, department: number, onTime: number, delta: number): void {
    const localHour = hour + this.offsetHours
    const day = Math.floor(localHour / DAY_HOURS)
    const hod = localHour - day * DAY_HOURS
    let b = this.blocks.get(day)
    if (!b) {
      b = new DayBlock(day, this.communities.size)
      this.blocks.set(day, b)
    }
    const comm = this.cellCommunity[cell]!
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

  /** Adds a row given by its codes (the loader and the listener). */
  addFacts(hour: number, cell: string, community: string, street: string, district: string, category: string, source: string, status: string,
    department: string, onTime: number, delta: number): void {
    this.add(hour, this.locate(cell, community, street, district), this.categories.id(category), this.sources.id(source), this.statuses.id(status),
      this.departments.id(department), onTime, delta)
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
    const nCat = this.categories.size
    const out: ScanResult = { total: 0, filed: 0, handled: 0, handledOnTime: 0, closed: 0 }
    const nChildren = wants.children ?? 0
    const childCount = nChildren > 0 ? new Float64Array(nChildren) : null
    const childFiled = nChildren > 0 ? new Float64Array(nChildren) : null
    const childHandled = nChildren > 0 ? new Float64Array(nChildren) : null
    const childOnTime = nChildren > 0 ? new Float64Array(nChildren) : null
    const childClosed = nChildren > 0 ? new Float64Array(nChildren) : null
    const cats = wants.categories ? new Float64Array(nCat) : null
    const srcs = wants.sources ? new Float64Array(this.sources.size) : null
    const sts = wants.statuses ? new Float64Array(this.statuses.size) : null
    const how = wants.hourOfWeek ? new Float64Array(7 * 24) : null
    const deptHandled = wants.departments ? new Float64Array(Math.max(1, this.departments.size)) : null
    const deptOnTime = wants.departments ? new Float64Array(Math.max(1, this.departments.size)) : null
    const cellCounts = wants.cells ? new Float64Array(this.cells.size) : null
    const nBuckets = wants.trend ?? 0
    const trend = nBuckets > 0 ? new Float64Array(nBuckets) : null
    const frames = wants.frames && nBuckets > 0 && nChildren > 0 ? new Float64Array(nBuckets * nChildren) : null
    const childOf = spec.childOfCell
    const needChild = childCount !== null || frames !== null
    if (needChild && !childOf) throw new Error('scan: children need childOfCell')
    const closed = this.statuses.find('closed')
    const filedReach = this.filedMask()

    const fromLocal = spec.fromHour + this.offsetHours
    const toLocal = spec.toHour + this.offsetHours
    const firstDay = Math.floor(fromLocal / DAY_HOURS)
    const lastDay = Math.floor((toLocal - 1) / DAY_HOURS)
    const bucketOrigin = spec.bucketHours === 24 ? firstDay * DAY_HOURS : fromLocal
    const cellFilter = spec.cell
    const catMask = spec.categories
    const srcFilter = spec.source
    const stFilter = spec.status
    let total = 0
    let filed = 0
    let handled = 0
    let handledOnTime = 0
    let closedCount = 0

    const visit = (b: DayBlock, k: number, dayBase: number, weekdayBase: number) => {
      const n = b.n[k]!
      if (n === 0) return
      const hod = b.hod[k]!
      const localHour = dayBase + hod
      if (localHour < fromLocal || localHour >= toLocal) return
      const cell = b.cell[k]!
      if (cellFilter >= 0 && cell !== cellFilter) return
      const cat = b.cat[k]!
      if (catMask !== null && catMask[cat] !== 1) return
      const src = b.src[k]!
      if (srcFilter >= 0 && src !== srcFilter) return
      const st = b.st[k]!
      if (stFilter >= 0 && st !== stFilter) return
      let child = -1
      if (needChild) {
        child = childOf![cell]!
        if (child < 0) return
      }
      total += n
      const tim = b.tim[k]!
      if (filedReach[st] === 1) filed += n
      if (tim !== 0) {
        handled += n
        if (tim === 1) handledOnTime += n
      }
      if (st === closed) closedCount += n
      if (childCount !== null) {
        childCount[child]! += n
        if (filedReach[st] === 1) childFiled![child]! += n
        if (tim !== 0) {
          childHandled![child]! += n
          if (tim === 1) childOnTime![child]! += n
        }
        if (st === closed) childClosed![child]! += n
      }
      if (cats !== null) cats[cat]! += n
      if (srcs !== null) srcs[src]! += n
      if (sts !== null) sts[st]! += n
      if (how !== null) how[weekdayBase + hod]! += n
      if (deptHandled !== null && tim !== 0) {
        const d = b.dept[k]!
        deptHandled[d]! += n
        if (tim === 1) deptOnTime![d]! += n
      }
      if (cellCounts !== null) cellCounts[cell]! += n
      if (trend !== null) {
        const bucket = Math.floor((localHour - bucketOrigin) / spec.bucketHours)
        if (bucket >= 0 && bucket < nBuckets) {
          trend[bucket]! += n
          if (frames !== null) frames[child * nBuckets + bucket]! += n
        }
      }
    }

    const comms = spec.communities
    for (let day = firstDay; day <= lastDay; day++) {
      const b = this.blocks.get(day)
      if (!b) continue
      const dayBase = day * DAY_HOURS
      // 1970-01-01 was a Thursday: weekday 0 = Monday
      const weekdayBase = ((day + 3) % 7 + 7) % 7 * 24
      if (comms === null) {
        for (let k = 0; k < b.len; k++) visit(b, k, dayBase, weekdayBase)
      } else {
        for (let c = 0; c < comms.length; c++) {
          const comm = comms[c]!
          if (comm >= b.head.length) continue
          for (let k = b.head[comm]!; k >= 0; k = b.next[k]!) visit(b, k, dayBase, weekdayBase)
        }
      }
    }

    out.total = total
    out.filed = filed
    out.handled = handled
    out.handledOnTime = handledOnTime
    out.closed = closedCount
    if (childCount) out.children = [childCount, childFiled!, childHandled!, childOnTime!, childClosed!]
    if (cats) out.categories = cats
    if (srcs) out.sources = srcs
    if (sts) out.statuses = sts
    if (how) out.hourOfWeek = how
    if (deptHandled) out.departments = [deptHandled, deptOnTime!]
    if (cellCounts) out.cells = cellCounts
    if (trend) out.trend = trend
    if (frames) out.frames = frames
    return out
  }

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

  /** Absolute hour of an instant. */
  static hourOf(ms: number): number {
    return Math.floor(ms / HOUR_MS)
  }
}
