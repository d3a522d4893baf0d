import type { Incident } from '../../../shared/incident.js'
import type { KpiArea, KpiGroup, KpiLedgerSource } from '../../store/repository.js'
import { DueQueue } from '../../sources/simulator/due-queue.js'
import { addCase, clockSensitive, F } from './case-counts.js'

const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000
/** Department indexes fit in 12 bits of a bucket key. */
const DEPT_BITS = 4096

/** The counts of one hour (or one local day): a counts vector per street × department, and the span of report times. */
class Bucket {
  readonly slot = new Map<number, number>()
  keys: number[] = []
  values = new Float64Array(F * 4)
  minMs = Infinity
  maxMs = -Infinity

  offsetOf(key: number): number {
    let k = this.slot.get(key)
    if (k === undefined) {
      k = this.keys.length
      this.slot.set(key, k)
      this.keys.push(key)
      if ((k + 1) * F > this.values.length) {
        const grown = new Float64Array(this.values.length * 2)
        grown.set(this.values)
        this.values = grown
      }
    }
    return k * F
  }
}

interface Due { id: string, at: number, incident: Incident }
/** Which key parts a query groups by (ints), and the street filter of its area. */
export interface LedgerQuery { area: KpiArea, fromMs: number, toMs: number, groupBy: readonly KpiGroup[] }
export interface LedgerSum {
  /** Group → [key strings, counts vector]. */
  groups: Map<number, { key: string[], values: Float64Array }>
  /** Parts of the period the buckets cannot split (inside an hour holding reports on both sides): to be read from the store. */
  slices: [number, number][]
}

/**
 * KPI counts kept current instead of scanned (issue #13): per report hour and per local day, per street × department,
 * every count of shared/kpi/counts.ts, changed by each stored change (the case's old contribution out, its new one in).
 * The counts that depend on "now" (超期, 缓办, the late part of 应结案/应处置) are those of the clock's reading `asOf`;
 * the open filed cases whose deadline is still ahead wait in a due queue and are moved to "late" when the clock
 * passes it (`advance`). A clock that goes back cannot be followed (the cases already late are not listed): `advance`
 * says so and the caller reads the store instead.
 */
export class KpiLedger {
  private readonly hours = new Map<number, Bucket>()
  private readonly days = new Map<number, Bucket>()
  private readonly streetIdx = new Map<string, number>()
  private readonly streets: string[] = []
  private readonly streetDistrict: string[] = []
  private readonly districtIdx = new Map<string, number>()
  private readonly deptIdx = new Map<string, number>()
  private readonly departments: string[] = []
  private readonly due = new DueQueue<Due>()
  private readonly offsetMs: number
  /** Local days start on a whole hour: whole days inside a period are read from the day buckets. */
  private readonly dayBuckets: boolean
  asOf = 0

  constructor(utcOffsetMinutes: number) {
    this.offsetMs = utcOffsetMinutes * 60_000
    this.dayBuckets = utcOffsetMinutes % 60 === 0
  }

  get pendingDeadlines(): number {
    return this.due.size
  }

  /** Buckets and pending cases from the store's snapshot taken at `nowMs` (server/store/sqlite/kpi-counts.ts). */
  load(src: KpiLedgerSource, nowMs: number): void {
    this.asOf = nowMs
    const s = src.streets.map((code, k) => this.street(code, src.districts[k]!))
    const d = src.departments.map(code => this.department(code))
    for (let k = 0; k < src.minMs.length; k++) {
      const hour = src.keys[3 * k]!
      const key = s[src.keys[3 * k + 1]!]! * DEPT_BITS + d[src.keys[3 * k + 2]!]!
      for (const b of this.bucketsOf(hour)) {
        const off = b.offsetOf(key)
        for (let f = 0; f < F; f++) b.values[off + f]! += src.values[k * F + f]!
        if (src.minMs[k]! < b.minMs) b.minMs = src.minMs[k]!
        if (src.maxMs[k]! > b.maxMs) b.maxMs = src.maxMs[k]!
      }
    }
    for (const i of src.pending) this.due.set({ id: i.id, at: Date.parse(i.deadline!), incident: i })
  }

  /** One stored change: the case's counts as it was out, as it is in; its deadline (re)queued. */
  apply(before: Incident | null, after: Incident): void {
    if (before) this.add(before, this.late(before), -1)
    this.add(after, this.late(after), 1)
    if (!before) {
      const ms = Date.parse(after.reportedAt)
      const hour = this.hours.get(Math.floor(ms / HOUR_MS))!
      if (ms < hour.minMs) hour.minMs = ms
      if (ms > hour.maxMs) hour.maxMs = ms
    }
    if (clockSensitive(after) && !this.late(after)) this.due.set({ id: after.id, at: Date.parse(after.deadline!), incident: after })
    else this.due.delete(after.id)
  }

  /** Moves the clock to `nowMs`: cases whose deadline passed become late. False if the clock went back. */
  advance(nowMs: number): boolean {
    if (nowMs < this.asOf) return false
    // late = deadline < now, i.e. at most now − 1 ms
    for (const d of this.due.takeDue(nowMs - 1, Number.POSITIVE_INFINITY)) {
      this.add(d.incident, false, -1)
      this.add(d.incident, true, 1)
    }
    this.asOf = nowMs
    return true
  }

