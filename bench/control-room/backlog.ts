import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

export interface Backlog {
  /** The cached, seeded DATA_DIR (never written by a run). */
  cacheDir: string
  incidents: number
  seedSeconds: number
  cached: boolean
}

/**
 * The seeded backlog: `npm run seed -- --days N --seed S --end E` once into `.cache/bench-control-room/<params>/`
 * (ignored by git; `--reseed` seeds again). The end is a fixed instant, so the same parameters give the same
 * database; the runs copy it (`copyBacklog`) and never write the cached one.
 */
export async function seededBacklog(days: number, seed: number, end: string, reseed: boolean): Promise<Backlog> {
  const cacheDir = path.resolve('.cache', 'bench-control-room', `chengdu-seed${seed}-days${days}-end${end.replaceAll(':', '')}`)
  const marker = path.join(cacheDir, 'seeded.json')
  if (!reseed && existsSync(marker)) return { cacheDir, ...JSON.parse(readFileSync(marker, 'utf8')) as { incidents: number, seedSeconds: number }, cached: true }
  rmSync(cacheDir, { recursive: true, force: true })
  mkdirSync(cacheDir, { recursive: true })
  const t0 = performance.now()
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/seed/index.ts', '--days', String(days), '--seed', String(seed), '--end', end], {
    env: { ...process.env, DATA_DIR: cacheDir }, stdio: ['ignore', 'ignore', 'pipe'],
  })
  let tail = ''
  child.stderr!.on('data', (chunk: Buffer) => { tail = (tail + chunk.toString()).slice(-4000) })
  const code = await new Promise<number | null>(resolve => child.once('exit', resolve))
  const m = /seed: ([\d,]+) incidents and/.exec(tail)
  if (code !== 0 || !m) throw new Error(`seed failed (exit ${code}):\n${tail}`)
  const figures = { incidents: Number(m[1]!.replaceAll(',', '')), seedSeconds: (performance.now() - t0) / 1000 }
  writeFileSync(marker, JSON.stringify(figures, null, 2))
  return { cacheDir, ...figures, cached: false }
}

/** A private copy of the backlog for one server run (it writes to its DATA_DIR); the caller removes it. */
export function copyBacklog(b: Backlog): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'citybrain-control-room-'))
  cpSync(b.cacheDir, dir, { recursive: true, filter: src => path.basename(src) !== 'seeded.json' })
  return dir
}
