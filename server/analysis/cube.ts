import { funnelReach, HOUR_MS } from '../../shared/analysis.js'
import type { CaseStatus } from '../../shared/workflow/states.js'

const DAY_HOURS = 24
/** Layout of `snapshot()`: bump it whenever the blocks' columns or the header change (an old snapshot is then ignored). */
const SNAPSHOT_FORMAT = 1
/** Classes of a row for the totals: reached filed (2) × on-time class (3) × closed (2). */
const CLASSES = 12
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

const grownF32 = (a: Float32Array, size: number): Float32Array => {
  const b = new Float32Array(size)
  b.set(a)
  return b
}

/** Sizes of the dictionaries when a summary is created (its arrays grow only if they grow). */
interface SummarySizes { cells: number, districts: number, categories: number, sources: number, statuses: number, departments: number }

/**
 * One local day's counts by single dimensions, city-wide (float32: a day's counts are far below 2^24, so exact), kept with its rows: a whole day of an unfiltered scan of
 * the whole city adds these (a few thousand numbers) instead of visiting its ~13,000 rows.
 */
class DaySummary {
  cellN: Float32Array
  /** district × CLASSES + class */
  distClass: Float32Array
  cat: Float32Array
  src: Float32Array
  /** status × 3 + on-time class */
  stTim: Float32Array
  /** department × 3 + on-time class */
  deptTim: Float32Array
  hod: Float32Array = new Float32Array(DAY_HOURS)

  constructor(private readonly withCells: boolean, z: SummarySizes) {
    this.cellN = new Float32Array(withCells ? z.cells : 0)
    this.distClass = new Float32Array(z.districts * CLASSES)
    this.cat = new Float32Array(z.categories)
    this.src = new Float32Array(z.sources)
    this.stTim = new Float32Array(z.statuses * 3)
    this.deptTim = new Float32Array(z.departments * 3)
  }

  add(hod: number, cell: number, district: number, category: number, source: number, status: number, department: number, onTime: number, cls: number, delta: number): void {
    if (this.withCells) {
      if (cell >= this.cellN.length) this.cellN = grownF32(this.cellN, cell + 256)
      this.cellN[cell]! += delta
    }
    if ((district + 1) * CLASSES > this.distClass.length) this.distClass = grownF32(this.distClass, (district + 4) * CLASSES)
    this.distClass[district * CLASSES + cls]! += delta
    if (category >= this.cat.length) this.cat = grownF32(this.cat, category + 16)
    this.cat[category]! += delta
    if (source >= this.src.length) this.src = grownF32(this.src, source + 8)
    this.src[source]! += delta
    if (status * 3 + onTime >= this.stTim.length) this.stTim = grownF32(this.stTim, status * 3 + 3 + 16)
    this.stTim[status * 3 + onTime]! += delta
    if (department * 3 + onTime >= this.deptTim.length) this.deptTim = grownF32(this.deptTim, department * 3 + 3 + 32)
    this.deptTim[department * 3 + onTime]! += delta
    this.hod[hod]! += delta
  }

  get bytes(): number {
    return 4 * (this.cellN.length + this.distClass.length + this.cat.length + this.src.length + this.stTim.length + this.deptTim.length + DAY_HOURS)
  }
}

