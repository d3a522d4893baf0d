import { describe, expect, it } from 'vitest'
import { RollupCube } from '../../server/analysis/cube/rollup-cube.js'
import { shiftYears } from '../../server/analysis/summary.js'
import { childLevel, funnelReach, onTimeClass, trendBucket } from '../../shared/analysis.js'
import { SOURCES } from '../../shared/enums.js'
import { CASE_STATUSES } from '../../shared/workflow/states.js'

const H = 3_600_000
const units = [
  { code: '5101', level: 'city', parent: null }, { code: '510104', level: 'district', parent: '5101' },
  { code: '510104001', level: 'street', parent: '510104' }, { code: '510104001001', level: 'community', parent: '510104001' },
  { code: '510104001002', level: 'community', parent: '510104001' },
]
const cells = [{ h3: 'c1', community: '510104001001' }, { h3: 'c2', community: '510104001001' }, { h3: 'c3', community: '510104001002' }]

function cube() {
  return new RollupCube({ utcOffsetMinutes: 480, cells, units, categories: ['0101', '0102', '0201'], sources: SOURCES, statuses: CASE_STATUSES })
}
/** 2026-11-30 09:00 local (Monday) as an absolute hour. */
const MONDAY_9 = Date.parse('2026-11-30T09:00:00+08:00') / H

const spec = (c: RollupCube, over: Partial<Parameters<RollupCube['scan']>[0]> = {}) => ({
  fromHour: MONDAY_9 - 48, toHour: MONDAY_9 + 48, communities: null, cell: -1, categories: null, source: -1, status: -1, childOfCell: null, bucketHours: 1 as const, ...over,
  ...(over.childOfCell === undefined && { childOfCell: Int32Array.from({ length: c.cells.size }, (_, k) => c.cellCommunity[k]!) }),
})

