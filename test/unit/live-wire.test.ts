import { describe, expect, it } from 'vitest'
import type { IncidentSummary } from '../../shared/incident.js'
import { columnValues, packDelta, packSummaries, SUMMARY_FIELDS, unpackDelta, unpackSummaries } from '../../shared/live-wire.js'
import { mulberry32 } from '../../shared/random.js'

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

  it('send repetitive texts and flags as distinct values with indexes, instants as milliseconds, ids and numbers plain', () => {
    const sources = ['grid_worker', 'hotline_12345', 'citizen_app'] as const
    const list = Array.from({ length: 60 }, (_, k) => summary(k, {
      source: sources[k % 3], escalated: k % 7 === 0, district: k % 2 ? '510104' : '510105',
      reportedAt: new Date(Date.UTC(2026, 11, 7, 1) + k * 61_001).toISOString(), deadline: k % 5 ? undefined : '2026-12-09T01:00:00.000Z',
    }))
    const packed = JSON.parse(JSON.stringify(packSummaries(list))) as ReturnType<typeof packSummaries>
    expect(packed.cols.source).toEqual({ values: [...sources], index: list.map((_, k) => k % 3) })
    expect(packed.cols.escalated).toMatchObject({ values: [true, false] })
    expect(packed.cols.reportedAt).toMatchObject({ base: Date.UTC(2026, 11, 7, 1), ms: list.map((_, k) => k * 61_001) })
    expect(columnValues(packed.cols.deadline)).toEqual(list.map(i => i.deadline ?? null))
    expect(packed.cols.id).toEqual(list.map(i => i.id))
    expect(packed.cols.lon).toEqual(list.map(i => i.lon))
    expect(Array.isArray(packed.cols.description)).toBe(true) // every text differs: plain
    expect(unpackSummaries(packed)).toEqual(list)
  })

  it('turn every instant back into the very string it was, and send any other form of a time as it is', () => {
    const rng = mulberry32(7)
    // across eras, days and milliseconds, before 1970 and after 9999 (toISOString's six-digit years)
    const times = Array.from({ length: 3000 }, () => new Date(Math.round((rng() - 0.3) * 4e14)).toISOString())
    times.push('2026-12-07T23:59:59.999Z', '2026-12-08T00:00:00.000Z', '1969-12-31T23:59:59.999Z', '+275760-09-13T00:00:00.000Z')
    const list = times.map((t, k) => summary(k, { reportedAt: t }))
    const packed = JSON.parse(JSON.stringify(packSummaries(list))) as ReturnType<typeof packSummaries>
    expect(Array.isArray(packed.cols.reportedAt)).toBe(false)
    expect(unpackSummaries(packed).map(i => i.reportedAt)).toEqual(times)
    // not the canonical form: kept exactly as written
    const odd = [summary(1, { reportedAt: '2026-12-07T09:00:00+08:00' }), ...Array.from({ length: 5 }, (_, k) => summary(k + 2))]
    const back = JSON.parse(JSON.stringify(packSummaries(odd))) as ReturnType<typeof packSummaries>
    expect(Array.isArray(back.cols.reportedAt)).toBe(true)
    expect(unpackSummaries(back)).toEqual(odd)
  })

  it('are a quarter smaller than plain columns for a wall\'s delta of varied reports', () => {
    const rng = mulberry32(11)
    const streets = Array.from({ length: 120 }, (_, k) => `510104${String(k).padStart(3, '0')}`)
    const statuses = ['reported', 'filed', 'dispatched', 'handled'] as const
    const list = Array.from({ length: 500 }, (_, k) => {
      const street = streets[Math.floor(rng() * streets.length)]!
      return summary(k, {
        id: `e-${Math.floor(rng() * 1e12).toString(36)}-${k}`, seq: 1_000_000 + k, status: statuses[k % 4],
        description: `第${k}号：${Math.floor(rng() * 1e6)}号楼旁井盖缺失，请尽快处理`, street, district: street.slice(0, 6), community: `${street}${String(Math.floor(rng() * 1000)).padStart(3, '0')}`,
        reportedAt: new Date(Date.UTC(2026, 11, 7) + Math.floor(rng() * 3.6e6)).toISOString(),
      })
    })
    const packed = JSON.stringify(packSummaries(list))
    const plainColumns = JSON.stringify({ n: list.length, cols: Object.fromEntries(SUMMARY_FIELDS.filter(f => list.some(i => i[f] !== undefined)).map(f => [f, list.map(i => i[f] ?? null)])) })
    expect(Buffer.byteLength(packed)).toBeLessThan(Buffer.byteLength(plainColumns) * 0.8)
    expect(unpackSummaries(JSON.parse(packed) as ReturnType<typeof packSummaries>)).toEqual(list)
  })

  it('leave the description out of a brief packing, every other field as it was', () => {
    const list = Array.from({ length: 6 }, (_, k) => summary(k))
    const packed = JSON.parse(JSON.stringify(packSummaries(list, true))) as ReturnType<typeof packSummaries>
    expect(Object.keys(packed.cols)).not.toContain('description')
    expect(unpackSummaries(packed)).toEqual(list.map(({ description: _d, ...rest }) => ({ ...rest, description: undefined })))
    const delta = { scope: 'city' as const, fromSeq: 1, toSeq: 6, incidents: list, aggregates: { day: '2026-12-07', today: { total: 0, byStatus: {}, byCategory: {}, bySource: {}, bySeverity: {}, byUnit: {} }, last24h: { hourStart: '2026-12-06T02:00:00.000Z', counts: [] }, open: 0 } }
    expect(packDelta(delta, true)).not.toBe(packDelta(delta)) // one packing per form, each cached
    expect(packDelta(delta, true)).toBe(packDelta(delta, true))
  })
})
