import { cellArea, cellToLatLng } from 'h3-js'

/** Splits an integer total in proportion to weights; remainders go to the largest fractions (ties by index). */
export function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0)
  if (sum <= 0) return weights.map(() => 0)
  const exact = weights.map(w => (total * w) / sum)
  const out = exact.map(Math.floor)
  let left = total - out.reduce((a, b) => a + b, 0)
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1])
  for (const [, i] of order) {
    if (left <= 0) break
    out[i]! += 1
    left -= 1
  }
  return out
}

/** Distance in km between two [lon, lat] points (equirectangular: plenty at city scale). */
export function distanceKm(a: [number, number], b: [number, number]): number {
  const kx = 111.32 * Math.cos(((a[1] + b[1]) / 2) * Math.PI / 180)
  return Math.hypot((a[0] - b[0]) * kx, (a[1] - b[1]) * 110.57)
}

/**
 * Synthetic residents per cell: density falling off exponentially from the centre (plus a rural floor), ±30%
 * seeded noise, times the cell's area; then scaled so each district sums exactly to its total.
 */
export function synthesizePopulation(
  cellDistrict: Map<string, string>, districtTotals: Map<string, number>,
  centre: [number, number], scaleKm: number, rng: () => number,
): Map<string, number> {
  const byDistrict = new Map<string, string[]>()
  for (const [cell, d] of [...cellDistrict].sort((a, b) => a[0].localeCompare(b[0]))) {
    const list = byDistrict.get(d)
    if (list) list.push(cell)
    else byDistrict.set(d, [cell])
  }
  const population = new Map<string, number>()
  for (const [d, cells] of [...byDistrict].sort((a, b) => a[0].localeCompare(b[0]))) {
    const weights = cells.map((c) => {
      const [lat, lon] = cellToLatLng(c)
      const density = Math.exp(-distanceKm([lon, lat], centre) / scaleKm) + 0.03
      return density * cellArea(c, 'km2') * (0.7 + 0.6 * rng())
    })
    apportion(districtTotals.get(d) ?? 0, weights).forEach((p, i) => population.set(cells[i]!, p))
  }
  return population
}
