import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyDelta, fromSnapshot, type ScopeState } from '../../client/live/scope-state.js'
import type { ScopeDelta } from '../../shared/events.js'
import { parseScope, type Scope } from '../../shared/scope.js'
import { unpackDelta } from '../../shared/live-wire.js'
import { api, client, inputIn, post, type Running, startApp, subscribe, type TestClient } from './harness.js'

// The live-path guarantee (docs/ARCHITECTURE.md): a subscriber gets every change in sequence, or a delta whose
// fromSeq tells it that it missed some, and then catches up from the store. Driven here at 4× the rate that
// overflows the publisher's pending cap, with the client's own continuity rule (client/live/scope-state.ts).
const CAP = 100
const INTERVAL_MS = 250
const ROUNDS = 8
const PER_ROUND = 4 * CAP // 4 × cap per interval = 4 × the rate that overflows
const QUIET_PER_ROUND = 40 // the quiet district stays under the cap: it must see no gap at all
const QUIET = '510104'
const BUSY = '510105'

/** A console following one scope over a real socket: applies deltas in sequence, resyncs with sinceSeq on a gap. */
function follow(c: TestClient, scope: Scope) {
  let state: ScopeState | null = null
  let resyncing: Promise<void> | null = null
  const held: ScopeDelta[] = []
  const seen = new Map<string, number>() // id → highest seq of it the console applied
  const counts = { deltas: 0, gaps: 0, resyncs: 0, snapshots: 0 }
  const record = (list: { id: string, seq: number }[]) => {
    for (const i of list) seen.set(i.id, Math.max(seen.get(i.id) ?? 0, i.seq))
  }
  const apply = (d: ScopeDelta) => {
    const out = applyDelta(state!, d, Number.MAX_SAFE_INTEGER)
    if (out.kind === 'applied') {
      state = out.state
      record(d.incidents)
    } else if (out.kind === 'gap') {
      counts.gaps++
      held.push(d) // re-applied after the catch-up (it overlaps it then)
      resyncing = resync()
    }
  }
  const resync = async () => {
    counts.resyncs++
    const res = await subscribe(c, { scope, sinceSeq: state!.seq })
    if (res.kind === 'snapshot') {
      counts.snapshots++
      state = fromSnapshot(res.snapshot, Number.MAX_SAFE_INTEGER)
      record(res.snapshot.recent)
    } else {
      apply(res.delta)
    }
    resyncing = null
    for (const d of held.splice(0)) {
      if (resyncing) held.push(d)
      else apply(d)
    }
  }
  c.on('scope:delta', (wire) => {
    const d = unpackDelta(wire)
    counts.deltas++
    if (resyncing) held.push(d)
    else apply(d)
  })
  return {
    async start() {
      const first = await subscribe(c, { scope })
      if (first.kind !== 'snapshot') throw new Error('expected a snapshot')
      state = fromSnapshot(first.snapshot, Number.MAX_SAFE_INTEGER)
    },
    seq: () => (resyncing ? -1 : state?.seq ?? -1),
    seen,
    counts,
  }
}

let s: Running
beforeAll(async () => {
  s = await startApp({}, { publisher: { maxPendingPerScope: CAP, intervalMs: INTERVAL_MS } })
})
afterAll(async () => { await s.stop() })

async function until(ok: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 20))
  }
}

describe('live path at 4× the rate that overflows the pending cap', () => {
  it('loses nothing silently: the city console sees gaps and closes them; a quiet district sees every change in order', async () => {
    const cityClient = client(s.url)
    const quietClient = client(s.url)
    try {
      const city = follow(cityClient, 'city')
      const quiet = follow(quietClient, `district:${QUIET}`)
      await Promise.all([city.start(), quiet.start()])

      for (let round = 0; round < ROUNDS; round++) {
        const started = Date.now()
        const events = [
          ...Array.from({ length: PER_ROUND - QUIET_PER_ROUND }, () => inputIn(s.app, BUSY)),
          ...Array.from({ length: QUIET_PER_ROUND }, () => inputIn(s.app, QUIET)),
        ]
        const res = await post(s.url, { events })
        expect(res.status).toBe(200)
        await new Promise(r => setTimeout(r, Math.max(0, INTERVAL_MS - (Date.now() - started))))
      }
      // (duplicate proposals may still be changing cases after the last POST: follow the store's seq)
      let lastSeq = await s.app.repo.currentSeq()
      await until(() => {
        void s.app.repo.currentSeq().then((n) => { lastSeq = n })
        return city.seq() >= lastSeq && quiet.seq() >= lastSeq
      }, 'both consoles to reach the last stored change')

      // every change stored in a scope is what its console holds, at its latest seq: none lost
      for (const [scope, console] of [['city', city], [`district:${QUIET}`, quiet]] as const) {
        const stored = await s.app.repo.changedSince(0, parseScope(scope)!, 1_000_000)
        expect(stored.length).toBeGreaterThan(0)
        const missing = stored.filter(i => console.seen.get(i.id) !== i.seq)
        expect({ scope, missing: missing.length }).toEqual({ scope, missing: 0 })
        expect(console.seen.size).toBe(stored.length)
      }
      expect(city.seen.size).toBe(ROUNDS * PER_ROUND)
      // the overflow was signalled and every gap closed by a catch-up from the store
      expect(city.counts.gaps).toBeGreaterThan(0)
      expect(city.counts.resyncs).toBe(city.counts.gaps)
      expect(quiet.counts).toMatchObject({ gaps: 0, resyncs: 0, snapshots: 0 })
      expect(quiet.seen.size).toBe(ROUNDS * QUIET_PER_ROUND)

      const health = await (await api(s, `/api/v1/health`)).json() as { queues: { publisher: { gapDeltas: number } } }
      expect(health.queues.publisher.gapDeltas).toBeGreaterThan(0)
    } finally {
      cityClient.close()
      quietClient.close()
    }
  })
})
