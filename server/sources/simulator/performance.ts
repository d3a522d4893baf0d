import { mulberry32 } from '../../../shared/random.js'

/**
 * How well each district and department keeps its deadlines, drawn once per seed from the unit's code (so the live
 * simulator and the history seed agree without sharing state). DOMAIN.md §5: 按期 75–99.9 %, varying by district.
 */

/** A number in [0, 1) fixed by the seed and a key. */
export function draw(seed: number, key: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0
  for (let k = 0; k < key.length; k++) h = Math.imul(h ^ key.charCodeAt(k), 16777619)
  return mulberry32(h)()
}

export const ON_TIME_MIN = 0.75
export const ON_TIME_MAX = 0.999

const memo = new Map<string, number>()
function cached(key: string, compute: () => number): number {
  let v = memo.get(key)
  if (v === undefined) {
    v = compute()
    if (memo.size > 10_000) memo.clear()
    memo.set(key, v)
  }
  return v
}

/** A district's share of cases handled on time, before its departments' adjustments: 0.79–1 (capped at 0.999). */
export function districtOnTime(seed: number, district: string): number {
  return cached(`d:${seed}:${district}`, () => 0.79 + 0.21 * draw(seed, `district:${district}`))
}

/** A department's adjustment to the district's share: −0.05 (stretched) … +0.03 (well run). */
export function departmentAdjustment(seed: number, department: string): number {
  return cached(`a:${seed}:${department}`, () => -0.05 + 0.08 * draw(seed, `department:${department}`))
}

/** The chance a case of this district and department is handled before its deadline. */
export function onTimeShare(seed: number, district: string, department: string): number {
  return Math.min(ON_TIME_MAX, Math.max(ON_TIME_MIN, districtOnTime(seed, district) + departmentAdjustment(seed, department)))
}
