/**
 * Workflow action → live push: an operator acts on a case over Socket.IO while 200 clients are subscribed to the
 * city and 50 events/s are ingested; a sample ends when all 200 have seen the case at its new version. The limit is
 * a bare Socket.IO server broadcasting a message of the same size and shape to 200 clients, measured in the same
 * run. Target: p99 ≤ 200 ms and ≤ 2× the bare p99.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { Socket } from 'socket.io-client'
import { type ActResult, type ClientToServerEvents, DELTA_INTERVAL_MS, type ServerToClientEvents } from '../shared/events.js'
import type { ScopeDeltaWire, ScopeSnapshotWire } from '../shared/live-wire.js'
import type { CaseStatus } from '../shared/workflow/states.js'
import { type Arrival, ArrivalTracker } from './lib/arrivals.js'
import type { BareMessages, BareRequests } from './lib/bare-events.js'
import { connectClient, connectClients, connected } from './lib/clients.js'
import { type LoadResult, startEventLoad } from './lib/event-load.js'
import { benchEvents } from './lib/events.js'
import { type ServerProcess, startServerProcess } from './lib/server-process.js'
import { fmt, percentile, report } from './lib/stats.js'
import { ingestHeaders } from './lib/bench-auth.js'

const CLIENTS = 200
const SAMPLES = 200
const WARMUP = 10
// Enough cases that each sees at most a few actions (file, dispatch, then comments).
const POOL = 100
// A sample some client has not seen within this counts as this long.
const TIMEOUT_MS = 10_000
// Requests (subscribe, act): on the busy shared machine a burst of 200 subscribes once took over 5 s.
const ACK_TIMEOUT_MS = 30_000
const TARGET_P99_MS = 200
const TARGET_RATIO = 2

type AppClient = Socket<ServerToClientEvents, ClientToServerEvents>
type BareClient = Socket<BareMessages, BareRequests>
type Push = ScopeDeltaWire | ScopeSnapshotWire

interface Case { id: string, version: number, status: CaseStatus }
/** `latency` to the last of the clients (the measure), `first` to the first (the rest is fan-out to 200). */
interface Sample { latency: number, first: number, missing: number }

/** Whether a push carries case `id` at `version` or later (read from the packed columns, as sent). */
const carries = (p: Push, id: string, version: number) => {
  const packed = 'incidents' in p ? p.incidents : p.recent
  const ids = packed.cols.id ?? []
  const versions = packed.cols.version ?? []
  return ids.some((x, k) => x === id && (versions[k] ?? 0) >= version)
}
const bytesOf = (p: Push | null) => p ? Buffer.byteLength(JSON.stringify(p)) : 0
// Random spacing, so samples do not lock onto the server's delta timer at one phase.
const pause = () => sleep(100 + Math.random() * 100)
const summary = (xs: number[]) => ({ p50: percentile(xs, 50), p99: percentile(xs, 99), max: Math.max(...xs) })
// A sample some client never saw counts as the timeout, so it cannot flatter the percentiles.
const timing = (a: Arrival<unknown>, t0: number): Sample =>
  a.missing > 0 ? { latency: TIMEOUT_MS, first: TIMEOUT_MS, missing: a.missing } : { latency: a.last - t0, first: a.first - t0, missing: 0 }

