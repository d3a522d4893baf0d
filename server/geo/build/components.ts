import { gridDisk } from 'h3-js'

/** Connected components of a cell set under H3 adjacency, largest first (ties by smallest cell id: deterministic). */
export function components(cells: Iterable<string>): string[][] {
  const set = new Set(cells)
  const seen = new Set<string>()
  const out: string[][] = []
  for (const start of [...set].sort()) {
    if (seen.has(start)) continue
    const comp: string[] = []
    const stack = [start]
    seen.add(start)
    while (stack.length > 0) {
      const c = stack.pop()!
      comp.push(c)
      for (const n of gridDisk(c, 1)) {
        if (set.has(n) && !seen.has(n)) {
          seen.add(n)
          stack.push(n)
        }
      }
    }
    out.push(comp.sort())
  }
  return out.sort((a, b) => b.length - a.length || a[0]!.localeCompare(b[0]!))
}

export function isContiguous(cells: Iterable<string>): boolean {
  return components(cells).length <= 1
}