/** Keys of the per-value summaries: category, source or status index. */
const BY_CATEGORY = 0
const BY_SOURCE = 256
const BY_STATUS = 512

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
  /** The whole day's summary (with cells), and one per category, source and status value (without). */
  summary: DaySummary | null = null
  byValue: (DaySummary | undefined)[] = []

  summarize(sizes: () => SummarySizes, hod: number, cell: number, district: number, category: number, source: number, status: number, department: number, onTime: number, cls: number, delta: number): void {
    this.summary ??= new DaySummary(true, sizes())
    this.summary.add(hod, cell, district, category, source, status, department, onTime, cls, delta)
    for (const key of [BY_CATEGORY + category, BY_SOURCE + source, BY_STATUS + status]) {
      let sum = this.byValue[key]
      if (sum === undefined) {
        sum = new DaySummary(false, sizes())
        this.byValue[key] = sum
      }
      sum.add(hod, cell, district, category, source, status, department, onTime, cls, delta)
    }
  }

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
    let sums = this.summary?.bytes ?? 0
    for (const s of this.byValue) sums += s?.bytes ?? 0
    return this.n.length * 18 + this.head.length * 4 + sums
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
  /** The children are the districts (the city's drill-down): whole days of an unfiltered scan read the day summaries. */
  childrenAreDistricts?: boolean
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
    b.summarize(this.summarySizes, hod, cell, this.streetDistrict[this.communityStreet[comm]!]!, category, source, status, department, onTime, this.classTable()[status * 3 + onTime]!, delta)
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
    const nDept = Math.max(1, this.departments.size)
    // per child slot (or one slot for the whole area) and class: a table small enough to stay in the L1 cache, where a
    // per-cell one (1.2 MB for Chengdu) missed on most rows
    const slotClass = new Float64Array(Math.max(1, nChildren) * CLASSES)
    const deptTim = wants.departments ? new Float64Array(nDept * 3) : null

    const fromLocal = spec.fromHour + this.offsetHours
    const toLocal = spec.toHour + this.offsetHours
    const firstDay = Math.floor(fromLocal / DAY_HOURS)
    const lastDay = Math.floor((toLocal - 1) / DAY_HOURS)
    const a: ScanAcc = {
      slotClass, classOf: this.classTable(), needChild, childOf: needChild ? childOf : null,
      cats, srcs, sts, how, deptTim, cellCounts, trend, frames, nBuckets,
      cellFilter: spec.cell, catMask: spec.categories, srcFilter: spec.source, stFilter: spec.status,
      filtered: spec.cell !== -1 || spec.categories !== null || spec.source >= 0 || spec.status >= 0,
    }
    const bucketOrigin = spec.bucketHours === 24 ? firstDay * DAY_HOURS : fromLocal
    const comms = spec.communities
    // whole days of a city-wide scan: the day summaries (with the districts' child slots) when no filter, or one filter
    // on category, source or status and no cells wanted; otherwise the rows
    let keys: number[] | null = null
    const oneFilter = [spec.categories !== null, spec.source >= 0, spec.status >= 0].filter(Boolean).length
    if (comms === null && frames === null && spec.cell === -1 && (!needChild || spec.childrenAreDistricts === true) && (oneFilter === 0 || (oneFilter === 1 && cellCounts === null))) {
      if (spec.categories !== null) keys = [...spec.categories.keys()].filter(k => spec.categories![k] === 1).map(k => BY_CATEGORY + k)
      else if (spec.source >= 0) keys = [BY_SOURCE + spec.source]
      else if (spec.status >= 0) keys = [BY_STATUS + spec.status]
      else keys = []
    }
    const districtSlot = keys !== null ? this.districtSlots(needChild ? childOf : null) : null
    for (let day = firstDay; day <= lastDay; day++) {
      const b = this.blocks.get(day)
      if (!b) continue
      const dayBase = day * DAY_HOURS
      // 1970-01-01 was a Thursday: weekday 0 = Monday
      const weekdayBase = ((day + 3) % 7 + 7) % 7 * 24
      // the hours of this day inside the range, and the trend bucket of its first hour
      const lo = Math.max(0, fromLocal - dayBase)
      const hi = Math.min(DAY_HOURS, toLocal - dayBase)
      const bucket0 = spec.bucketHours === 24 ? Math.floor((dayBase - bucketOrigin) / 24) : dayBase - bucketOrigin
      if (districtSlot !== null && keys !== null && lo <= 0 && hi >= DAY_HOURS) {
        if (keys.length === 0 && b.summary !== null) addSummary(b.summary, districtSlot, weekdayBase, bucket0, spec.bucketHours === 24, a)
        for (const key of keys) {
          const sum = b.byValue[key]
          if (sum !== undefined) addSummary(sum, districtSlot, weekdayBase, bucket0, spec.bucketHours === 24, a)
        }
      } else if (comms === null) {
        scanRows(b, null, b.len, lo, hi, weekdayBase, bucket0, spec.bucketHours === 24, a)
      } else {
        // the rows of the area's communities, gathered along their chains, then one pass
        let count = 0
        let idx = this.scratch
        for (let c = 0; c < comms.length; c++) {
          const comm = comms[c]!
          if (comm >= b.head.length) continue
          for (let k = b.head[comm]!; k >= 0; k = b.next[k]!) {
            if (count === idx.length) {
              const grown = new Int32Array(idx.length * 2)
              grown.set(idx)
              idx = grown
              this.scratch = grown
            }
            idx[count++] = k
          }
        }
        scanRows(b, idx, count, lo, hi, weekdayBase, bucket0, spec.bucketHours === 24, a)
      }
    }

    // totals and children from the per-slot, per-class counts (class: reached filed × on-time class × closed)
    let total = 0
    let filed = 0
    let handled = 0
    let handledOnTime = 0
    let closedCount = 0
    for (let slot = 0; slot < Math.max(1, nChildren); slot++) {
      for (let c = 0; c < CLASSES; c++) {
        const v = slotClass[slot * CLASSES + c]!
        if (v === 0) continue
        const reachedFiled = c >= 6
        const tim = (c % 6) >> 1
        const isClosed = (c & 1) === 1
        total += v
        if (reachedFiled) filed += v
        if (tim !== 0) handled += v
        if (tim === 1) handledOnTime += v
        if (isClosed) closedCount += v
        if (childCount !== null) {
          childCount[slot]! += v
          if (reachedFiled) childFiled![slot]! += v
          if (tim !== 0) childHandled![slot]! += v
          if (tim === 1) childOnTime![slot]! += v
          if (isClosed) childClosed![slot]! += v
        }
      }
    }
    if (deptTim !== null) {
      for (let d = 0; d < nDept; d++) {
        deptHandled![d] = deptTim[d * 3 + 1]! + deptTim[d * 3 + 2]!
        deptOnTime![d] = deptTim[d * 3 + 1]!
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

  /**
   * District index → child slot (all 0 without children), or null when a district has no slot (cells the geo data did
   * not list): then the rows are read.
   */
  private districtSlots(childOf: Int32Array | null): Int32Array | null {
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
  private classTable(): Uint8Array {
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
  private scratch = new Int32Array(4096)
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

  /**
   * The whole cube as bytes (a header of dictionaries and block sizes, then each block's columns): written at a
   * clean shutdown and read at the next start instead of millions of rollup rows (see createDrillDown).
   */
  snapshot(tag: string): Buffer {
    const blocks = [...this.blocks.values()].sort((x, y) => x.day - y.day)
    const header = Buffer.from(JSON.stringify({
      format: SNAPSHOT_FORMAT, tag, offsetHours: this.offsetHours, rows: this.rows,
      dictionaries: this.dictionaryValues(),
      cellCommunity: this.cellCommunity, communityStreet: this.communityStreet, streetDistrict: this.streetDistrict,
      blocks: blocks.map(b => [b.day, b.len, b.head.length]),
    }))
    const parts: Buffer[] = [Buffer.alloc(8), header, Buffer.alloc((8 - header.length % 8) % 8)]
    parts[0]!.writeUInt32LE(header.length, 0)
    for (const b of blocks) {
      for (const col of [b.n, b.cell, b.next, b.hod, b.cat, b.src, b.st, b.dept, b.tim] as const) {
        parts.push(Buffer.from(col.buffer, col.byteOffset, b.len * col.BYTES_PER_ELEMENT))
      }
      parts.push(Buffer.from(b.head.buffer, b.head.byteOffset, b.head.byteLength))
    }
    return Buffer.concat(parts)
  }

  /**
   * Restores a snapshot into this (new, empty) cube if it carries `tag` and its dictionaries extend this cube's (the
   * same geo data); false otherwise, and the cube is left as it was. Every stored day is then in memory.
   */
  restore(bytes: Buffer, tag: string): boolean {
    if (bytes.length < 8 || this.rows !== 0) return false
    const headerLength = bytes.readUInt32LE(0)
    const h = JSON.parse(bytes.subarray(8, 8 + headerLength).toString()) as {
      format: number, tag: string, offsetHours: number, rows: number, dictionaries: string[][],
      cellCommunity: number[], communityStreet: number[], streetDistrict: number[], blocks: [number, number, number][]
    }
    const mine = this.dictionaryValues()
    if (h.format !== SNAPSHOT_FORMAT || h.tag !== tag || h.offsetHours !== this.offsetHours || h.dictionaries.length !== mine.length) return false
    if (!mine.every((values, d) => values.every((v, k) => h.dictionaries[d]![k] === v))) return false
    const dictionaries = [this.cells, this.communities, this.streets, this.districts, this.categories, this.sources, this.statuses, this.departments]
    h.dictionaries.forEach((values, d) => { for (const v of values) dictionaries[d]!.id(v) })
    this.cellCommunity.splice(0, Infinity, ...h.cellCommunity)
    this.communityStreet.splice(0, Infinity, ...h.communityStreet)
    this.streetDistrict.splice(0, Infinity, ...h.streetDistrict)
    let at = 8 + headerLength + (8 - headerLength % 8) % 8
    const take = <T extends Uint8Array | Int32Array>(Type: new (n: number) => T, n: number): T => {
      const out = new Type(Math.max(n, 1))
      const width = out.BYTES_PER_ELEMENT
      new Uint8Array(out.buffer).set(bytes.subarray(at, at + n * width))
      at += n * width
      return out
    }
    for (const [day, len, headLength] of h.blocks) {
      const b = new DayBlock(day, 0, 1)
      b.len = len
      b.n = take(Int32Array, len)
      b.cell = take(Int32Array, len)
      b.next = take(Int32Array, len)
      b.hod = take(Uint8Array, len)
      b.cat = take(Uint8Array, len)
      b.src = take(Uint8Array, len)
      b.st = take(Uint8Array, len)
      b.dept = take(Uint8Array, len)
      b.tim = take(Uint8Array, len)
      b.head = take(Int32Array, headLength)
      this.summarize(b)
      this.blocks.set(day, b)
    }
    this.rows = h.rows
    this.setStoredHours(null)
    return true
  }

  /** A block's summary from its rows (after a restore). */
  private summarize(b: DayBlock): void {
    const classOf = this.classTable()
    for (let k = 0; k < b.len; k++) {
      const n = b.n[k]!
      if (n === 0) continue
      const cell = b.cell[k]!
      b.summarize(this.summarySizes, b.hod[k]!, cell, this.streetDistrict[this.communityStreet[this.cellCommunity[cell]!]!]!, b.cat[k]!, b.src[k]!, b.st[k]!, b.dept[k]!, b.tim[k]!,
        classOf[b.st[k]! * 3 + b.tim[k]!]!, n)
    }
  }

  private dictionaryValues(): string[][] {
    return [this.cells, this.communities, this.streets, this.districts, this.categories, this.sources, this.statuses, this.departments].map(d => [...d.values])
  }

  /** Absolute hour of an instant. */
  static hourOf(ms: number): number {
    return Math.floor(ms / HOUR_MS)
  }
}

/** A scan's filters and accumulators, passed to `scanRows` once per day block. */
interface ScanAcc {
  /** child slot (0 without children) × CLASSES + class → count: totals and children are derived from it. */
  slotClass: Float64Array
  classOf: Uint8Array
  needChild: boolean
  childOf: Int32Array | null
  cats: Float64Array | null
  srcs: Float64Array | null
  sts: Float64Array | null
  how: Float64Array | null
  /** department × 3 + on-time class → count. */
  deptTim: Float64Array | null
  cellCounts: Float64Array | null
  trend: Float64Array | null
  frames: Float64Array | null
  nBuckets: number
  cellFilter: number
  catMask: Uint8Array | null
  srcFilter: number
  stFilter: number
  filtered: boolean
}

/**
 * The hot loop of a scan: rows `idx[0..count)` (or `0..count` when idx is null) of one day block, hours [lo, hi) of
 * the day. A plain function over typed arrays with everything hoisted, and one add per row for all the totals and
 * children (a closure per row and five per-child sums cost ~2× on a year).
 */
function scanRows(b: DayBlock, idx: Int32Array | null, count: number, lo: number, hi: number, weekdayBase: number, bucket0: number, daily: boolean, a: ScanAcc): void {
  const nA = b.n
  const hodA = b.hod
  const cellA = b.cell
  const catA = b.cat
  const srcA = b.src
  const stA = b.st
  const deptA = b.dept
  const timA = b.tim
  const { slotClass, classOf, needChild, childOf, cats, srcs, sts, how, deptTim, cellCounts, trend, frames, nBuckets, cellFilter, catMask, srcFilter, stFilter, filtered } = a
  const wholeDay = lo <= 0 && hi >= DAY_HOURS
  for (let i = 0; i < count; i++) {
    const k = idx === null ? i : idx[i]!
    // filters first, each reading only its own column: a filtered year of the city rejects most rows cheaply
    if (filtered) {
      if (catMask !== null && catMask[catA[k]!] !== 1) continue
      if (srcFilter >= 0 && srcA[k] !== srcFilter) continue
      if (stFilter >= 0 && stA[k] !== stFilter) continue
      if (cellFilter !== -1 && cellA[k] !== cellFilter) continue
    }
    const n = nA[k]!
    if (n === 0) continue
    const hod = hodA[k]!
    if (!wholeDay && (hod < lo || hod >= hi)) continue
    const cell = cellA[k]!
    const st = stA[k]!
    let child = 0
    if (needChild) {
      child = childOf![cell]!
      if (child < 0) continue
    }
    const tim = timA[k]!
    slotClass[child * CLASSES + classOf[st * 3 + tim]!]! += n
    if (cellCounts !== null) cellCounts[cell]! += n
    if (cats !== null) cats[catA[k]!]! += n
    if (srcs !== null) srcs[srcA[k]!]! += n
    if (sts !== null) sts[st]! += n
    if (how !== null) how[weekdayBase + hod]! += n
    if (deptTim !== null) deptTim[deptA[k]! * 3 + tim]! += n
    if (trend !== null) {
      const bucket = daily ? bucket0 : bucket0 + hod
      if (bucket >= 0 && bucket < nBuckets) {
        trend[bucket]! += n
        if (frames !== null) frames[child * nBuckets + bucket]! += n
      }
    }
  }
}

/** A whole day of an unfiltered city-wide scan from its summary (the same sums `scanRows` makes from the rows). */
function addSummary(sum: DaySummary, districtSlot: Int32Array, weekdayBase: number, bucket0: number, daily: boolean, a: ScanAcc): void {
  const { slotClass, cats, srcs, sts, how, deptTim, cellCounts, trend, nBuckets } = a
  const dc = sum.distClass
  for (let d = 0; d * CLASSES < dc.length; d++) {
    const slot = d < districtSlot.length ? districtSlot[d]! : -1
    if (slot < 0) continue
    for (let c = 0; c < CLASSES; c++) slotClass[slot * CLASSES + c]! += dc[d * CLASSES + c]!
  }
  if (cats !== null) for (let k = 0; k < sum.cat.length && k < cats.length; k++) cats[k]! += sum.cat[k]!
  if (srcs !== null) for (let k = 0; k < sum.src.length && k < srcs.length; k++) srcs[k]! += sum.src[k]!
  if (sts !== null) for (let k = 0; k < sum.stTim.length && k / 3 < sts.length; k++) sts[Math.floor(k / 3)]! += sum.stTim[k]!
  if (deptTim !== null) for (let k = 0; k < sum.deptTim.length && k < deptTim.length; k++) deptTim[k]! += sum.deptTim[k]!
  if (cellCounts !== null) {
    const cn = sum.cellN
    const m = Math.min(cn.length, cellCounts.length)
    for (let k = 0; k < m; k++) cellCounts[k]! += cn[k]!
  }
  if (how !== null) for (let h = 0; h < DAY_HOURS; h++) how[weekdayBase + h]! += sum.hod[h]!
  if (trend !== null) {
    for (let h = 0; h < DAY_HOURS; h++) {
      const bucket = daily ? bucket0 : bucket0 + h
      if (bucket >= 0 && bucket < nBuckets) trend[bucket]! += sum.hod[h]!
    }
  }
}
