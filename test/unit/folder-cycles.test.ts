import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// No folder-level import cycles in server/ or client/ (issue #12): the layers only point one way if the folders do.
// The graph is built from the relative imports of every .ts and .vue file (type-only imports included: they couple
// folders all the same). A folder is the first level under server/ or client/ (server/greenway, client/stores); a
// file directly under server/ or client/ (app.ts, config.ts, App.vue) is a node of its own, and so is
// server/geo/build/ (the offline build scripts, not the geography the server runs on).
const root = fileURLToPath(new URL('../..', import.meta.url))
const IMPORT = /(?:^|\n)\s*(?:import|export)\s(?:[^'";]*?\sfrom\s)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return e.name === 'data' || e.name === 'node_modules' ? [] : sourceFiles(path)
    return /\.(ts|vue)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : []
  })
}

/** `server/greenway` for server/greenway/coverage/x.ts; `server/app.ts` for server/app.ts. */
function nodeOf(file: string): string {
  if (file.startsWith('server/geo/build/')) return 'server/geo/build'
  const parts = file.split('/')
  return parts.length > 2 ? parts.slice(0, 2).join('/') : file
}

/** Folder → folders it imports, each with one file that does (for the message). */
export function folderGraph(side: string): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>()
  for (const file of sourceFiles(side)) {
    const from = nodeOf(file)
    const edges = graph.get(from) ?? graph.set(from, new Map()).get(from)!
    for (const m of readFileSync(join(root, file), 'utf8').matchAll(IMPORT)) {
      const target = relative(root, normalize(join(root, dirname(file), m[1] ?? m[2]!))).replace(/\.js$/, '.ts')
      if (!target.startsWith(`${side}/`)) continue
      const to = nodeOf(target)
      if (to !== from && !edges.has(to)) edges.set(to, file)
    }
  }
  return graph
}

/** Strongly connected components with more than one node (Tarjan): each is a set of folders in a cycle. */
export function cycles(graph: Map<string, Map<string, string>>): string[][] {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const out: string[][] = []
  const visit = (v: string) => {
    index.set(v, index.size)
    low.set(v, index.get(v)!)
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        scc.push(w)
      } while (w !== v)
      if (scc.length > 1) out.push(scc.sort())
    }
  }
  for (const v of graph.keys()) if (!index.has(v)) visit(v)
  return out
}

/** Each cycle's edges, with the file that makes each one. */
function describeCycle(graph: Map<string, Map<string, string>>, scc: string[]): string {
  const members = new Set(scc)
  const edges = scc.flatMap(a => [...graph.get(a) ?? []].filter(([b]) => members.has(b)).map(([b, file]) => `  ${a} → ${b}  (${file})`))
  return `cycle among ${scc.join(', ')}:\n${edges.join('\n')}`
}

describe('folder-level import cycles', () => {
  it('finds a cycle when there is one', () => {
    const graph = new Map([['a', new Map([['b', 'a/x.ts']])], ['b', new Map([['c', 'b/y.ts']])], ['c', new Map([['a', 'c/z.ts']])], ['d', new Map([['a', 'd/w.ts']])]])
    expect(cycles(graph)).toEqual([['a', 'b', 'c']])
  })

  it.each(['server', 'client'])('%s/ has none', (side) => {
    const graph = folderGraph(side)
    expect(graph.size).toBeGreaterThan(5)
    expect(cycles(graph).map(scc => describeCycle(graph, scc))).toEqual([])
  })
})
