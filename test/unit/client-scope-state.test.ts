import { describe, expect, it } from 'vitest'
import { applyDelta, applyDeltas, continues, fromSnapshot } from '../../client/live/scope-state.js'
import type { ScopeAggregates } from '../../shared/aggregates.js'
import type { ScopeDelta } from '../../shared/events.js'
import { type IncidentSummary, toSummary } from '../../shared/incident.js'
import { makeIncident } from '../fixtures/incidents.js'

const agg = (total: number): ScopeAggregates => ({
  day: '2026-11-24', open: total, last24h: { hourStart: '2026-11-23T03:00:00.000Z', counts: new Array(24).fill(0) },
  today: { total, byStatus: {}, byCategory: {}, bySource: {}, bySeverity: {}, byUnit: {} },
})
const inc = (seq: number, id = `i${seq}`): IncidentSummary => toSummary(makeIncident({ id, seq }))
const delta = (fromSeq: number, toSeq: number, incidents: IncidentSummary[], total = toSeq): ScopeDelta => ({ scope: 'city', fromSeq, toSeq, incidents, aggregates: agg(total) })

describe('client scope state', () => {
  const start = fromSnapshot({ scope: 'city', seq: 10, aggregates: agg(10), recent: [inc(9), inc(10)] }, 3)

  it('starts from a snapshot newest first', () => {
    expect(start.incidents.map(i => i.seq)).toEqual([10, 9])
  })

  it('applies a contiguous delta: upserts by id, replaces aggregates, caps the list', () => {
    const out = applyDelta(start, delta(11, 12, [inc(11), inc(12)]), 3)
    expect(out.kind).toBe('applied')
    if (out.kind !== 'applied') return
    expect(out.state.seq).toBe(12)
    expect(out.state.aggregates.today.total).toBe(12)
    expect(out.state.incidents.map(i => i.seq)).toEqual([12, 11, 10])
  })

  it('updates an incident in place when it changes again', () => {
    const out = applyDelta(start, delta(11, 11, [{ ...inc(11, 'i9'), status: 'filed' }]), 3)
    if (out.kind !== 'applied') throw new Error(out.kind)
    expect(out.state.incidents.filter(i => i.id === 'i9')).toHaveLength(1)
    expect(out.state.incidents[0]).toMatchObject({ id: 'i9', status: 'filed' })
  })

  it('accepts overlapping deltas without duplicates', () => {
    const out = applyDelta(start, delta(8, 11, [inc(10), inc(11)]), 5)
    if (out.kind !== 'applied') throw new Error(out.kind)
    expect(out.state.incidents.map(i => i.id)).toEqual(['i11', 'i10', 'i9'])
  })

  it('applies a paced second of deltas in order, and stops at a gap keeping what applied', () => {
    const run = applyDeltas(start, [delta(11, 11, [inc(11)]), delta(5, 9, []), delta(12, 13, [inc(12), inc(13)])], 3)
    expect(run).toMatchObject({ changed: true, gap: false })
    expect(run.state.seq).toBe(13)
    expect(run.state.incidents.map(i => i.seq)).toEqual([13, 12, 11])
    const gap = applyDeltas(start, [delta(11, 11, [inc(11)]), delta(14, 15, [inc(15)]), delta(12, 13, [inc(13)])], 3)
    expect(gap).toMatchObject({ changed: true, gap: true })
    expect(gap.state.seq).toBe(11)
    expect(applyDeltas(start, [], 3)).toMatchObject({ state: start, changed: false, gap: false, taken: 0 })
  })

  it('reports a gap when a delta starts past the next sequence number', () => {
    expect(applyDelta(start, delta(12, 13, [inc(13)]), 3)).toEqual({ kind: 'gap', missedFrom: 11 })
  })

  it('ignores deltas of another scope and stale empty ones', () => {
    expect(applyDelta(start, { ...delta(11, 11, []), scope: 'district:510104' }, 3).kind).toBe('ignored')
    expect(applyDelta(start, delta(5, 9, []), 3).kind).toBe('ignored')
  })
})

describe('the live-path continuity rule', () => {
  const start = fromSnapshot({ scope: 'city', seq: 10, aggregates: agg(10), recent: [inc(9), inc(10)] }, 5)

  it('continues a delta starting at or before seq + 1, and not one starting after it', () => {
    expect(continues(10, { fromSeq: 11 })).toBe(true)
    expect(continues(10, { fromSeq: 3 })).toBe(true)
    expect(continues(10, { fromSeq: 12 })).toBe(false)
  })

  it('treats a delta whose fromSeq skips dropped changes as a gap, even when it carries incidents', () => {
    // the server overflowed: changes 11..40 were dropped, the delta claims only (40, 45]
    expect(applyDelta(start, delta(41, 45, [inc(41), inc(45)]), 5)).toEqual({ kind: 'gap', missedFrom: 11 })
  })

  it('keeps a newer state of a case than an overlapping delta buffered during a resync carries', () => {
    const resynced = fromSnapshot({ scope: 'city', seq: 20, aggregates: agg(20), recent: [{ ...inc(20, 'i9'), status: 'dispatched' }] }, 5)
    const late = applyDelta(resynced, delta(11, 12, [{ ...inc(12, 'i9'), status: 'filed' }, inc(11)]), 5)
    if (late.kind !== 'applied') throw new Error(late.kind)
    expect(late.state.seq).toBe(20)
    expect(late.state.incidents.find(i => i.id === 'i9')).toMatchObject({ status: 'dispatched', seq: 20 })
    expect(late.state.incidents.map(i => i.id)).toContain('i11')
  })
})
