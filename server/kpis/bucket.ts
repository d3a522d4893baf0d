import { F } from './case-counts.js'

/** Department indexes fit in 12 bits of a bucket key. */
export const DEPT_BITS = 4096

/** The counts of one hour (or one local day): a counts vector per street × department, and the span of report times. */
export class Bucket {
  readonly slot = new Map<number, number>()
  keys: number[] = []
  /** Entry numbers of the street × department keys and of the district × department ones. */
  readonly fine: number[] = []
  readonly coarse: number[] = []
  values = new Float64Array(F * 4)
  minMs = Infinity
  maxMs = -Infinity

  offsetOf(key: number): number {
    let k = this.slot.get(key)
    if (k === undefined) {
      k = this.keys.length
      this.slot.set(key, k)
      this.keys.push(key)
      ;(key >= 0 ? this.fine : this.coarse).push(k)
      if ((k + 1) * F > this.values.length) {
        const grown = new Float64Array(this.values.length * 2)
        grown.set(this.values)
        this.values = grown
      }
    }
    return k * F
  }
}

/** A bucket key for the district × department vectors (negative; street × department keys are ≥ 0). */
export const districtKey = (district: number, department: number) => -1 - (district * DEPT_BITS + department)
