import { percentile } from '../lib/stats.js'
import type { PhaseRun } from './phase.js'
import { EVENT_STATE, type KindFigures, type LoadResult, type SocketsExtra } from './protocol.js'
import type { ServerUsage } from './server-usage.js'

/** Per request kind: percentiles in ms (Infinity: some never arrived) and outcomes. */
export interface KindStat {
  n: number, p50: number, p99: number, max: number
  ok: number
  /** 429/503: explicit overload, counted apart from failures. */
  overload: number
  failed: number
  unanswered: number
  outcomes: Record<string, number>
}

export interface EventFigures {
  sent: number, stored: number, notStored: number, refused: number, failed: number, unanswered: number
  /** Stored events, against the sockets (when the phase had any): at every client still connected, missed by some
   * client that was told of a gap, missed by some client that was never told (silent loss). */
  deliveredToAll: number, missedSignalled: number, missedSilently: number
}

export interface PhaseFigures {
  name: string
  rate: number
  seconds: number
  settleSeconds: number
  warmupSeconds: number
  loadAverage: { before: number[], after: number[] }
  server: ServerUsage
  kinds: Record<string, KindStat>
  events: EventFigures | null
  sockets: Omit<SocketsExtra, 'seenBy' | 'first' | 'last' | 'missedSilently' | 'clientHadGap'> | null
  /** What /health reported: the worst p99 of its 10 s windows, and the p99 / max of the timer's lateness at each probe. */
  eventLoop: { windowP99MaxMs: number, currentP99Ms: number, currentMaxMs: number } | null
  queueWalk: { walks: number, p50Ms: number, maxMs: number, cases: number } | null
  /** Each load process's own event-loop delay while measuring, by load kind (the worst process of a kind). */
  loadLoops: Record<string, { p99Ms: number, maxMs: number }>
  notes: string[]
}

export const SOCKET_ALL = 'socket delivery (POST → delta at every client)'
export const SOCKET_FIRST = 'socket delivery (POST → delta at the first client)'

/** The largest value, NaN for none (Math.max(...xs) overflows the stack on long arrays). */
const maxOf = (xs: number[]) => xs.length === 0 ? Number.NaN : xs.reduce((a, b) => (b > a ? b : a), -Infinity)

function stat(f: KindFigures): KindStat {
  const o = f.outcomes
  const count = (keep: (k: string) => boolean) => Object.entries(o).reduce((a, [k, n]) => a + (keep(k) ? n : 0), 0)
  const overloadCodes = ['429', '503']
  return {
    n: f.latencies.length, p50: percentile(f.latencies, 50), p99: percentile(f.latencies, 99), max: maxOf(f.latencies),
    ok: count(k => k === '200'), overload: count(k => overloadCodes.includes(k)), unanswered: count(k => k === 'timeout'),
    failed: count(k => k !== '200' && k !== 'timeout' && !overloadCodes.includes(k)),
    outcomes: o,
  }
}

function mergeKinds(all: Record<string, KindFigures>[]): Record<string, KindFigures> {
  const out: Record<string, KindFigures> = {}
  for (const kinds of all) {
    for (const [name, f] of Object.entries(kinds)) {
      const m = out[name] ??= { latencies: [], outcomes: {} }
      for (const v of f.latencies) m.latencies.push(v) // a spread of 100,000+ arguments overflows the stack
      for (const [k, v] of Object.entries(f.outcomes)) m.outcomes[k] = (m.outcomes[k] ?? 0) + v
    }
  }
  return out
}

function mergeSockets(parts: SocketsExtra[]): SocketsExtra {
  const [a, ...rest] = parts
  const m: SocketsExtra = { ...a!, seenBy: a!.seenBy.slice(), first: a!.first.slice(), last: a!.last.slice(), missedSilently: a!.missedSilently.slice(), disconnectReasons: { ...a!.disconnectReasons } }
  for (const p of rest) {
    for (let k = 0; k < m.seenBy.length; k++) {
      if (p.seenBy[k]) {
        m.first[k] = m.seenBy[k] ? Math.min(m.first[k]!, p.first[k]!) : p.first[k]!
        m.last[k] = Math.max(m.last[k]!, p.last[k]!)
        m.seenBy[k]! += p.seenBy[k]!
      }
      m.missedSilently[k]! += p.missedSilently[k]!
    }
    m.requested += p.requested
    m.clients += p.clients
    m.disconnected += p.disconnected
    m.gapClients += p.gapClients
    m.gaps += p.gaps
    m.snapshots += p.snapshots
    m.deltas += p.deltas
    m.deltaIncidents += p.deltaIncidents
    m.superseded += p.superseded
    for (const [r, n] of Object.entries(p.disconnectReasons)) m.disconnectReasons[r] = (m.disconnectReasons[r] ?? 0) + n
  }
  return m
}