async function createCases(url: string): Promise<Case[]> {
  const events = benchEvents(POOL, 'case')
  const res = await fetch(`${url}/api/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...ingestHeaders(url) }, body: JSON.stringify({ events }), signal: AbortSignal.timeout(30_000) })
  const { results } = await res.json() as { results: { status: string }[] }
  const bad = results.find(r => r.status !== 'stored')
  if (bad) throw new Error(`case not stored: ${JSON.stringify(bad)}`)
  return events.map(e => ({ id: e.id, version: 1, status: 'reported' }))
}

// What an operator does first to a new case (file, then dispatch: each changes state); after that, comments.
function nextAction(status: CaseStatus): 'file' | 'dispatch' | 'comment' {
  if (status === 'reported') return 'file'
  if (status === 'filed') return 'dispatch'
  return 'comment'
}

/** One action, acknowledged after commit; the sample ends when every subscriber has the case at its new version. */
async function actOnce(operator: AppClient, pushes: ArrivalTracker<Push>, c: Case): Promise<Sample & { ack: number, push: Push | null }> {
  const version = c.version + 1 // every action, comments included, bumps the version by one
  const arrived = pushes.expect(p => carries(p, c.id, version), TIMEOUT_MS)
  const t0 = performance.now()
  let res: ActResult
  try {
    res = await operator.timeout(ACK_TIMEOUT_MS).emitWithAck('incident:act', { id: c.id, action: nextAction(c.status), version: c.version, actor: 'bench', note: 'bench' })
  } catch (err) {
    pushes.cancel()
    throw new Error(`incident:act on ${c.id}: ${String(err)}`, { cause: err })
  }
  const ack = performance.now() - t0
  if (!res.ok || res.data.version !== version) {
    pushes.cancel()
    throw new Error(`incident:act on ${c.id} refused or unexpected: ${JSON.stringify(res)}`)
  }
  c.version = version
  c.status = res.data.status
  const a = await arrived
  return { ...timing(a, t0), ack, push: a.message }
}

async function broadcastOnce(trigger: BareClient, messages: ArrivalTracker<{ sample: number }>, sample: number): Promise<Sample> {
  const arrived = messages.expect(m => m.sample === sample, TIMEOUT_MS)
  const t0 = performance.now()
  trigger.emit('bare:broadcast', sample)
  const a = await arrived
  return timing(a, t0)
}

interface Results { stack: number[], stackFirst: number[], acks: number[], sizes: number[], bare: number[], bareFirst: number[], timedOut: number }

/**
 * Pairs of samples: an action, then the bare server broadcasting the very delta that carried it (same size and
 * shape, hence the same parse cost at the clients). Interleaved, so the shared machine's noise over the ~2 minutes
 * hits both alike. The first WARMUP pairs (JIT, connections) are not reported.
 */
async function measure(operator: AppClient, pushes: ArrivalTracker<Push>, trigger: BareClient, messages: ArrivalTracker<{ sample: number }>, cases: Case[]): Promise<Results> {
  const r: Results = { stack: [], stackFirst: [], acks: [], sizes: [], bare: [], bareFirst: [], timedOut: 0 }
  for (let k = -WARMUP; k < SAMPLES; k++) {
    const s = await actOnce(operator, pushes, cases[(k + WARMUP) % cases.length]!)
    if (s.push) await trigger.timeout(ACK_TIMEOUT_MS).emitWithAck('bare:payload', s.push)
    await pause()
    const b = await broadcastOnce(trigger, messages, k)
    await pause()
    if (k < 0) continue
    r.stack.push(s.latency)
    r.stackFirst.push(s.first)
    r.acks.push(s.ack)
    r.sizes.push(bytesOf(s.push))
    r.bare.push(b.latency)
    r.bareFirst.push(b.first)
    if (s.missing > 0) r.timedOut++
    if (b.missing > 0) r.timedOut++
  }
  return r
}

function printResults(r: Results, bg: LoadResult, snapshots: number): void {
  const st = summary(r.stack)
  const br = summary(r.bare)
  const row = (name: string, xs: number[], first?: number[]) => {
    const s = summary(xs)
    console.log(`| ${name} | ${fmt(s.p50, 1)} | ${fmt(s.p99, 1)} | ${fmt(s.max, 1)} | ${first ? fmt(percentile(first, 50), 1) : ''} |`)
  }
  console.log(`| ${SAMPLES} samples each, ms | p50 | p99 | max | first client p50 |\n|---|---|---|---|---|`)
  row(`stack: incident:act → delta at all ${CLIENTS}`, r.stack, r.stackFirst)
  row('stack: incident:act → ack (committed)', r.acks)
  row(`bare: broadcast of the same delta → all ${CLIENTS}`, r.bare, r.bareFirst)
  console.log(`action-carrying deltas (and bare payloads): median ${fmt(percentile(r.sizes, 50))} B (${fmt(Math.min(...r.sizes))}–${fmt(Math.max(...r.sizes))}); `
    + `background: ${fmt(bg.stored)} events stored in ${fmt(bg.seconds, 1)} s (${fmt(bg.stored / bg.seconds, 1)}/s), ${bg.failed} failed; `
    + `server delta interval ${DELTA_INTERVAL_MS} ms; snapshots to lagging clients ${snapshots}; samples timed out ${r.timedOut}`)
  const ratio = st.p99 / br.p99
  report('action → 200 clients', `p99 ${fmt(st.p99, 1)} ms (p50 ${fmt(st.p50, 1)})`, `bare p99 ${fmt(br.p99, 1)} ms`, ratio,
    `≤ ${TARGET_RATIO.toFixed(2)} with p99 ≤ ${TARGET_P99_MS} ms`, ratio <= TARGET_RATIO && st.p99 <= TARGET_P99_MS && r.timedOut === 0)
}

export async function benchActionLatency(): Promise<void> {
  console.log(`\n## Workflow action → ${CLIENTS} city subscribers (server in a child process, 50 events/s background) vs bare Socket.IO broadcast`)
  const servers: ServerProcess[] = []
  const sockets: Socket[] = []
  let load: ReturnType<typeof startEventLoad> | null = null
  try {
    const app = await startServerProcess()
    servers.push(app)
    const bare = await startServerProcess({}, 'bench/lib/bare-broadcast-server.ts')
    servers.push(bare)
    const cases = await createCases(app.url)

    // Every client feeds a tracker; beyond one flag per client for the current sample, nothing is kept.
    const pushes = new ArrivalTracker<Push>(CLIENTS)
    let snapshots = 0
    sockets.push(...await connectClients(CLIENTS, () => connectClient(app.url) as AppClient, async (s, k) => {
      s.on('scope:delta', d => pushes.deliver(k, d))
      s.on('scope:snapshot', (snap) => { // only sent to a client that fell behind
        snapshots++
        pushes.deliver(k, snap)
      })
      const res = await s.timeout(ACK_TIMEOUT_MS).emitWithAck('scope:subscribe', { scope: 'city' })
        .catch((err: unknown) => { throw new Error(`client ${k}: scope:subscribe: ${String(err)}`, { cause: err }) })
      if (!res.ok) throw new Error(`client ${k}: scope:subscribe refused: ${res.error}`)
    }))
    const messages = new ArrivalTracker<{ sample: number }>(CLIENTS)
    sockets.push(...await connectClients(CLIENTS, () => connectClient(bare.url) as BareClient, async (s, k) => {
      s.on('bare:message', m => messages.deliver(k, m))
    }))
    const operator = connectClient(app.url) as AppClient
    const trigger = connectClient(bare.url) as BareClient
    sockets.push(operator, trigger)
    await Promise.all([connected(operator), connected(trigger)])

    load = startEventLoad(app.url, 5, 100) // 50 events/s
    await sleep(1000)
    const results = await measure(operator, pushes, trigger, messages, cases)
    const bg = await load.stop()
    load = null
    printResults(results, bg, snapshots)
  } finally {
    await load?.stop()
    for (const s of sockets) s.disconnect()
    for (const s of servers) await s.stop()
  }
}
