export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })

/** One result line: measured value, the limit it is compared with, the ratio and whether the target holds. */
export function report(name: string, measured: string, against: string, ratio: number, target: string, pass: boolean): void {
  console.log(`${pass ? 'PASS' : 'FAIL'}  ${name}: ${measured} vs ${against} → ratio ${ratio.toFixed(2)} (target ${target})`)
}
