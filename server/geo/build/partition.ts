import { cellToLatLng, gridDisk } from 'h3-js'

export interface GrowInput {
  /** A connected set of cells. */
  cells: string[]
  /** Relative sizes of the regions to grow (e.g. community counts or equal shares). */
  targets: number[]
  /** What a cell adds to its region's load (population, cell count, or a mix). */
  load: (cell: string) => number
  rng: () => number
  /** Orders seeds for the caller: seed k goes to region order[k] (e.g. 街道 nearest the centre). */
  seedRank?: (cell: string) => number
}

type XY = [number, number]
const xy = (c: string): XY => {
  const [lat, lon] = cellToLatLng(c)
  return [lon * Math.cos(lat * Math.PI / 180), lat]
}
const d2 = (a: XY, b: XY) => (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2

/**
 * Seeded, balanced, contiguous partition of a connected cell set into `targets.length` regions: seeds by
 * farthest-point sampling from a random start, then the least-loaded region (relative to its target) takes its
 * frontier cell nearest its seed, one cell at a time. Regions only ever grow into adjacent cells, so each is
 * contiguous; every region gets at least its seed. Returns the region index of each cell, aligned with `cells`.
 */
export function growRegions({ cells, targets, load, rng, seedRank }: GrowInput): number[] {
  const k = targets.length
  if (k > cells.length) throw new Error(`cannot grow ${k} regions in ${cells.length} cells`)
  const sorted = [...cells].sort()
  const pos = new Map(sorted.map(c => [c, xy(c)]))
  const seeds = [sorted[Math.floor(rng() * sorted.length)]!]
  const nearest = new Map(sorted.map(c => [c, d2(pos.get(c)!, pos.get(seeds[0]!)!)]))
  while (seeds.length < k) {
    let best = sorted[0]!
    for (const c of sorted) if (nearest.get(c)! > nearest.get(best)!) best = c
    seeds.push(best)
    for (const c of sorted) nearest.set(c, Math.min(nearest.get(c)!, d2(pos.get(c)!, pos.get(best)!)))
  }
  if (seedRank) seeds.sort((a, b) => seedRank(a) - seedRank(b) || a.localeCompare(b))

  const region = new Map<string, number>()
  const loads = new Array<number>(k).fill(0)
  const frontier: Set<string>[] = seeds.map(() => new Set())
  const inSet = new Set(sorted)
  const take = (r: number, c: string) => {
    region.set(c, r)
    loads[r]! += load(c)
    for (const f of frontier) f.delete(c)
    for (const n of gridDisk(c, 1)) if (inSet.has(n) && !region.has(n)) frontier[r]!.add(n)
  }
  seeds.forEach((s, r) => take(r, s))
  const totalTarget = targets.reduce((a, b) => a + b, 0)
  while (region.size < sorted.length) {
    let pick = -1
    let pickRatio = Infinity
    for (let r = 0; r < k; r++) {
      if (frontier[r]!.size === 0) continue
      const ratio = loads[r]! / (targets[r]! / totalTarget)
      if (ratio < pickRatio) {
        pick = r
        pickRatio = ratio
      }
    }
    if (pick < 0) throw new Error('cell set is not connected')
    const seedPos = pos.get(seeds[pick]!)!
    let cell = ''
    let dist = Infinity
    for (const c of frontier[pick]!) {
      const dd = d2(pos.get(c)!, seedPos)
      if (dd < dist || (dd === dist && c < cell)) {
        cell = c
        dist = dd
      }
    }
    take(pick, cell)
  }
  return cells.map(c => region.get(c)!)
}
