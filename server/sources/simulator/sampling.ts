/** Poisson-distributed count with mean `mean` (Knuth for small means, normal approximation above 30). */
export function poisson(mean: number, rng: () => number): number {
  if (mean <= 0) return 0
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(rng)))
  const limit = Math.exp(-mean)
  let k = 0
  let p = rng()
  while (p > limit) {
    k += 1
    p *= rng()
  }
  return k
}

function normal(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng())
}

/** Draws from a discrete distribution in O(log n) by binary search over cumulative weights. */
export function weightedPicker<T>(items: readonly T[], weight: (item: T) => number): (rng: () => number) => T {
  const cumulative: number[] = []
  let sum = 0
  for (const item of items) {
    sum += Math.max(0, weight(item))
    cumulative.push(sum)
  }
  if (sum <= 0) throw new Error('weightedPicker: all weights are zero')
  return (rng) => {
    const x = rng() * sum
    let lo = 0
    let hi = cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cumulative[mid]! > x) hi = mid
      else lo = mid + 1
    }
    return items[lo]!
  }
}
