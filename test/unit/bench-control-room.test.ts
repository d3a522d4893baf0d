import { describe, expect, it } from 'vitest'
import { KNEE_RATES, searchKnee } from '../../bench/control-room/knee.js'
import type { PhaseRun } from '../../bench/control-room/phase.js'
import { EVENT_STATE, type SocketsExtra } from '../../bench/control-room/protocol.js'
import { type PhaseFigures, SOCKET_ALL, summarise } from '../../bench/control-room/summarise.js'

const usage = { cpuMeanPct: 50, cpuMaxPct: 80, rssMaxMb: 200, rssEndMb: 190, samples: 10, loopRunPct: 40, loopWaitPct: 5 }
const spec = { name: 'mix', rate: 10, sockets: 2, operators: 0, analysts: 0, queue: 0, health: false, seconds: 1 }

/** Two socket processes of one client each; `seen[c]` lists the events client c got, at 1000 + 10 × index. */
function socketPart(n: number, seen: number[], hadGap: boolean): SocketsExtra {
  const seenBy = new Uint16Array(n)
  const first = new Float64Array(n)
  const last = new Float64Array(n)
  const missedSilently = new Uint16Array(n)
  for (const k of seen) {
    seenBy[k] = 1
    first[k] = last[k] = 1000 + 10 * k
  }
  if (!hadGap) for (let k = 0; k < n; k++) if (!seen.includes(k)) missedSilently[k] = 1
  return {
    seenBy, first, last, missedSilently, clientHadGap: Uint8Array.of(hadGap ? 1 : 0), requested: 1, clients: 1, disconnected: 0, disconnectReasons: {},
    gapClients: hadGap ? 1 : 0, gaps: hadGap ? 1 : 0, snapshots: 0, deltas: 3, deltaIncidents: 9, superseded: hadGap ? 0 : 2,
  }
}

function run(): PhaseRun {
  const n = 6
  // events 0–3 stored, 4 refused, 5 never answered; all sent at 900
  const state = Uint8Array.of(EVENT_STATE.stored, EVENT_STATE.stored, EVENT_STATE.stored, EVENT_STATE.stored, EVENT_STATE.refused, EVENT_STATE.unanswered)
  return {
    spec, usage, seconds: 1, settleSeconds: 0, warmupSeconds: 0, load: { before: [1], after: [1] },
    results: [
      { kind: 'ingest', notes: [], ownLoop: { p99Ms: 2, maxMs: 12 }, kinds: { 'ingest ack': { latencies: [5, 15_000], outcomes: { 200: 1, 429: 1, timeout: 1 } } }, ingest: { sentAt: new Float64Array(n).fill(900), state, sent: n } },
      // client A (no gap) misses event 2: silent; client B (told of a gap) misses event 3: signalled
      { kind: 'sockets', notes: [], ownLoop: { p99Ms: 40, maxMs: 90 }, kinds: {}, sockets: socketPart(n, [0, 1, 3], false) },
      { kind: 'sockets', notes: [], ownLoop: { p99Ms: 60, maxMs: 70 }, kinds: {}, sockets: socketPart(n, [0, 1, 2], true) },
    ],
  }
}

describe('control-room bench: joining ingest and sockets', () => {
  it('counts each event once by outcome, tells silent misses from signalled ones, and never flatters the delivery p99', () => {
    const f = summarise(run())
    expect(f.events).toEqual({ sent: 6, stored: 4, notStored: 0, refused: 1, failed: 0, unanswered: 1, deliveredToAll: 2, missedSignalled: 1, missedSilently: 1 })
    const all = f.kinds[SOCKET_ALL]!
    expect(all.n).toBe(4)
    expect(all.p50).toBe(110) // event 1: sent at 900, last client at 1010
    expect(all.p99).toBe(Infinity) // two of four never reached every client
    expect(f.sockets).toMatchObject({ clients: 2, gapClients: 1, deltas: 6, superseded: 2 })
    expect(f.kinds['ingest ack']).toMatchObject({ ok: 1, overload: 1, unanswered: 1, failed: 0 })
    // each kind's worst process, figure by figure
    expect(f.loadLoops).toEqual({ ingest: { p99Ms: 2, maxMs: 12 }, sockets: { p99Ms: 60, maxMs: 90 } })
  })
})

describe('control-room bench: the knee', () => {
  const phase = (p99: number) => ({ kinds: { health: { n: 1, p50: p99, p99, max: p99, ok: 1, overload: 0, failed: 0, unanswered: 0, outcomes: {} } } }) as unknown as PhaseFigures

  it('bisects the coarse rates from what was measured, and names the lowest rate past 1 s', async () => {
    const measured: number[] = []
    const mixes = new Map([[500, phase(300)], [2000, phase(5000)]])
    const knee = await searchKnee(mixes, async (rate) => {
      measured.push(rate)
      return phase(rate >= 1500 ? 1200 : 600)
    })
    expect(measured).toEqual([1000, 1500])
    expect(knee).toMatch(/^1500 events\/s \(health p99 1200 ms\); 1000 events\/s held/)
  })

  it('ignores a kind without samples (its NaN p99 must not hide the others)', async () => {
    const f = phase(5000)
    f.kinds[SOCKET_ALL] = { n: 0, p50: Number.NaN, p99: Number.NaN, max: Number.NaN, ok: 0, overload: 0, failed: 0, unanswered: 0, outcomes: {} }
    expect(await searchKnee(new Map([[250, f]]), async () => phase(10))).toMatch(/^at or below 250 events\/s \(health p99 5000 ms\)/)
  })

  it('says when even the lowest rate is past it, or none is', async () => {
    expect(await searchKnee(new Map([[500, phase(2000)]]), async () => phase(1500))).toMatch(/^at or below 250/)
    expect(await searchKnee(new Map(KNEE_RATES.map(r => [r, phase(10)])), async () => phase(10))).toMatch(/^above 2000/)
  })
})
