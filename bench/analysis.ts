/**
 * The analysts' drill-down over a seeded year (issue #4), all measured in one run:
 * - seeding: `npm run seed` into a cached DATA_DIR (.cache/bench-analysis/<params>/, reused when complete; `--reseed`
 *   seeds again), incidents/s and minutes; target ≤ 5 min for ≈ 5 M (a smaller run is projected to 5 M);
 * - the real server on it: the first year-long request after the start (and after a clean restart), then 200
 *   randomised drill-down summaries as the view asks for them (counts by unit, categories, hour-of-week, the grid
 *   cells' heat at community level, trend, …) over HTTP, 40 per level, p50/p99 per level and overall;
 *   target p99 < 100 ms at every level;
 * - the raw-scan equivalent (GROUP BY over the incidents table, test/support/analysis-raw.ts) of a sample of the same
 *   requests in this process; target ≥ 50× slower than the API for the same requests;
 * - rollup upkeep: the store's insert throughput (batches of 1,000, synchronous=FULL) with and without rollup upkeep,
 *   interleaved rounds on fresh databases; target: upkeep costs ≤ 15 %.
 * `--days N` (or ANALYSIS_BENCH_DAYS) seeds fewer days for a quick run (default 365).
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { AnalysisSummary, DrillLevel } from '../shared/analysis.js'
import { ANALYSIS_SNAPSHOT } from '../server/analysis/index.js'
import { LEVELS, PARTS, rawScan, randomRequests, type Request, REQUESTS, summaryUrl } from './analysis-requests.js'
import { upkeepCost } from './analysis-upkeep.js'
import { startServerProcess } from './lib/server-process.js'
import { fmt, percentile, report } from './lib/stats.js'

const DAY_MS = 86_400_000
const SEED = 20261124
/** A fixed end, so that the cached database is the same whenever it was seeded. */
const END = '2026-11-29T00:00:00+08:00'
/** Raw scans of a year take seconds each: this many of each level's requests are scanned raw. */
const RAW_PER_LEVEL = Number(process.env.ANALYSIS_BENCH_RAW_PER_LEVEL ?? 3)

function option(name: string): string | undefined {
  const k = process.argv.indexOf(`--${name}`)
  return k >= 0 ? process.argv[k + 1] : undefined
}

const load = () => loadavg().map(n => n.toFixed(2)).join(', ')

interface SeedFigures {
  days: number
  stored: number
  steps: number
  /** The seed's own timing (rows + builds), its parts, the cube snapshot it writes, and the whole command's wall time. */
  seconds: number
  writeSeconds: number
  buildSeconds: number
  cubeSeconds: number
  wallSeconds: number
  at: string
  load: string
  mb: number
}

/** Seeds the cached DATA_DIR through the seed CLI (a child process, as an operator runs it), or reuses it. */
async function seeded(days: number, reseed: boolean): Promise<{ dir: string, figures: SeedFigures, cached: boolean }> {
  const dir = path.resolve('.cache', 'bench-analysis', `chengdu-seed${SEED}-days${days}-end${END.slice(0, 10)}`)
  const marker = path.join(dir, 'seeded.json')
  if (!reseed && existsSync(marker)) return { dir, figures: JSON.parse(readFileSync(marker, 'utf8')) as SeedFigures, cached: true }
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const loadBefore = load()
  const t0 = performance.now()
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/seed/index.ts', '--days', String(days), '--seed', String(SEED), '--end', END], {
    env: { ...process.env, DATA_DIR: dir }, stdio: ['ignore', 'inherit', 'pipe'],
  })
  let last = ''
  child.stderr!.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk)
    last = (last + chunk.toString()).slice(-4000)
  })
  const code = await new Promise<number | null>(resolve => child.once('exit', resolve))
  const wallSeconds = (performance.now() - t0) / 1000
  const cube = /drill-down cube of [\d,]+ rows written for the server's first start in ([\d.]+) s/.exec(last)
  const m = /seed: ([\d,]+) incidents and ([\d,]+) workflow steps in ([\d.]+) s .*rows written in ([\d.]+) s, indexes and rollups built in ([\d.]+) s.*database ([\d,]+) MB/.exec(last)
  if (code !== 0 || !m) throw new Error(`seed failed (exit ${code}):\n${last}`)
  const num = (s: string) => Number(s.replaceAll(',', ''))
  const figures: SeedFigures = {
    days, stored: num(m[1]!), steps: num(m[2]!), seconds: Number(m[3]), writeSeconds: Number(m[4]), buildSeconds: Number(m[5]), mb: num(m[6]!),
    cubeSeconds: Number(cube?.[1] ?? 0), wallSeconds,
    at: new Date().toISOString(), load: `${loadBefore} → ${load()}`,
  }
  writeFileSync(marker, JSON.stringify(figures, null, 2))
  return { dir, figures, cached: false }
}


