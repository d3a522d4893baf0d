import type { ChildRow } from '../../shared/analysis.js'
import type { Metric } from './url-state.js'

/** Sequential ramp for the dark map, low → high. */
export const RAMP = ['#15406b', '#1f6fa6', '#31a6cf', '#f2c14e', '#ff6a3d'] as const
export const NO_DATA = '#0c2340'

export function metricValue(row: Pick<ChildRow, 'count' | 'per10k' | 'perKm2'>, metric: Metric): number | null {
  return metric === 'count' ? row.count : metric === 'per10k' ? row.per10k : row.perKm2
}

/** Rounds a break to two significant figures so the legend reads well (1234 → 1200, 0.0456 → 0.046). */
export function nice(x: number): number {
  if (x <= 0) return 0
  const p = 10 ** (Math.floor(Math.log10(x)) - 1)
  return Math.round(x / p) * p
}

/**
 * Upper bounds of up to `classes` classes by quantiles of the values (rounded, strictly increasing); the last is the
 * maximum. Skewed counts (a few busy units, many quiet ones) stay readable, which equal intervals would not.
 */
export function classBreaks(values: readonly (number | null)[], classes: number = RAMP.length): number[] {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x)).sort((a, b) => a - b)
  if (v.length === 0) return []
  const max = v.at(-1)!
  const out: number[] = []
  for (let k = 1; k < classes; k++) {
    const q = nice(v[Math.min(v.length - 1, Math.floor((k / classes) * v.length))]!)
    if (q < max && (out.length === 0 || q > out.at(-1)!)) out.push(q)
  }
  out.push(max)
  return out
}

/** Class index of a value (0 = lowest), −1 without a value. */
export function classOf(value: number | null, breaks: readonly number[]): number {
  if (value === null || breaks.length === 0) return -1
  const k = breaks.findIndex(b => value <= b)
  return k < 0 ? breaks.length - 1 : k
}

/**
 * Colour of class `k` of `breaks`: the ramp is spread over the classes there are. A class that holds only zeros
 * (every value 0: a quiet day, a filter that matches nothing) takes the lowest colour, never the top one.
 */
export function classColour(k: number, breaks: readonly number[]): string {
  const classes = breaks.length
  if (k < 0 || classes === 0) return NO_DATA
  if (breaks[k]! <= 0) return RAMP[0]
  if (classes === 1) return RAMP[RAMP.length - 1]!
  return RAMP[Math.round((k / (classes - 1)) * (RAMP.length - 1))]!
}

/** Legend rows: colour and the range of values it stands for. */
export function legendRows(breaks: readonly number[], format: (n: number) => string): { colour: string, label: string }[] {
  return breaks.map((b, k) => ({ colour: classColour(k, breaks), label: b === 0 ? '0' : `${k === 0 ? '0' : format(breaks[k - 1]!)} – ${format(b)}` }))
}

/**
 * The live map's shading (feature-state `ratio`, 0–1): each unit's share of the largest count. With every count 0
 * all ratios are 0 (the darkest shade), not 0 / 0.
 */
export function shareOfLargest(counts: Readonly<Record<string, number>>, codes: readonly string[]): Record<string, number> {
  const max = Math.max(1, ...codes.map(c => counts[c] ?? 0))
  return Object.fromEntries(codes.map(c => [c, (counts[c] ?? 0) / max]))
}
