/**
 * `npm run bench -- control-room [--quick]`: issue #13's control room on one server — a seeded backlog, ingest at
 * R events/s, wall sockets on the city, operators acting, analysts looping, clients pulling the open queue and a
 * /health probe, each load in its own process. Each load is first measured alone (a short phase each), then the
 * full mix at 500 and 2,000 events/s, then a coarse search for the knee (the lowest rate where some p99 passes
 * 1 s). Prints every figure and the issue's targets with PASS/FAIL, and writes a JSON result file.
 * Options (docs/BENCHMARKS.md): --quick, --days N, --end ISO, --reseed, --rates 500,2000, --seconds N,
 * --alone-seconds N, --warmup-seconds N, --sockets N, --socket-procs N, --no-alone, --no-knee, --no-browser-cache, --out FILE.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import path from 'node:path'
import { type Backlog, copyBacklog, seededBacklog } from './control-room/backlog.js'
import { obtainCredentials, serverAuthEnv } from './control-room/credentials.js'
import { type PhaseEnv, type PhaseSpec, runPhase } from './control-room/phase.js'
import { searchKnee } from './control-room/knee.js'
import { printComparison, printPhase, printVerdicts, verdicts } from './control-room/report.js'
import { type PhaseFigures, summarise } from './control-room/summarise.js'
import { startServerProcess } from './lib/server-process.js'

const SEED = 20261124
/** The issue's scenario: who is on the server besides the ingest. */
const MIX = { operators: 5, analysts: 20, queue: 2, health: true }

