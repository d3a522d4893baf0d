import { describe, expect, it } from 'vitest'
import { LiveAggregates } from '../../server/live-counts/live-aggregates.js'
import { localDay } from '../../server/calendar/local-time.js'
import { makeIncident } from '../fixtures/incidents.js'

// 2026-11-24 10:30 in Chengdu (UTC+8) = 02:30 UTC
const NOW = Date.parse('2026-11-24T02:30:00Z')
const OFFSET = 480

describe('local time', () => {
  it('uses the city offset for the calendar day', () => {
    expect(localDay(Date.parse('2026-11-23T16:30:00Z'), OFFSET)).toBe('2026-11-24')
    expect(localDay(Date.parse('2026-11-23T15:59:59Z'), OFFSET)).toBe('2026-11-23')
  })
})

describe('LiveAggregates', () => {
  const at = (iso: string) => makeIncident({ reportedAt: iso })

  it('counts today by status, category, source, severity and child unit per scope', () => {
    const agg = new LiveAggregates(OFFSET, () => NOW)
    agg.add(at('2026-11-24T01:00:00Z'))
    agg.add({ ...at('2026-11-24T02:00:00Z'), category: '0201', source: 'hotline_12345', street: '510104002' })
    agg.add({ ...at('2026-11-24T02:10:00Z'), district: '510105', street: '510105001' })
    const city = agg.get('city')
    expect(city.day).toBe('2026-11-24')
    expect(city.today.total).toBe(3)
    expect(city.today.byUnit).toEqual({ 510104: 2, 510105: 1 })
    expect(city.today.byCategory).toEqual({ '0102': 2, '0201': 1 })
    expect(city.today.bySource).toEqual({ grid_worker: 2, hotline_12345: 1 })
    expect(city.open).toBe(3)
    const district = agg.get('district:510104')
    expect(district.today.total).toBe(2)
    expect(district.today.byUnit).toEqual({ 510104001: 1, 510104002: 1 })
    expect(agg.get('street:510104002').today.total).toBe(1)
  })

  it('keeps 24 hourly buckets ending at the current hour, excluding yesterday from today', () => {
    const agg = new LiveAggregates(OFFSET, () => NOW)
    agg.add(at('2026-11-23T10:15:00Z')) // 18:15 local yesterday, 16 h ago: in last24h, not today
    agg.add(at('2026-11-24T02:05:00Z'))
    agg.add(at('2026-11-22T02:05:00Z')) // two days ago: neither
    const { today, last24h } = agg.get('city')
    expect(today.total).toBe(1)
    expect(last24h.counts).toHaveLength(24)
    expect(last24h.hourStart).toBe('2026-11-23T03:00:00.000Z')
    expect(last24h.counts[23]).toBe(1)
    expect(last24h.counts[7]).toBe(1)
    expect(last24h.counts.reduce((a, b) => a + b, 0)).toBe(2)
  })

  it('resets today at local midnight', () => {
    let now = Date.parse('2026-11-24T15:59:00Z')
    const agg = new LiveAggregates(OFFSET, () => now)
    agg.add(at('2026-11-24T15:58:00Z'))
    expect(agg.get('city').today.total).toBe(1)
    now = Date.parse('2026-11-24T16:01:00Z')
    const next = agg.get('city')
    expect(next.day).toBe('2026-11-25')
    expect(next.today.total).toBe(0)
    expect(next.last24h.counts.reduce((a, b) => a + b, 0)).toBe(1)
  })

  it('moves status counts and open totals on a status change', () => {
    const agg = new LiveAggregates(OFFSET, () => NOW)
    const i = at('2026-11-24T01:00:00Z')
    agg.add(i)
    agg.statusChanged({ ...i, status: 'closed' }, 'reported')
    const city = agg.get('city')
    expect(city.today.byStatus).toEqual({ closed: 1 })
    expect(city.open).toBe(0)
  })

  it('seeds from stored incidents and open counts', () => {
    const agg = new LiveAggregates(OFFSET, () => NOW)
    agg.seed([at('2026-11-24T01:00:00Z'), { ...at('2026-11-24T01:30:00Z'), status: 'closed' }], [
      { district: '510104', street: '510104001', count: 7 },
      { district: '510105', street: '510105001', count: 2 },
    ])
    const city = agg.get('city')
    expect(city.today.total).toBe(2)
    expect(city.today.byStatus).toEqual({ reported: 1, closed: 1 })
    expect(city.open).toBe(9)
    expect(agg.get('district:510104').open).toBe(7)
  })
})
