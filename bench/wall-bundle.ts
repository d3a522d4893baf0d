/**
 * The JavaScript /wall loads, minified and gzipped (level 6): the entry chunk, the wall route's chunk, everything
 * they import statically, and the MapLibre worker — walked from Vite's build manifest, so the figure does not depend
 * on what a headless browser happens to report. Target ≤ 650 KB (echarts/core with only the charts used ≈ 208 KB
 * plus maplibre-gl ≈ 282 KB leave room for the app).
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { fmt, report } from './lib/stats.js'

const LIMIT_KB = 650
const DIST = 'dist/client'

interface Chunk { file: string, imports?: string[], assets?: string[], isEntry?: boolean }

export function wallFiles(manifest: Record<string, Chunk>): string[] {
  const files = new Set<string>()
  const visit = (key: string) => {
    const chunk = manifest[key]
    if (!chunk || files.has(chunk.file)) return
    files.add(chunk.file)
    for (const asset of chunk.assets ?? []) if (/\.m?js$/.test(asset)) files.add(asset)
    for (const dep of chunk.imports ?? []) visit(dep)
  }
  visit('index.html')
  visit('views/WallView.vue')
  return [...files]
}

export async function benchWallBundle(): Promise<void> {
  console.log('\n## JS loaded by /wall (minified, gzip -6, from the build manifest)')
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' })
  const manifest = JSON.parse(readFileSync(path.join(DIST, '.vite/manifest.json'), 'utf8')) as Record<string, Chunk>
  let total = 0
  for (const file of wallFiles(manifest)) {
    const kb = gzipSync(readFileSync(path.join(DIST, file)), { level: 6 }).length / 1024
    total += kb
    console.log(`  ${fmt(kb, 1).padStart(8)} KB  ${file}`)
  }
  report('wall JS gzipped', `${fmt(total, 1)} KB`, `limit ${LIMIT_KB} KB`, total / LIMIT_KB, '≤ 1.00', total <= LIMIT_KB)
}
