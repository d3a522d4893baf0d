import type { Incident } from '../../shared/incident.js'
import type { KpiArea, KpiGroup, KpiLedgerSource } from '../store/repository.js'
import { DueQueue } from '../time/due-queue.js'
import { Bucket, DEPT_BITS, districtKey } from './bucket.js'
import { addCase, clockSensitive, F } from './case-counts.js'
import { LedgerKeys } from './ledger-keys.js'

const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000
/**
 * Hours kept hour by hour behind the clock (older ones live on in their day's bucket only): a period that starts or
 * ends inside an older day reads that part of the day from the store. Bounds memory (a street × department vector per
 * hour is ~0.3 KB, ~400 of them an hour in a 13,000-reports-a-day city) while "today", "the last 24 h" and periods
 * that start at a local midnight stay in memory.
 */
export const RECENT_HOURS = 48
const LOAD_SLICE = 20_000

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
  /** Street, district and department codes as the small integers of the bucket keys. */
  private readonly keys = new LedgerKeys()
  private readonly due = new DueQueue<Due>()
  private readonly offsetMs: number
  /** Local days start on a whole hour: whole days inside a period are read from the day buckets. */
  private readonly dayBuckets: boolean
  asOf = 0
  /** First hour kept hour by hour. */
  private recentFrom = Number.NEGATIVE_INFINITY

  constructor(utcOffsetMinutes: number) {
    this.offsetMs = utcOffsetMinutes * 60_000
    this.dayBuckets = utcOffsetMinutes % 60 === 0
  }

  get pendingDeadlines(): number {
    return this.due.size
  }

  /**
   * Buckets and pending cases from the store's snapshot taken at `nowMs` (server/store/sqlite/kpi-counts.ts), a slice
   * of rows per turn of the event loop (a month of a city is ~300,000 rows).
   */
  async load(src: KpiLedgerSource, nowMs: number): Promise<void> {
    this.asOf = nowMs
    if (this.dayBuckets) this.recentFrom = Math.floor(nowMs / HOUR_MS) - RECENT_HOURS
    const s = src.streets.map((code, k) => this.keys.street(code, src.districts[k]!))
    const d = src.departments.map(code => this.keys.department(code))
    for (let k = 0; k < src.minMs.length; k++) {
      if (k % LOAD_SLICE === LOAD_SLICE - 1) await new Promise(resolve => setImmediate(resolve))
      const hour = src.keys[3 * k]!
      const street = s[src.keys[3 * k + 1]!]!
      const dept = d[src.keys[3 * k + 2]!]!
      const key = street * DEPT_BITS + dept
      const coarse = districtKey(this.keys.districtNumber(this.keys.streetDistrict[street]!), dept)
      for (const b of this.bucketsOf(hour)) {
        const off = b.offsetOf(key)
        const offCoarse = b.offsetOf(coarse)
        for (let f = 0; f < F; f++) {
          b.values[off + f]! += src.values[k * F + f]!
          b.values[offCoarse + f]! += src.values[k * F + f]!
        }
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
      const hour = this.hours.get(Math.floor(ms / HOUR_MS))
      if (hour && ms < hour.minMs) hour.minMs = ms
      if (hour && ms > hour.maxMs) hour.maxMs = ms
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
    const recentFrom = Math.floor(nowMs / HOUR_MS) - RECENT_HOURS
    if (this.dayBuckets && recentFrom > this.recentFrom) {
      this.recentFrom = recentFrom
      for (const h of this.hours.keys()) if (h < recentFrom) this.hours.delete(h)
    }
    return true
  }

  /** Sums the buckets of a period (area city, district or street; grouped by district, street and/or department). */
  sum(q: LedgerQuery): LedgerSum {
    const groups: LedgerSum['groups'] = new Map()
    const slices: [number, number][] = []
    const allowed = this.keys.streets.map((code, s) => (q.area.street === undefined || q.area.street === code) && (q.area.district === undefined || q.area.district === this.keys.streetDistrict[s]))
    const districtOf = Int32Array.from(this.keys.streetDistrict, d => this.keys.districtNumber(d))
    const districts = [...this.keys.districtIdx.keys()]
    // a group's number from (street, department): no allocation per entry, labels made once per group
    const dims = q.groupBy.map(g => g === 'department' ? 0 : g === 'street' ? 1 : 2)
    const part = (dim: number, s: number, d: number) => dim === 0 ? d : dim === 1 ? s : districtOf[s]!
    const name = (dim: number, n: number) => dim === 0 ? this.keys.departments[n]! : dim === 1 ? this.keys.streets[n]! : districts[n]!
    // without a street in the query, the district × department vectors (~250 a day) are read instead of the
    // street × department ones (~1,900 a day)
    const coarse = q.area.street === undefined && !q.groupBy.includes('street')
    const addBucket = (b: Bucket) => {
      for (const k of coarse ? b.coarse : b.fine) {
        const key = b.keys[k]!
        let s: number
        let d: number
        if (coarse) {
          const x = -key - 1
          s = -1
          d = x % DEPT_BITS
          const dn = (x / DEPT_BITS) | 0
          if (q.area.district !== undefined && districts[dn] !== q.area.district) continue
          let gid = 0
          for (const dim of dims) gid = gid * 65_536 + (dim === 0 ? d : dn)
          let group = groups.get(gid)
          if (!group) groups.set(gid, group = { key: dims.map(dim => dim === 0 ? this.keys.departments[d]! : districts[dn]!), values: new Float64Array(F) })
          const v = group.values
          for (let f = 0, off = k * F; f < F; f++) v[f]! += b.values[off + f]!
          continue
        }
        s = (key / DEPT_BITS) | 0
        if (!allowed[s]) continue
        d = key % DEPT_BITS
        let gid = 0
        for (const dim of dims) gid = gid * 65_536 + part(dim, s, d)
        let group = groups.get(gid)
        if (!group) groups.set(gid, group = { key: dims.map(dim => name(dim, part(dim, s, d))), values: new Float64Array(F) })
        const v = group.values
        for (let f = 0, off = k * F; f < F; f++) v[f]! += b.values[off + f]!
      }
    }
    const slice = (from: number, to: number) => {
      const last = slices.at(-1)
      if (last && last[1] === from) last[1] = to
      else slices.push([from, to])
    }
    /** [from, to) inside one hour: the whole bucket if every report of that hour is in it, else a slice to read. */
    const partial = (from: number, to: number) => {
      const hour = Math.floor(from / HOUR_MS)
      if (hour < this.recentFrom) return slice(from, to)
      const b = this.hours.get(hour)
      if (!b || b.maxMs < from || b.minMs >= to) return
      if (b.minMs >= from && b.maxMs < to) addBucket(b)
      else slice(from, to)
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
      if (h < this.recentFrom) {
        slice(h * HOUR_MS, (h + 1) * HOUR_MS) // an older day's part: its hours are not kept
      } else {
        const b = this.hours.get(h)
        if (b) addBucket(b)
      }
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
    const d = this.keys.department(i.department ?? '')
    const key = this.keys.street(i.street, i.district) * DEPT_BITS + d
    const coarse = districtKey(this.keys.districtNumber(i.district), d)
    for (const b of this.bucketsOf(Math.floor(Date.parse(i.reportedAt) / HOUR_MS))) {
      const off = b.offsetOf(key) // first: it may grow (replace) b.values
      const offCoarse = b.offsetOf(coarse)
      addCase(i, late, b.values, off, sign)
      addCase(i, late, b.values, offCoarse, sign)
    }
  }

  private bucketsOf(hour: number): Bucket[] {
    const out: Bucket[] = []
    // without day buckets (a city whose days start inside an hour) every hour is kept
    if (hour >= this.recentFrom || !this.dayBuckets) {
      let h = this.hours.get(hour)
      if (!h) this.hours.set(hour, h = new Bucket())
      out.push(h)
    }
    if (this.dayBuckets) {
      const day = this.localDay(hour)
      let d = this.days.get(day)
      if (!d) this.days.set(day, d = new Bucket())
      out.push(d)
    }
    return out
  }

  private localDay(hour: number): number {
    return Math.floor((hour * HOUR_MS + this.offsetMs) / DAY_MS)
  }
}