  /** Sums the buckets of a period (area city, district or street; grouped by district, street and/or department). */
  sum(q: LedgerQuery): LedgerSum {
    const groups: LedgerSum['groups'] = new Map()
    const slices: [number, number][] = []
    const allowed = this.streets.map((code, s) => (q.area.street === undefined || q.area.street === code) && (q.area.district === undefined || q.area.district === this.streetDistrict[s]))
    const part = (g: KpiGroup, s: number, d: number): [number, string] => {
      if (g === 'department') return [d, this.departments[d]!]
      if (g === 'street') return [s, this.streets[s]!]
      const district = this.streetDistrict[s]!
      let n = this.districtIdx.get(district)
      if (n === undefined) this.districtIdx.set(district, n = this.districtIdx.size)
      return [n, district]
    }
    const addBucket = (b: Bucket) => {
      for (let k = 0; k < b.keys.length; k++) {
        const key = b.keys[k]!
        const s = Math.floor(key / DEPT_BITS)
        if (!allowed[s]) continue
        const d = key % DEPT_BITS
        let gid = 0
        const label: string[] = []
        for (const g of q.groupBy) {
          const [n, name] = part(g, s, d)
          gid = gid * 65_536 + n
          label.push(name)
        }
        let group = groups.get(gid)
        if (!group) groups.set(gid, group = { key: label, values: new Float64Array(F) })
        const v = group.values
        for (let f = 0, off = k * F; f < F; f++) v[f]! += b.values[off + f]!
      }
    }
    /** [from, to) inside one hour: the whole bucket if every report of that hour is in it, else a slice to read. */
    const partial = (from: number, to: number) => {
      const b = this.hours.get(Math.floor(from / HOUR_MS))
      if (!b || b.maxMs < from || b.minMs >= to) return
      if (b.minMs >= from && b.maxMs < to) addBucket(b)
      else slices.push([from, to])
    }
    const firstWhole = Math.ceil(q.fromMs / HOUR_MS)
    const endWhole = Math.floor(q.toMs / HOUR_MS)
    if (firstWhole > endWhole) {
      partial(q.fromMs, q.toMs)
      return { groups, slices }
    }
    if (q.fromMs < firstWhole * HOUR_MS) partial(q.fromMs, firstWhole * HOUR_MS)
    for (let h = firstWhole; h < endWhole;) {
      const day = this.localDay(h)
      const dayStart = (day * DAY_MS - this.offsetMs) / HOUR_MS
      if (this.dayBuckets && dayStart === h && h + 24 <= endWhole) {
        const b = this.days.get(day)
        if (b) addBucket(b)
        h += 24
        continue
      }
      const b = this.hours.get(h)
      if (b) addBucket(b)
      h += 1
    }
    if (q.toMs > endWhole * HOUR_MS) partial(endWhole * HOUR_MS, q.toMs)
    return { groups, slices }
  }

  /** Entries held (hour and day buckets) and their bytes, for /health. */
  size(): { hours: number, entries: number, bytes: number } {
    let entries = 0
    let bytes = 0
    for (const m of [this.hours, this.days]) {
      for (const b of m.values()) {
        entries += b.keys.length
        bytes += b.values.byteLength + b.keys.length * 40
      }
    }
    return { hours: this.hours.size, entries, bytes }
  }

  private late(i: Incident): boolean {
    return i.deadline !== undefined && Date.parse(i.deadline) < this.asOf
  }

  private add(i: Incident, late: boolean, sign: number): void {
    const key = this.street(i.street, i.district) * DEPT_BITS + this.department(i.department ?? '')
    for (const b of this.bucketsOf(Math.floor(Date.parse(i.reportedAt) / HOUR_MS))) {
      const off = b.offsetOf(key) // first: it may grow (replace) b.values
      addCase(i, late, b.values, off, sign)
    }
  }

  private bucketsOf(hour: number): Bucket[] {
    let h = this.hours.get(hour)
    if (!h) this.hours.set(hour, h = new Bucket())
    if (!this.dayBuckets) return [h]
    const day = this.localDay(hour)
    let d = this.days.get(day)
    if (!d) this.days.set(day, d = new Bucket())
    return [h, d]
  }

  private localDay(hour: number): number {
    return Math.floor((hour * HOUR_MS + this.offsetMs) / DAY_MS)
  }

  private street(code: string, district: string): number {
    let s = this.streetIdx.get(code)
    if (s === undefined) {
      this.streetIdx.set(code, s = this.streets.length)
      this.streets.push(code)
      this.streetDistrict.push(district)
    }
    return s
  }

  private department(code: string): number {
    let d = this.deptIdx.get(code)
    if (d === undefined) {
      if (this.departments.length >= DEPT_BITS) throw new Error('KpiLedger: more departments than a bucket key holds')
      this.deptIdx.set(code, d = this.departments.length)
      this.departments.push(code)
    }
    return d
  }
}