const sorted = (o: Record<string, number>) => Object.entries(o).sort((a, b) => a[0].localeCompare(b[0]))

async function timedGet(url: string): Promise<{ ms: number, status: number, body: unknown }> {
  const t0 = performance.now()
  const res = await fetch(url)
  const body = await res.json() as unknown
  return { ms: performance.now() - t0, status: res.status, body }
}

/** Starts the server on `dir` and times the first request at once; `warm` resolves when the cube is in memory. */
async function startWithFirstRequest(dir: string, r: Request, label: string) {
  const server = await startServerProcess({ DATA_DIR: dir })
  const t0 = performance.now()
  const warm = new Promise<void>((resolve) => {
    let done = false
    const look = () => {
      const buf = server.stderrTail()
      const m = /\{[^\n]*"msg":"drill-down rollups in memory"[^\n]*\}/.exec(buf)
      if (m && !done) {
        done = true
        const at = (performance.now() - t0) / 1000
        const fields = JSON.parse(m[0]) as Record<string, unknown>
        console.log(`      cube in memory ${fmt(at, 1)} s after listening, ${label}: from ${String(fields.from)}, ${fmt(Number(fields.rows))} rows in ${fmt(Number(fields.ms))} ms, ${String(fields.mb)} MB`)
        resolve()
      }
    }
    // the line may have come before "listening" (a snapshot is read at once)
    look()
    server.child.stderr!.on('data', () => setImmediate(look))
  })
  // while the history loads the server answers 503 "still loading" with Retry-After: asked again the way the
  // client does, and timed until the answer
  const t1 = performance.now()
  let first = await timedGet(summaryUrl(server.url, r))
  let warming = 0
  while (first.status === 503 && warming < 600) {
    warming += 1
    await new Promise(resolve => setTimeout(resolve, 250))
    first = await timedGet(summaryUrl(server.url, r))
  }
  first = { ...first, ms: performance.now() - t1 }
  const note = first.status === 200 ? '' : ` (${JSON.stringify(first.body)})`
  const told = warming > 0 ? `; answered 503 "still loading" with its progress ${warming} times before` : ''
  console.log(`first whole-range city request ${label}: ${fmt(first.ms)} ms, status ${first.status}${note}${told}`)
  return { server, warm, first }
}