/** Joins the ingest's send times and outcomes with what the sockets saw: delivery latencies and losses. */
function eventsOf(run: PhaseRun, kinds: Record<string, KindFigures>): { events: EventFigures | null, sockets: SocketsExtra | null } {
  const ingest = run.results.find(r => r.ingest)?.ingest
  const socketParts = run.results.flatMap(r => r.sockets ? [r.sockets] : [])
  const sockets = socketParts.length > 0 ? mergeSockets(socketParts) : null
  if (!ingest) return { events: null, sockets }
  const e: EventFigures = { sent: ingest.sent, stored: 0, notStored: 0, refused: 0, failed: 0, unanswered: 0, deliveredToAll: 0, missedSignalled: 0, missedSilently: 0 }
  const all: number[] = []
  const first: number[] = []
  const connected = sockets ? sockets.clients - sockets.disconnected : 0
  for (let k = 0; k < ingest.state.length; k++) {
    const s = ingest.state[k]
    if (s === EVENT_STATE.unsent) continue
    if (s === EVENT_STATE.notStored) e.notStored++
    else if (s === EVENT_STATE.refused) e.refused++
    else if (s === EVENT_STATE.failed) e.failed++
    else if (s === EVENT_STATE.unanswered || s === EVENT_STATE.pending) e.unanswered++
    if (s !== EVENT_STATE.stored) continue
    e.stored++
    if (!sockets) continue
    const seen = sockets.seenBy[k]!
    if (seen > 0) first.push(sockets.first[k]! - ingest.sentAt[k]!)
    else first.push(Infinity)
    if (seen >= connected) {
      e.deliveredToAll++
      all.push(sockets.last[k]! - ingest.sentAt[k]!)
    } else {
      all.push(Infinity) // never reached every client: it cannot flatter the percentiles
      if (sockets.missedSilently[k]! > 0) e.missedSilently++
      else e.missedSignalled++
    }
  }
  if (sockets) {
    kinds[SOCKET_ALL] = { latencies: all, outcomes: {} } // its counts are the event figures
    kinds[SOCKET_FIRST] = { latencies: first, outcomes: {} }
  }
  return { events: e, sockets }
}

export function summarise(run: PhaseRun): PhaseFigures {
  const kinds = mergeKinds(run.results.map(r => r.kinds))
  const { events, sockets } = eventsOf(run, kinds)
  const health = run.results.find(r => r.health)?.health
  const walk = run.results.find(r => r.queue)?.queue
  const { seenBy: _s, first: _f, last: _l, missedSilently: _m, clientHadGap: _c, ...socketFigures } = sockets ?? ({} as SocketsExtra)
  return {
    name: run.spec.name,
    rate: run.spec.rate,
    seconds: run.seconds,
    settleSeconds: run.settleSeconds,
    warmupSeconds: run.warmupSeconds,
    loadAverage: run.load,
    server: run.usage,
    kinds: Object.fromEntries(Object.entries(kinds).map(([k, f]) => [k, stat(f)])),
    events,
    sockets: sockets ? socketFigures : null,
    eventLoop: health && health.loopP99Ms.length > 0
      ? { windowP99MaxMs: maxOf(health.loopP99Ms), currentP99Ms: percentile(health.loopCurrentMs, 99), currentMaxMs: maxOf(health.loopCurrentMs) }
      : null,
    queueWalk: walk && walk.walkMs.length > 0
      ? { walks: walk.walkMs.length, p50Ms: percentile(walk.walkMs, 50), maxMs: maxOf(walk.walkMs), cases: maxOf(walk.walkCases) }
      : null,
    notes: run.results.flatMap(r => r.notes),
    loadLoops: worstLoops(run.results),
  }
}

/** The worst own-loop figures among the processes of each load kind. */
function worstLoops(results: readonly LoadResult[]): Record<string, { p99Ms: number, maxMs: number }> {
  const out: Record<string, { p99Ms: number, maxMs: number }> = {}
  for (const r of results) {
    const w = out[r.kind] ??= { p99Ms: 0, maxMs: 0 }
    w.p99Ms = Math.max(w.p99Ms, r.ownLoop.p99Ms)
    w.maxMs = Math.max(w.maxMs, r.ownLoop.maxMs)
  }
  return out
}
