import { describe, expect, it } from 'vitest'
import { applyDelta, fromSnapshot } from '../../client/live/scope-state.js'
import { latestReports, newerThan } from '../../client/live/latest-reports.js'
import type { ScopeAggregates } from '../../shared/aggregates.js'
import { type IncidentSummary, toSummary } from '../../shared/incident.js'
import { makeIncident } from '../fixtures/incidents.js'

const agg: ScopeAggregates = {
  day: '2026-12-07', open: 0, last24h: { hourStart: '2026-12-06T03:00:00.000Z', counts: new Array(24).fill(0) },
  today: { total: 0, byStatus: {}, byCategory: {}, bySource: {}, bySeverity: {}, byUnit: {} },
}
const at = (hhmm: string) => `2026-12-07T${hhmm}:00.000Z`
const inc = (id: string, reported: string, seq: number, status: IncidentSummary['status'] = 'reported') =>
  toSummary(makeIncident({ id, seq, reportedAt: at(reported), status }))

describe('最新事件 (latest reports)', () => {
  it('orders by report time, not by latest change: a status change does not lift an old report (regression)', () => {
    let state = fromSnapshot({ scope: 'city', seq: 3, aggregates: agg, recent: [inc('a', '08:00', 1), inc('b', '09:00', 2), inc('c', '10:00', 3)] }, 50)
    // the 08:00 report is dispatched: it becomes the latest change (seq 4) and tops the live list
    const out = applyDelta(state, { scope: 'city', fromSeq: 4, toSeq: 4, incidents: [inc('a', '08:00', 4, 'dispatched')], aggregates: agg }, 50)
    if (out.kind !== 'applied') throw new Error(out.kind)
    state = out.state
    expect(state.incidents.map(i => i.id)).toEqual(['a', 'c', 'b'])
    const latest = latestReports(state.incidents, 10)
    expect(latest.map(i => i.id)).toEqual(['c', 'b', 'a'])
    expect(latest[2]!.status).toBe('dispatched')
    const times = latest.map(i => Date.parse(i.reportedAt))
    expect(times).toEqual([...times].sort((x, y) => y - x))
  })

  it('keeps the limit, breaks ties by id, and counts arrivals newer than the top row only', () => {
    const list = [inc('x1', '10:00', 5), inc('x2', '10:00', 6), inc('old', '07:00', 9, 'closed'), inc('new', '11:00', 7)]
    expect(latestReports(list, 3).map(i => i.id)).toEqual(['new', 'x2', 'x1'])
    const shown = latestReports(list.slice(0, 3), 2)
    expect(shown.map(i => i.id)).toEqual(['x2', 'x1'])
    // 'new' is a later report; 'old' changed last but is not new
    expect(newerThan(list, shown[0])).toBe(1)
    expect(newerThan(list, undefined)).toBe(0)
  })
})