export async function benchAnalysis(): Promise<void> {
  const days = Number(option('days') ?? process.env.ANALYSIS_BENCH_DAYS ?? 365)
  if (!Number.isInteger(days) || days < 1) throw new Error(`--days: expected a whole number of days, got ${option('days')}`)
  console.log(`\n## Drill-down over ${days} seeded days (load average at start: ${load()})`)

  // 1. seeding
  const { dir, figures: s, cached } = await seeded(days, process.argv.includes('--reseed'))
  // judged on the whole command (process start, rows, index and rollup builds, the cube snapshot)
  const seconds = s.wallSeconds ?? s.seconds
  const rate = s.stored / seconds
  const projected = 5_000_000 / rate
  console.log(`seed${cached ? ` (cached, seeded ${s.at})` : ''}: ${fmt(s.stored)} incidents, ${fmt(s.steps)} workflow steps in ${fmt(seconds, 1)} s wall`
    + ` (rows ${fmt(s.writeSeconds, 1)} s at ${fmt(s.stored / s.writeSeconds)}/s, indexes and rollups ${fmt(s.buildSeconds, 1)} s, cube snapshot ${fmt(s.cubeSeconds ?? 0, 1)} s),`
    + ` ${fmt(rate)} incidents/s, ${fmt(seconds / 60, 2)} min; database ${fmt(s.mb)} MB; load ${s.load}`)
  report('seed', `${fmt(seconds / 60, 2)} min for ${fmt(s.stored)}${s.stored < 4_500_000 ? ` (${fmt(projected / 60, 2)} min projected to 5 M)` : ''}`,
    '5 min', (s.stored < 4_500_000 ? projected : seconds) / 300, '≤ 1.00', (s.stored < 4_500_000 ? projected : seconds) <= 300)

  // 2. the API on the seeded database
  const toMs = Date.parse(END)
  const fromMs = toMs - days * DAY_MS
  const requests = randomRequests(fromMs, toMs)
  // the first whole-range request right after a start: after the seed (which leaves the cube's snapshot), and below
  // without a snapshot
  const yearRequest: Request = { level: 'city', code: '5101', fromMs, toMs, filters: {} }
  const started = await startWithFirstRequest(dir, yearRequest, 'after the seed')
  const server = started.server
  const perLevel = new Map<DrillLevel, number[]>(LEVELS.map(l => [l, []]))
  const all: number[] = []
  const apiMs = new Map<Request, number>()
  const apiAnswers = new Map<Request, AnalysisSummary>()
  try {
    await started.warm
    for (const r of requests.slice(0, 10)) await timedGet(summaryUrl(server.url, r)) // JIT warm-up, not reported
    for (const r of requests) {
      const { ms, status, body } = await timedGet(summaryUrl(server.url, r))
      if (status !== 200) throw new Error(`${status} for ${summaryUrl('', r)}: ${JSON.stringify(body)}`)
      perLevel.get(r.level)!.push(ms)
      all.push(ms)
      apiMs.set(r, ms)
      apiAnswers.set(r, body as AnalysisSummary)
    }
  } finally {
    await server.stop()
  }
  // the worst case: no snapshot (as after a crash), the cube read from the rollup table
  rmSync(path.join(dir, ANALYSIS_SNAPSHOT), { force: true })
  const restarted = await startWithFirstRequest(dir, yearRequest, 'without a snapshot (as after a crash)')
  try {
    await restarted.warm
  } finally {
    await restarted.server.stop()
  }
  console.log(`${REQUESTS} drill-down requests (${PARTS}; spans 1 h … ${days} d; 40 per level), load ${load()}:`)
  for (const level of LEVELS) {
    const t = perLevel.get(level)!
    const p99 = percentile(t, 99)
    report(`API ${level}`, `p50 ${fmt(percentile(t, 50), 1)} ms, p99 ${fmt(p99, 1)} ms`, '100 ms', p99 / 100, '< 1.00', p99 < 100)
  }
  console.log(`      overall: p50 ${fmt(percentile(all, 50), 1)} ms, p99 ${fmt(percentile(all, 99), 1)} ms, max ${fmt(Math.max(...all), 1)} ms`)

  // 3. the raw-scan equivalent of a sample of the same requests, checked against the API's answers
  const db = new Database(path.join(dir, 'citybrain.sqlite'), { readonly: true })
  const sample = LEVELS.flatMap(level => requests.filter(r => r.level === level).slice(0, RAW_PER_LEVEL))
  let rawSum = 0
  let apiSum = 0
  const ratios: number[] = []
  try {
    for (const r of sample) {
      const raw = rawScan(db, r)
      const answer = apiAnswers.get(r)!
      if (answer.total !== raw.total || JSON.stringify(sorted(answer.categories ?? {})) !== JSON.stringify(sorted(raw.categories))) {
        throw new Error(`raw scan and API disagree for ${summaryUrl('', r)}: ${answer.total} vs ${raw.total}`)
      }
      const ms = apiMs.get(r)!
      rawSum += raw.ms
      apiSum += ms
      ratios.push(raw.ms / ms)
    }
  } finally {
    db.close()
  }
  const speedUp = rawSum / apiSum
  report('raw scan / API (same requests)', `API ${fmt(apiSum)} ms for ${sample.length} requests`, `raw GROUP BY ${fmt(rawSum)} ms`, speedUp, '≥ 50',
    speedUp >= 50)
  console.log(`      per request: median ×${fmt(percentile(ratios, 50), 0)}, lowest ×${fmt(Math.min(...ratios), 1)} (small units over short spans scan few rows either way)`)

  // 4. rollup upkeep
  const upkeep = await upkeepCost()
  const cost = 1 - upkeep.on / upkeep.off
  report('rollup upkeep', `store inserts ${fmt(upkeep.on)} events/s with upkeep`, `${fmt(upkeep.off)} events/s without`, cost, '≤ 0.15 of throughput', cost <= 0.15)
  console.log(`      load average at the end: ${load()}`)
}
