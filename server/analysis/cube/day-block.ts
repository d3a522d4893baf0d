export const DAY_HOURS = 24
/** Classes of a row for the totals: reached filed (2) × on-time class (3) × closed (2). */
export const CLASSES = 12
const INITIAL_CAPACITY = 1024

export const grownF32 = (a: Float32Array, size: number): Float32Array => {
  const b = new Float32Array(size)
  b.set(a)
  return b
}

/** A rollup row by its codes (the store's facts): absolute report hour, place, category … on-time class; `delta` is added to its count. */
export interface CubeFacts {
  hour: number, cell: string, community: string, street: string, district: string, category: string, source: string, status: string
  department: string, onTime: number, delta: number
}

/** A row as dictionary indexes, with what the summaries also key by: local hour of day, district, totals class. */
export interface CubeRow { hod: number, cell: number, district: number, category: number, source: number, status: number, department: number, onTime: number, cls: number, delta: number }

/** Sizes of the dictionaries when a summary is created (its arrays grow only if they grow). */
export interface SummarySizes { cells: number, districts: number, categories: number, sources: number, statuses: number, departments: number }

/**
 * One local day's counts by single dimensions, city-wide (float32: a day's counts are far below 2^24, so exact), kept with its rows: a whole day of an unfiltered scan of
 * the whole city adds these (a few thousand numbers) instead of visiting its ~13,000 rows.
 */
export class DaySummary {
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

  add({ hod, cell, district, category, source, status, department, onTime, cls, delta }: CubeRow): void {
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
export const BY_CATEGORY = 0
export const BY_SOURCE = 256
export const BY_STATUS = 512

/**
 * One local day of the rollup in columns. Entries of a community are chained (head → next), so a small area is read
 * without touching the rest of the city, and an update finds its entry among the few of its community that day.
 */
export class DayBlock {
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

  summarize(sizes: () => SummarySizes, row: CubeRow): void {
    this.summary ??= new DaySummary(true, sizes())
    this.summary.add(row)
    for (const key of [BY_CATEGORY + row.category, BY_SOURCE + row.source, BY_STATUS + row.status]) {
      let sum = this.byValue[key]
      if (sum === undefined) {
        sum = new DaySummary(false, sizes())
        this.byValue[key] = sum
      }
      sum.add(row)
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
