import { describe, expect, it } from 'vitest'
import type { IncidentSummary } from '../../shared/incident.js'
import { packDelta, packSummaries, SUMMARY_FIELDS, unpackDelta, unpackSummaries } from '../../shared/live-wire.js'

const summary = (k: number, extra: Partial<IncidentSummary> = {}): IncidentSummary => ({
  id: `i-${k}`, seq: k, source: 'grid_worker', category: '0101', severity: 'normal', status: 'reported', lon: 104.06 + k / 1000, lat: 30.66,
  reportedAt: '2026-12-07T01:00:00.000Z', description: `井盖缺失 ${k}`, version: 1, escalated: false,
  cell: '8940e3cec5bffff', community: '510104018006', street: '510104018', district: '510104', ...extra,
})

describe('the live path\'s packed incident lists', () => {
  it('unpack to exactly what was packed, optional fields absent where they were', () => {
    const list = [summary(1), summary(2, { department: '城管', deadline: '2026-12-08T01:00:00.000Z', reminders: 2, escalated: true }), summary(3, { duplicateOf: 'i-1' })]
    const back = unpackSummaries(JSON.parse(JSON.stringify(packSummaries(list))))
    expect(back).toEqual(list)
    expect(back[0]!.department).toBeUndefined()
    expect(JSON.stringify(back[0])).toBe(JSON.stringify(list[0]))
  })

  it('send each field name once, leave out fields no incident has, and are smaller than the objects', () => {
    const list = Array.from({ length: 200 }, (_, k) => summary(k))
    const packed = packSummaries(list)
    expect(packed.n).toBe(200)
    expect(Object.keys(packed.cols)).not.toContain('mergedInto')
    expect(Object.keys(packed.cols).every(f => (SUMMARY_FIELDS as readonly string[]).includes(f))).toBe(true)
    expect(JSON.stringify(packed).length).toBeLessThan(JSON.stringify(list).length * 0.75)
  })

  it('round-trip a delta and an empty list', () => {
    const delta = { scope: 'city' as const, fromSeq: 4, toSeq: 5, incidents: [summary(4), summary(5)], aggregates: { day: '2026-12-07', today: { total: 0, byStatus: {}, byCategory: {}, bySource: {}, bySeverity: {}, byUnit: {} }, last24h: { hourStart: '2026-12-06T02:00:00.000Z', counts: [] }, open: 0 } }
    expect(unpackDelta(packDelta(delta))).toEqual(delta)
    expect(unpackSummaries(packSummaries([]))).toEqual([])
  })
})
