import { describe, expect, it } from 'vitest'
import { EMPTY_FILTERS, viewQueue } from '../../client/cases/queue-filter.js'
import { type Incident, toSummary } from '../../shared/incident.js'
import { makeIncident } from '../fixtures/incidents.js'

const t0 = Date.UTC(2026, 10, 24, 2)
const iso = (ms: number) => new Date(ms).toISOString()
const c = (id: string, patch: Partial<Incident>) => toSummary(makeIncident({ id, ...patch }))

const items = [
  c('a', { district: '510104', category: '0102', severity: 'critical', source: 'grid_worker', reportedAt: iso(t0 + 1000) }),
  c('b', { district: '510104', category: '0201', source: 'hotline_12345', status: 'dispatched', dispatchedAt: iso(t0 - 3_600_000), deadline: iso(t0 - 1), reportedAt: iso(t0 + 2000) }),
  c('c', { district: '510105', category: '0102', source: 'hotline_12345', duplicateOf: 'a', description: '垃圾桶满溢', reportedAt: iso(t0 + 3000) }),
]

describe('case queue filtering and faceted counts', () => {
  it('shows everything newest first with counts per value when no filter is set', () => {
    const v = viewQueue(items, EMPTY_FILTERS, t0)
    expect(v.rows.map(r => r.id)).toEqual(['c', 'b', 'a'])
    expect(Object.fromEntries(v.counts.district)).toEqual({ 510104: 2, 510105: 1 })
    expect(Object.fromEntries(v.counts.flag)).toEqual({ overdue: 1, duplicate: 1 })
  })

  it('counts each dimension with the other filters applied', () => {
    const v = viewQueue(items, { ...EMPTY_FILTERS, district: '510104', category: '0102' }, t0)
    expect(v.rows.map(r => r.id)).toEqual(['a'])
    // picking another district keeps category 0102: c; another category keeps district 510104: b
    expect(Object.fromEntries(v.counts.district)).toEqual({ 510104: 1, 510105: 1 })
    expect(Object.fromEntries(v.counts.category)).toEqual({ '0102': 1, '0201': 1 })
    expect(Object.fromEntries(v.counts.severity)).toEqual({ critical: 1 })
  })

  it('filters by flag and searches id and description', () => {
    expect(viewQueue(items, { ...EMPTY_FILTERS, flag: 'overdue' }, t0).rows.map(r => r.id)).toEqual(['b'])
    expect(viewQueue(items, { ...EMPTY_FILTERS, q: '满溢' }, t0).rows.map(r => r.id)).toEqual(['c'])
    expect(viewQueue(items, { ...EMPTY_FILTERS, q: 'B' }, t0).rows.map(r => r.id)).toEqual(['b'])
  })
})

describe('a pending extension request in the queue', () => {
  it('flags the case until the centre answers, and filters by it', () => {
    const asked = c('d', { status: 'dispatched', dispatchedAt: iso(t0 - 60_000), deadline: iso(t0 + 86_400_000), reportedAt: iso(t0 + 4000), postponeRequest: { deadline: iso(t0 + 3 * 86_400_000), reason: '等待配件', at: iso(t0) } })
    expect(asked.postponeRequested).toBe(true)
    const v = viewQueue([...items, asked], { ...EMPTY_FILTERS, flag: 'extension' }, t0)
    expect(v.rows.map(r => r.id)).toEqual(['d'])
    expect(viewQueue([c('e', { status: 'dispatched' })], { ...EMPTY_FILTERS, flag: 'extension' }, t0).rows).toEqual([])
  })
})