describe('rollup cube', () => {
  it('adds, moves and counts rows by every dimension in one scan', () => {
    const c = cube()
    c.addFacts({ hour: MONDAY_9, cell: 'c1', community: '510104001001', street: '510104001', district: '510104', category: '0102', source: 'grid_worker', status: 'reported', department: '', onTime: 0, delta: 1 })
    c.addFacts({ hour: MONDAY_9, cell: 'c1', community: '510104001001', street: '510104001', district: '510104', category: '0102', source: 'grid_worker', status: 'reported', department: '', onTime: 0, delta: 1 })
    c.addFacts({ hour: MONDAY_9 + 1, cell: 'c3', community: '510104001002', street: '510104001', district: '510104', category: '0201', source: 'hotline_12345', status: 'closed', department: '环卫', onTime: 1, delta: 1 })
    // a status change: −1 on the old key, +1 on the new one
    c.addFacts({ hour: MONDAY_9, cell: 'c1', community: '510104001001', street: '510104001', district: '510104', category: '0102', source: 'grid_worker', status: 'reported', department: '', onTime: 0, delta: -1 })
    c.addFacts({ hour: MONDAY_9, cell: 'c1', community: '510104001001', street: '510104001', district: '510104', category: '0102', source: 'grid_worker', status: 'handled', department: '环卫', onTime: 2, delta: 1 })
    const r = c.scan(spec(c), { children: 2, categories: true, sources: true, statuses: true, hourOfWeek: true, departments: true, cells: true, trend: 96 })
    expect(r.total).toBe(3)
    expect(Array.from(r.children![0]!)).toEqual([2, 1]) // count per community
    expect(Array.from(r.children![2]!)).toEqual([1, 1]) // handled
    expect(Array.from(r.children![3]!)).toEqual([0, 1]) // handled on time
    expect(r.categories![c.categories.find('0102')]).toBe(2)
    expect(r.statuses![c.statuses.find('handled')]).toBe(1)
    expect(r.hourOfWeek![9]).toBe(2) // Monday 09:00
    expect(r.hourOfWeek![10]).toBe(1)
    const dept = c.departments.find('环卫')
    expect([r.departments![0][dept], r.departments![1][dept]]).toEqual([2, 1])
    expect(r.cells![c.cells.find('c1')]).toBe(2)
    expect(r.trend![48]).toBe(2)
    expect([r.filed, r.handled, r.handledOnTime, r.closed]).toEqual([2, 2, 1, 1])
  })

  it('filters by hours, area, cell, category set, source and status', () => {
    const c = cube()
    c.addFacts({ hour: MONDAY_9, cell: 'c1', community: '510104001001', street: '510104001', district: '510104', category: '0101', source: 'grid_worker', status: 'closed', department: '', onTime: 0, delta: 1 })
    c.addFacts({ hour: MONDAY_9, cell: 'c2', community: '510104001001', street: '510104001', district: '510104', category: '0102', source: 'video_ai', status: 'closed', department: '', onTime: 0, delta: 1 })
    c.addFacts({ hour: MONDAY_9 + 30, cell: 'c3', community: '510104001002', street: '510104001', district: '510104', category: '0201', source: 'grid_worker', status: 'rejected', department: '', onTime: 0, delta: 1 })
    const big01 = Uint8Array.from(c.categories.values.map(v => (v.startsWith('01') ? 1 : 0)))
    expect(c.scan(spec(c, { categories: big01 }), {}).total).toBe(2)
    expect(c.scan(spec(c, { source: c.sources.find('grid_worker') }), {}).total).toBe(2)
    expect(c.scan(spec(c, { status: c.statuses.find('rejected') }), {}).total).toBe(1)
    expect(c.scan(spec(c, { communities: Int32Array.of(c.communities.find('510104001002')) }), {}).total).toBe(1)
    expect(c.scan(spec(c, { cell: c.cells.find('c2') }), {}).total).toBe(1)
    expect(c.scan(spec(c, { fromHour: MONDAY_9 + 1 }), {}).total).toBe(1)
    expect(c.scan(spec(c, { status: 255 }), {}).total).toBe(0)
  })

  it('applies listener changes only to days already read (later reads include them)', () => {
    const c = cube()
    c.setStoredHours([MONDAY_9 - 24, MONDAY_9])
    const day = c.localDay(MONDAY_9)
    expect(c.isLoaded(day)).toBe(false)
    expect(c.isLoaded(day + 1)).toBe(true) // after the stored range: nothing to read
    c.applyFacts({ hour: MONDAY_9, cell: 'c1', community: '510104001001', street: '510104001', district: '510104', category: '0101', source: 'grid_worker', status: 'reported', department: '', onTime: 0, delta: 1 })
    expect(c.scan(spec(c), {}).total).toBe(0)
    expect(c.pendingDays()).toEqual([day, day - 1])
    c.markLoaded(day)
    c.applyFacts({ hour: MONDAY_9, cell: 'c1', community: '510104001001', street: '510104001', district: '510104', category: '0101', source: 'grid_worker', status: 'reported', department: '', onTime: 0, delta: 1 })
    expect(c.scan(spec(c), {}).total).toBe(1)
    expect(c.dayStartHour(day)).toBe(Date.parse('2026-11-30T00:00:00+08:00') / H)
  })

  it('restores a snapshot with the same tag to the same answers, and refuses another tag', () => {
    const c = cube()
    for (let k = 0; k < 3000; k++) {
      c.addFacts({ hour: MONDAY_9 - (k % 90), cell: ['c1', 'c2', 'c3'][k % 3]!, community: k % 3 === 2 ? '510104001002' : '510104001001', street: '510104001', district: '510104', category: ['0101', '0102', '0201'][k % 3]!, source: 'grid_worker', status: k % 5 === 0 ? 'closed' : 'reported', department: k % 7 === 0 ? '环卫' : '', onTime: k % 4 === 0 ? 1 : 0, delta: 1 })
    }
    c.addFacts({ hour: MONDAY_9, cell: 'zz', community: '510199001001', street: '510199001', district: '510199', category: '0101', source: 'video_ai', status: 'closed', department: '城管', onTime: 1, delta: 1 })
    const bytes = c.snapshot('v1')
    expect(cube().restore(bytes, 'v2')).toBe(false)
    const r = cube()
    expect(r.restore(bytes, 'v1')).toBe(true)
    expect(r.rows).toBe(c.rows)
    expect(r.pendingDays()).toEqual([])
    const wants = { children: 2, categories: true, sources: true, statuses: true, hourOfWeek: true, departments: true, cells: true, trend: 96 }
    expect(r.scan(spec(r, { fromHour: MONDAY_9 - 100, toHour: MONDAY_9 + 2 }), wants)).toEqual(c.scan(spec(c, { fromHour: MONDAY_9 - 100, toHour: MONDAY_9 + 2 }), wants))
    // and it goes on taking changes
    r.addFacts({ hour: MONDAY_9, cell: 'c1', community: '510104001001', street: '510104001', district: '510104', category: '0101', source: 'grid_worker', status: 'reported', department: '', onTime: 0, delta: 1 })
    c.addFacts({ hour: MONDAY_9, cell: 'c1', community: '510104001001', street: '510104001', district: '510104', category: '0101', source: 'grid_worker', status: 'reported', department: '', onTime: 0, delta: 1 })
    expect(r.scan(spec(r), wants)).toEqual(c.scan(spec(c), wants))
  })

  it('answers whole days of an unfiltered city-wide scan from the day summaries exactly as from the rows', () => {
    const c = cube()
    for (let k = 0; k < 5000; k++) {
      const cell = ['c1', 'c2', 'c3'][k % 3]!
      c.addFacts({ hour: MONDAY_9 - (k * 7) % 200, cell, community: cell === 'c3' ? '510104001002' : '510104001001', street: '510104001', district: '510104', category: ['0101', '0102', '0201'][k % 3]!, source: SOURCES[k % SOURCES.length]!, status: CASE_STATUSES[k % CASE_STATUSES.length]!, department: k % 7 === 0 ? '环卫' : '', onTime: k % 3, delta: k % 11 === 0 ? -1 : 1 })
    }
    const wants = { children: 1, categories: true, sources: true, statuses: true, hourOfWeek: true, departments: true, cells: true, trend: 12 }
    const byDistrict = Int32Array.from({ length: c.cells.size }, () => 0)
    // one filter (category set, source or status): the per-value summaries; rows when the children are not districts
    const noCells = { ...wants, cells: false }
    const big01 = Uint8Array.from(c.categories.values.map(v => (v.startsWith('01') ? 1 : 0)))
    for (const filter of [{ categories: big01 }, { source: c.sources.find('hotline_12345') }, { status: c.statuses.find('closed') }, { source: 255 }]) {
      for (const bucketHours of [1, 24] as const) {
        const range = { fromHour: MONDAY_9 - 230, toHour: MONDAY_9 + 5, childOfCell: byDistrict, bucketHours, ...filter }
        const rows = c.scan(spec(c, range), noCells)
        expect(rows.total, JSON.stringify(filter)).toBeGreaterThanOrEqual(filter.source === 255 ? 0 : 1)
        expect(c.scan(spec(c, { ...range, childrenAreDistricts: true }), noCells), JSON.stringify(filter)).toEqual(rows)
      }
    }
    for (const bucketHours of [1, 24] as const) {
      const range = { fromHour: MONDAY_9 - 230, toHour: MONDAY_9 + 5, childOfCell: byDistrict, bucketHours }
      const everyCategory = Uint8Array.from(c.categories.values.map(() => 1))
      const rows = c.scan(spec(c, { ...range, categories: everyCategory }), wants) // a filter: the rows are read
      expect(c.scan(spec(c, { ...range, childrenAreDistricts: true }), wants)).toEqual(rows)
      expect(c.scan(spec(c, { ...range, childOfCell: null }), { ...wants, children: 0 })).toEqual({ ...c.scan(spec(c, { ...range, childOfCell: null, categories: everyCategory }), { ...wants, children: 0 }) })
    }
  })

  it('learns cells the geo data does not list', () => {
    const c = cube()
    c.addFacts({ hour: MONDAY_9, cell: 'zz', community: '510199001001', street: '510199001', district: '510199', category: '0101', source: 'grid_worker', status: 'reported', department: '', onTime: 0, delta: 1 })
    expect(c.districts.find('510199')).toBeGreaterThanOrEqual(0)
    expect(c.scan(spec(c, { childOfCell: null }), {}).total).toBe(1)
  })
})

describe('drill-down rules', () => {
  it('funnel reach, on-time class, levels, buckets and year shifts', () => {
    expect(CASE_STATUSES.map(funnelReach)).toEqual([0, 1, 0, 2, 3, 3, 4, 2, 0])
    expect(onTimeClass(undefined, '2026-01-01')).toBe(0)
    expect(onTimeClass('2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')).toBe(1)
    expect(onTimeClass('2026-01-02T00:00:00Z', '2026-01-01T00:00:00Z')).toBe(2)
    expect(onTimeClass('2026-01-02T00:00:00Z', undefined)).toBe(2)
    expect(childLevel('community')).toBe('cell')
    expect(childLevel('cell')).toBeNull()
    expect(trendBucket(0, 72 * H)).toBe('hour')
    expect(trendBucket(0, 73 * H)).toBe('day')
    expect(new Date(shiftYears(Date.parse('2026-11-29T00:00:00+08:00'), -1, 480)).toISOString()).toBe('2025-11-28T16:00:00.000Z')
    expect(new Date(shiftYears(Date.parse('2028-02-29T12:00:00+08:00'), -1, 480)).toISOString()).toBe('2027-02-28T04:00:00.000Z')
  })
})
