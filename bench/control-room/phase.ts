import { type ChildProcess, fork } from 'node:child_process'
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { Credentials } from './credentials.js'
import type { ChildMessage, LoadConfig, LoadKind, LoadResult } from './protocol.js'
import { sleep } from './recorder.js'
import { type ServerUsage, watchServer } from './server-usage.js'

const CHILD = fileURLToPath(new URL('./load-child.ts', import.meta.url))

/** What runs in one phase: the ingest rate (0: none) and how many of each load. */
export interface PhaseSpec {
  name: string
  rate: number
  sockets: number
  operators: number
  analysts: number
  queue: number
  health: boolean
  seconds: number
}

export interface PhaseRun {
  spec: PhaseSpec
  results: LoadResult[]
  usage: ServerUsage
  /** Seconds actually measured (start sent → stop sent). */
  seconds: number
  load: { before: number[], after: number[] }
  /** How long the server took to answer /health quickly again before this phase (the previous one's backlog). */
  settleSeconds: number
  /** How long the loads ran before measuring began. */
  warmupSeconds: number
}

export interface PhaseEnv {
  url: string
  serverPid: number
  credentials: Credentials
  timeoutMs: number
  drainMs: number
  browserCache: boolean
  socketProcs: number
  /**
   * The loads run this long before anything is counted: every load process's first requests open connections and
   * load code (fetch's undici on first use) at the same instant, a start-up burst a control room in use never sees.
   */
  warmupSeconds: number
  /** Each phase's events get their own id prefix, so a phase never counts another's. */
  tag: string
}

interface Child { kind: LoadKind, proc: ChildProcess, next: (type: ChildMessage['type']) => Promise<ChildMessage> }

// BENCH_LOAD_PROF_DIR=<dir>: a CPU profile of every load process (what the walls' own CPU goes to)
const PROFILE = process.env.BENCH_LOAD_PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_LOAD_PROF_DIR] : []

function forkLoad(config: LoadConfig): Child {
  const proc = fork(CHILD, [], { execArgv: ['--import', 'tsx', ...PROFILE], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const inbox: ChildMessage[] = []
  const waiting: ((m: ChildMessage) => void)[] = []
  proc.on('message', (m: ChildMessage) => {
    const w = waiting.shift()
    if (w) w(m)
    else inbox.push(m)
  })
  const died = new Promise<ChildMessage>(resolve => proc.once('exit', code => resolve({ type: 'error', message: `${config.kind} load exited (${code})` })))
  const next = async (type: ChildMessage['type']): Promise<ChildMessage> => {
    const m = inbox.shift() ?? await Promise.race([new Promise<ChildMessage>(resolve => waiting.push(resolve)), died])
    if (m.type === 'error') throw new Error(m.message)
    if (m.type !== type) throw new Error(`${config.kind} load: expected ${type}, got ${m.type}`)
    return m
  }
  proc.send({ type: 'config', config })
  return { kind: config.kind, proc, next }
}

const SETTLE_MS = 100
const SETTLE_LIMIT_MS = 120_000

/**
 * Waits until /health answers within 100 ms twice in a row (the previous phase's requests are done), at most 2 min:
 * a phase must not measure the one before it. Returns the seconds waited.
 */
async function settle(url: string, headers: Record<string, string>): Promise<number> {
  const t0 = performance.now()
  let quick = 0
  while (quick < 2 && performance.now() - t0 < SETTLE_LIMIT_MS) {
    const t = performance.now()
    const ok = await fetch(`${url}/api/v1/health`, { headers, signal: AbortSignal.timeout(SETTLE_LIMIT_MS) }).then(r => r.arrayBuffer().then(() => r.ok), () => false)
    quick = ok && performance.now() - t < SETTLE_MS ? quick + 1 : 0
    await sleep(200)
  }
  return (performance.now() - t0) / 1000
}

/**
 * One phase: every load forked and prepared (sockets connected and subscribed, queues dealt), then measured for
 * `seconds` while the server's CPU and RSS are sampled. Stopping: the request loads first (each waits for its
 * answers, up to the timeout), then the sockets, which keep listening `drainMs` for deltas still on their way.
 */
export async function runPhase(spec: PhaseSpec, env: PhaseEnv): Promise<PhaseRun> {
  const base = { url: env.url, credentials: env.credentials, timeoutMs: env.timeoutMs, drainMs: env.drainMs, browserCache: env.browserCache, eventPrefix: `cr${env.tag}-`, rate: spec.rate, count: 0 }
  // the warm-up sends events too (stored, not tracked): they come out of the same prepared list
  const eventCapacity = Math.ceil(spec.rate * (env.warmupSeconds + spec.seconds + 3)) + 1000
  const configs: LoadConfig[] = []
  if (spec.rate > 0) configs.push({ ...base, kind: 'ingest', eventCapacity, count: 1 })
  const procs = Math.min(env.socketProcs, spec.sockets)
  for (let p = 0; p < procs; p++) {
    configs.push({ ...base, kind: 'sockets', eventCapacity, count: Math.floor(spec.sockets / procs) + (p < spec.sockets % procs ? 1 : 0) })
  }
  if (spec.operators > 0) configs.push({ ...base, kind: 'operators', eventCapacity: 0, count: spec.operators })
  if (spec.analysts > 0) configs.push({ ...base, kind: 'analysts', eventCapacity: 0, count: spec.analysts })
  if (spec.queue > 0) configs.push({ ...base, kind: 'queue', eventCapacity: 0, count: spec.queue })
  if (spec.health) configs.push({ ...base, kind: 'health', eventCapacity: 0, count: 1 })

  const settled = await settle(env.url, env.credentials.headers)
  const children: Child[] = []
  try {
    for (const c of configs) children.push(forkLoad(c))
    await Promise.all(children.map(c => c.next('ready')))
    for (const c of children) c.proc.send({ type: 'start' })
    await sleep(env.warmupSeconds * 1000)
    const before = loadavg()
    const watch = watchServer(env.serverPid)
    const t0 = performance.now()
    for (const c of children) c.proc.send({ type: 'measure' })
    await sleep(spec.seconds * 1000)
    const seconds = (performance.now() - t0) / 1000
    const usage = watch.stop()
    const requests = children.filter(c => c.kind !== 'sockets')
    for (const c of requests) c.proc.send({ type: 'stop' })
    const results: LoadResult[] = []
    for (const c of requests) results.push(((await c.next('result')) as Extract<ChildMessage, { type: 'result' }>).result)
    const sockets = children.filter(c => c.kind === 'sockets')
    for (const c of sockets) c.proc.send({ type: 'stop' })
    for (const c of sockets) results.push(((await c.next('result')) as Extract<ChildMessage, { type: 'result' }>).result)
    return { spec, results, usage, seconds, load: { before, after: loadavg() }, settleSeconds: settled, warmupSeconds: env.warmupSeconds }
  } finally {
    // a profiling child writes its profile while it exits: give it the time (a big one takes seconds)
    if (PROFILE.length > 0) await Promise.all(children.map(c => c.proc.exitCode === null ? new Promise(r => c.proc.once('exit', r)) : null))
    for (const c of children) if (c.proc.exitCode === null) c.proc.kill()
  }
}
