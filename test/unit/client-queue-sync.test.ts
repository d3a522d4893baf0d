import { describe, expect, it } from 'vitest'
import { addPage, applyToWindow, fromFirstPage } from '../../client/cases/queue-sync.js'
import type { ScopeAggregates } from '../../shared/aggregates.js'
import type { ScopeDelta } from '../../shared/events.js'
import { type IncidentSummary, toSummary } from '../../shared/incident.js'
import { makeIncident } from '../fixtures/incidents.js'

const agg = { day: '2026-11-24', open: 0, last24h: { hourStart: '2026-11-23T03:00:00.000Z', counts: [] }, today: { total: 0, byStatus: {}, byCategory: {}, bySource: {}, bySeverity: {}, byUnit: {} } } as unknown as ScopeAggregates
const at = (min: number) => new Date(Date.UTC(2026, 10, 24, 8, min)).toISOString()
const inc = (id: string, min: number, patch: Partial<IncidentSummary> = {}): IncidentSummary => ({ ...toSummary(makeIncident({ id, reportedAt: at(min) })), ...patch })
const delta = (fromSeq: number, toSeq: number, incidents: IncidentSummary[]): ScopeDelta => ({ scope: 'city', fromSeq, toSeq, incidents, aggregates: agg })
const cursorAt = (min: number, seq: number) => `${Date.parse(at(min))}_${seq}`

describe('the case queue window under the live-path rule', () => {
  const first = fromFirstPage({ cases: [inc('a', 50, { version: 1 }), inc('b', 40, { version: 1 })], nextCursor: cursorAt(40, 2), seq: 10 })

  it('reloads on a gap: a delta starting past seq + 1', () => {
    expect(applyToWindow(first, delta(12, 15, [inc('c', 55)]))).toEqual({ kind: 'gap' })
  })

  it('applies a continuing delta: new open cases in the window, closed ones leave, seq advances', () => {
    const out = applyToWindow(first, delta(11, 14, [inc('c', 55), inc('b', 40, { version: 2, status: 'closed' }), inc('old', 10)]))
    if (out.kind !== 'applied') throw new Error(out.kind)
    expect([...out.window.byId.keys()].sort()).toEqual(['a', 'c']) // 'old' is below the cursor: its page brings it
    expect(out.window.seq).toBe(14)
    expect(out.window.gone.get('b')).toBe(2)
  })

  it('a later page never brings back an older state than a delta gave, nor a case that left', () => {
    const out = applyToWindow(first, delta(11, 12, [inc('c', 30, { version: 3, status: 'closed' })]))
    if (out.kind !== 'applied') throw new Error(out.kind)
    const paged = addPage(out.window, { cases: [inc('c', 30, { version: 2 }), inc('d', 20, { version: 1 })], nextCursor: null, seq: 11 })
    expect([...paged.byId.keys()].sort()).toEqual(['a', 'b', 'd'])
    expect(paged.nextCursor).toBeNull()
    // with everything loaded, any open case of the scope belongs in the window
    const later = applyToWindow(paged, delta(13, 13, [inc('older', 1)]))
    if (later.kind !== 'applied') throw new Error(later.kind)
    expect(later.window.byId.has('older')).toBe(true)
  })

  it('ignores an overlapping delta older than what is held', () => {
    const out = applyToWindow(first, delta(5, 8, [inc('a', 50, { version: 0, status: 'closed' })]))
    if (out.kind !== 'applied') throw new Error(out.kind)
    expect(out.window.byId.has('a')).toBe(true)
    expect(out.window.seq).toBe(10)
  })
})