const arg = (name: string) => {
  const k = process.argv.indexOf(`--${name}`)
  return k >= 0 ? process.argv[k + 1] : undefined
}
const flag = (name: string) => process.argv.includes(`--${name}`)
const num = (name: string, dflt: number) => {
  const v = arg(name)
  if (v === undefined) return dflt
  const n = Number(v)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name}: expected a positive number, got ${v}`)
  return n
}

/** Midnight in Chengdu today: the backlog's default end, so a day's runs share one cached seed. */
const todayInChengdu = () => `${new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)}T00:00:00+08:00`
const uptime = () => {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim()
  } catch {
    return `load average ${loadavg().map(n => n.toFixed(2)).join(', ')}`
  }
}

/**
 * Waits until /health says the server is warm: the maintained KPI counts rebuilt and every stored analysis day read.
 * A control room's server has been up for hours; a phase that started during the rebuild would measure the start-up
 * (every KPI answer reading the store: 2.5 s for 30 days of the city, shared by every analyst waiting on it).
 */
async function untilWarm(url: string, headers: Record<string, string>, timeoutMs = 180_000): Promise<string> {
  const t0 = performance.now()
  for (;;) {
    const health = await fetch(`${url}/api/v1/health`, { headers }).then(r => r.json() as Promise<{ kpis?: { ready: boolean }, analysis?: { warm: boolean } }>)
    // a server from before /health reported the drill-down's warmth (an A/B against an older commit): its KPIs only
    if (health.kpis?.ready && (health.analysis?.warm ?? true)) return `after ${((performance.now() - t0) / 1000).toFixed(1)} s`
    if (performance.now() - t0 > timeoutMs) throw new Error(`server not warm after ${timeoutMs / 1000} s: ${JSON.stringify({ kpis: health.kpis, analysis: health.analysis })}`)
    await new Promise(r => setTimeout(r, 250))
  }
}

function options() {
  const quick = flag('quick')
  return {
    quick,
    days: num('days', quick ? 3 : 30),
    end: arg('end') ?? todayInChengdu(),
    reseed: flag('reseed'),
    rates: (arg('rates') ?? '500,2000').split(',').map(Number).filter(n => n > 0),
    seconds: num('seconds', quick ? 15 : 60),
    aloneSeconds: num('alone-seconds', quick ? 6 : 20),
    warmupSeconds: num('warmup-seconds', quick ? 2 : 5),
    sockets: num('sockets', quick ? 50 : 200),
    socketProcs: num('socket-procs', quick ? 1 : 2),
    alone: !flag('no-alone'),
    knee: !flag('no-knee'),
    timeoutMs: quick ? 15_000 : 30_000,
    drainMs: quick ? 3_000 : 5_000,
    browserCache: !flag('no-browser-cache'),
    out: arg('out'),
  }
}
type Options = ReturnType<typeof options>

const mix = (o: Options, rate: number): PhaseSpec => ({ name: `full mix at ${rate} events/s`, rate, sockets: o.sockets, ...MIX, seconds: o.seconds })

function alonePhases(o: Options): PhaseSpec[] {
  const none = { rate: 0, sockets: 0, operators: 0, analysts: 0, queue: 0, health: false, seconds: o.aloneSeconds }
  return [
    { ...none, name: 'alone: ingest at 500 events/s', rate: 500 },
    // deliveries need something to deliver: the sockets with the ingest they watch
    { ...none, name: `alone: ${o.sockets} wall sockets + ingest at 500 events/s`, rate: 500, sockets: o.sockets },
    { ...none, name: `alone: ${MIX.operators} operators`, operators: MIX.operators },
    { ...none, name: `alone: ${MIX.analysts} analysts`, analysts: MIX.analysts },
    { ...none, name: `alone: ${MIX.queue} queue clients`, queue: MIX.queue },
    { ...none, name: 'alone: /health every 100 ms', health: true },
  ]
}

export async function benchControlRoom(): Promise<void> {
  const o = options()
  const started = new Date()
  const uptimeBefore = uptime()
  const commit = gitCommit() // the code under test: read before the run, the branch may move during it
  console.log(`\n## Control room (issue #13): ${o.quick ? 'quick' : 'full'} run, ${started.toISOString()}; ${uptimeBefore}`)
  const backlog: Backlog = await seededBacklog(o.days, SEED, o.end, o.reseed)
  console.log(`backlog: ${backlog.incidents.toLocaleString('en-US')} reports over ${o.days} days to ${o.end} (seed ${SEED}), ${backlog.cached ? 'cached' : 'seeded'} in ${backlog.cacheDir}`
    + `${backlog.cached ? '' : ` (${backlog.seedSeconds.toFixed(1)} s)`}`)
  const dataDir = copyBacklog(backlog)
  // a busy shared machine compiling the server through tsx and opening the backlog: up to 3 minutes
  const server = await startServerProcess({ DATA_DIR: dataDir, SIMULATOR: 'off', ...serverAuthEnv() }, 'server/index.ts', 180_000).catch((err: unknown) => {
    rmSync(dataDir, { recursive: true, force: true })
    throw err
  })
  const phases: PhaseFigures[] = []
  const mixes = new Map<number, PhaseFigures>()
  let knee = 'not searched'
  const failures: string[] = []
  let credentialsHow: string | undefined
  try {
    const credentials = await obtainCredentials(server.url)
    credentialsHow = credentials.how
    console.log(`server ${server.url} (pid ${server.child.pid}), simulator off; credentials: ${credentials.how}; analysts ${o.browserCache ? "keep answers for their Cache-Control max-age, as browsers do" : "ask the server on every turn (--no-browser-cache)"}`)
    console.log(`server warm (KPI counts rebuilt, analysis days in memory) ${await untilWarm(server.url, credentials.headers)}`)
    let tag = 0
    const env = (): PhaseEnv => ({ url: server.url, serverPid: server.child.pid!, credentials, timeoutMs: o.timeoutMs, drainMs: o.drainMs, browserCache: o.browserCache, socketProcs: o.socketProcs, warmupSeconds: o.warmupSeconds, tag: `${started.getTime().toString(36)}p${tag++}` })
    const run = async (spec: PhaseSpec) => {
      const f = summarise(await runPhase(spec, env()))
      printPhase(f)
      phases.push(f)
      return f
    }
    // a phase whose load process failed is reported and skipped; the others still run
    const tryRun = (spec: PhaseSpec) => run(spec).catch((err: unknown) => {
      console.log(`\n### ${spec.name}: not measured — ${(err as Error).message.split('\n')[0]}`)
      failures.push(`${spec.name}: ${(err as Error).message}`)
      return undefined
    })
    if (o.alone) for (const spec of alonePhases(o)) await tryRun(spec)
    for (const rate of o.rates) {
      const f = await tryRun(mix(o, rate))
      if (f) mixes.set(rate, f)
    }
    if (o.knee) knee = await searchKnee(mixes, async rate => run(mix(o, rate))).catch((err: unknown) => `not found: ${(err as Error).message.split('\n')[0]}`)
  } finally {
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
  printComparison(phases.filter(f => f.name.startsWith('alone:')), [...mixes.values()].sort((a, b) => a.rate - b.rate))
  const v = verdicts(mixes.get(500), mixes.get(2000))
  printVerdicts(v, knee)
  const uptimeAfter = uptime()
  console.log(`${uptimeAfter}; took ${((Date.now() - started.getTime()) / 60_000).toFixed(1)} min`)
  const file = o.out ?? path.resolve('.cache', 'bench-control-room', 'results', `control-room-${o.quick ? 'quick' : 'full'}-${started.toISOString().replaceAll(':', '')}.json`)
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, JSON.stringify({
    bench: 'control-room', command: process.argv.slice(2).join(' '), options: o, started: started.toISOString(), ended: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version, uptimeBefore, uptimeAfter, commit },
    backlog: { incidents: backlog.incidents, days: o.days, end: o.end, seed: SEED }, credentials: credentialsHow,
    verdicts: v, knee, phases, failures,
  }, (_k, val: unknown) => (typeof val === 'number' && !Number.isFinite(val) ? String(val) : val), 2))
  console.log(`result: ${file}`)
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
  } catch {
    return 'unknown'
  }
}
