import { BY_CATEGORY, BY_SOURCE, BY_STATUS, CLASSES, DAY_HOURS } from './day-block.js'
import type { RollupCube } from './rollup-cube.js'
import { addSummary, type ScanAcc, scanRows } from './scan-rows.js'

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

/** One scan of the cube (`RollupCube.scan`): reads the blocks of a range once and fills every accumulator asked for. */
export function scanCube(cube: RollupCube, spec: ScanSpec, wants: ScanWants): ScanResult {
  const nCat = cube.categories.size
  const out: ScanResult = { total: 0, filed: 0, handled: 0, handledOnTime: 0, closed: 0 }
  const nChildren = wants.children ?? 0
  const childCount = nChildren > 0 ? new Float64Array(nChildren) : null
  const childFiled = nChildren > 0 ? new Float64Array(nChildren) : null
  const childHandled = nChildren > 0 ? new Float64Array(nChildren) : null
  const childOnTime = nChildren > 0 ? new Float64Array(nChildren) : null
  const childClosed = nChildren > 0 ? new Float64Array(nChildren) : null
  const cats = wants.categories ? new Float64Array(nCat) : null
  const srcs = wants.sources ? new Float64Array(cube.sources.size) : null
  const sts = wants.statuses ? new Float64Array(cube.statuses.size) : null
  const how = wants.hourOfWeek ? new Float64Array(7 * 24) : null
  const deptHandled = wants.departments ? new Float64Array(Math.max(1, cube.departments.size)) : null
  const deptOnTime = wants.departments ? new Float64Array(Math.max(1, cube.departments.size)) : null
  const cellCounts = wants.cells ? new Float64Array(cube.cells.size) : null
  const nBuckets = wants.trend ?? 0
  const trend = nBuckets > 0 ? new Float64Array(nBuckets) : null
  const frames = wants.frames && nBuckets > 0 && nChildren > 0 ? new Float64Array(nBuckets * nChildren) : null
  const childOf = spec.childOfCell
  const needChild = childCount !== null || frames !== null
  if (needChild && !childOf) throw new Error('scan: children need childOfCell')
  const nDept = Math.max(1, cube.departments.size)
  // per child slot (or one slot for the whole area) and class: a table small enough to stay in the L1 cache, where a
  // per-cell one (1.2 MB for Chengdu) missed on most rows
  const slotClass = new Float64Array(Math.max(1, nChildren) * CLASSES)
  const deptTim = wants.departments ? new Float64Array(nDept * 3) : null

  const fromLocal = spec.fromHour + cube.offsetHours
  const toLocal = spec.toHour + cube.offsetHours
  const firstDay = Math.floor(fromLocal / DAY_HOURS)
  const lastDay = Math.floor((toLocal - 1) / DAY_HOURS)
  const a: ScanAcc = {
    slotClass, classOf: cube.classTable(), needChild, childOf: needChild ? childOf : null,
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
  const districtSlot = keys !== null ? cube.districtSlots(needChild ? childOf : null) : null
  for (let day = firstDay; day <= lastDay; day++) {
    const b = cube.blocks.get(day)
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
      let idx = cube.scratch
      for (let c = 0; c < comms.length; c++) {
        const comm = comms[c]!
        if (comm >= b.head.length) continue
        for (let k = b.head[comm]!; k >= 0; k = b.next[k]!) {
          if (count === idx.length) {
            const grown = new Int32Array(idx.length * 2)
            grown.set(idx)
            idx = grown
            cube.scratch = grown
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
