/** Least-squares slope of y over x (units of y per unit of x); 0 for fewer than two points. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length
  if (n < 2) return 0
  const mx = xs.reduce((a, b) => a + b, 0) / n
  const my = ys.reduce((a, b) => a + b, 0) / n
  let num = 0
  let den = 0
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my)
    den += (xs[i]! - mx) ** 2
  }
  return den === 0 ? 0 : num / den
}

/** Largest relative deviation of any value from the median, e.g. 0.03 = within ±3 %. */
export function spreadFromMedian(ys: readonly number[]): number {
  if (ys.length === 0) return 0
  const sorted = [...ys].sort((a, b) => a - b)
  const median = sorted[Math.floor(sorted.length / 2)]!
  return Math.max(...ys.map(y => Math.abs(y - median) / median))
}
