import { CLASSES, DAY_HOURS, type DayBlock, type DaySummary } from './day-block.js'

/** A scan's filters and accumulators, passed to `scanRows` once per day block. */
export interface ScanAcc {
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
export function scanRows(b: DayBlock, idx: Int32Array | null, count: number, lo: number, hi: number, weekdayBase: number, bucket0: number, daily: boolean, a: ScanAcc): void {
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
export function addSummary(sum: DaySummary, districtSlot: Int32Array, weekdayBase: number, bucket0: number, daily: boolean, a: ScanAcc): void {
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
