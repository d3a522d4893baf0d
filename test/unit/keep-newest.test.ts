import { describe, expect, it } from 'vitest'
import { applyDelta, fromSnapshot, type ScopeState } from '../../client/live/scope-state.js'
import { keepNewest } from '../../server/realtime/keep-newest.js'
import type { ScopeAggregates } from '../../shared/aggregates.js'
import type { ScopeDelta } from '../../shared/events.js'
import type { IncidentSummary } from '../../shared/incident.js'
import { mulberry32 } from '../../shared/random.js'

const AGG = {} as ScopeAggregates
const summary = (id: string, seq: number): IncidentSummary => ({
  id, seq, source: 'hotline_12345', category: 'c', severity: 'low', status: 'reported', lon: 104, lat: 30.6, reportedAt: '2026-12-07T00:00:00Z',
  description: id, version: seq, cell: 'x', community: 'x', street: 'x', district: 'x',
})

/**
 * Random deltas as the publisher makes them: each change of an incident (new, or a step of one already seen) gets
 * the next seq; a delta holds the latest state per incident, in change order.
 */
function deltas(seed: number, count: number): ScopeDelta[] {
  const rand = mulberry32(seed)
  let seq = 0
  let made = 0
  const out: ScopeDelta[] = []
  for (let k = 0; k < count; k++) {
    const pending = new Map<string, IncidentSummary>()
    const fromSeq = seq + 1
    const n = Math.floor(rand() * 40)
    for (let c = 0; c < n; c++) {
      const id = rand() < 0.7 || made === 0 ? `i${made++}` : `i${Math.floor(rand() * made)}`
      pending.delete(id)
      pending.set(id, summary(id, ++seq))
    }
    if (n > 0) out.push({ scope: 'city', fromSeq, toSeq: seq, incidents: [...pending.values()], aggregates: AGG })
  }
  return out
}

const held = (s: ScopeState) => s.incidents.map(i => `${i.id}@${i.seq}`)

describe('keepNewest: a subscriber keeping k gets the newest k of each delta and ends in the same state', () => {
  it('matches a holder of k that applied every delta whole, step by step', () => {
    for (const seed of [1, 2, 3, 42]) {
      for (const k of [1, 5, 17]) {
        const start = fromSnapshot({ scope: 'city', seq: 0, aggregates: AGG, recent: [] }, k)
        let whole = start
        let kept = start
        for (const d of deltas(seed, 60)) {
          const a = applyDelta(whole, d, k)
          const b = applyDelta(kept, keepNewest(d, k), k)
          if (a.kind !== 'applied' || b.kind !== 'applied') throw new Error(`seed ${seed}, k ${k}: not applied`)
          whole = a.state
          kept = b.state
          expect(held(kept), `seed ${seed}, k ${k}, to ${d.toSeq}`).toEqual(held(whole))
          expect(kept.seq).toBe(whole.seq)
        }
      }
    }
  })

  it('counts what it leaves out, keeps the range, and returns a short delta itself', () => {
    const d: ScopeDelta = { scope: 'city', fromSeq: 5, toSeq: 9, incidents: [5, 6, 7, 8, 9].map(s => summary(`i${s}`, s)), aggregates: AGG }
    const k = keepNewest(d, 2)
    expect(k).toMatchObject({ fromSeq: 5, toSeq: 9, omitted: 3 })
    expect(k.incidents.map(i => i.id)).toEqual(['i8', 'i9'])
    expect(keepNewest(d, 2)).toBe(k) // one object per delta and keep: packed once for every such subscriber
    expect(keepNewest(d, 5)).toBe(d)
    expect(keepNewest({ ...d, omitted: 4 }, 2).omitted).toBe(7) // already short of dropped ones: both counted
  })
})
