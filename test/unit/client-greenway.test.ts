import { describe, expect, it } from 'vitest'
import { coverageRanking, footfallTrend, kmByTierStatus, serviceByType, uncoveredByDistrict } from '../../client/greenway/chart-options.js'
import { applyPush, type CoverageState, totalKm, withFacilities, withStatuses } from '../../client/greenway/coverage-state.js'
import { FACILITY_CLUSTER_MAX_ZOOM, facilitiesShown, facilityFilter, lineFilter } from '../../client/greenway/map-layers.js'
import type { CoveragePush, CoverageRow, FootfallState, NetworkSummary } from '../../shared/greenway/types.js'

const row = (code: string, g1000: number, uncovered: number, population = 1000): CoverageRow => ({
  code, name: `区${code}`, level: 'district', parent: '9', population, greenway500: g1000 / 2, greenway1000: g1000, uncovered1000: uncovered,
  builtKm: 1, kmPer10k: 1, service: { station: 0.5, clinic: 0.4, school: 0.3, park: 0.2, elderly: 0.1 }, serviceAll: 0.05,
})
const network: NetworkSummary = {
  km: { regional: { built: 1800, under_construction: 100, planned: 20 }, city: { built: 80, under_construction: 30, planned: 20 }, community: { built: 100, under_construction: 80, planned: 60 } },
  segments: 400, facilities: { station: 1, clinic: 1, school: 1, park: 1, elderly: 1 },
}
const state: CoverageState = { version: 3, city: row('9', 0.4, 600), districts: [row('1', 0.5, 500), row('2', 0.3, 700)], network }
const push = (patch: Partial<CoveragePush>): CoveragePush => ({
  fromVersion: 3, version: 4, reset: false, city: row('9', 0.2, 800), districts: [row('2', 0.1, 900)], streets: [], communities: [], network, segments: [], facilities: [], ...patch,
})

describe('greenway coverage state on the client', () => {
  it('applies a push by version: rows replaced by code', () => {
    const out = applyPush(state, push({}))
    expect(out.kind).toBe('applied')
    if (out.kind !== 'applied') return
    expect(out.state.version).toBe(4)
    expect(out.state.city.greenway1000).toBe(0.2)
    expect(out.state.districts.map(d => [d.code, d.greenway1000])).toEqual([['1', 0.5], ['2', 0.1]])
  })

  it('ignores what it has, asks for a snapshot after a gap, and takes a reset whole', () => {
    expect(applyPush(state, push({ fromVersion: 2, version: 3 })).kind).toBe('stale')
    expect(applyPush(state, push({ fromVersion: 2, version: 5 })).kind).toBe('applied') // overlapping: rows are absolute
    expect(applyPush(state, push({ fromVersion: 5, version: 6 })).kind).toBe('gap')
    const reset = applyPush(state, push({ reset: true, fromVersion: 9, version: 10, districts: [row('7', 0, 1)] }))
    expect(reset.kind === 'reset' && reset.state.districts.map(d => d.code)).toEqual(['7'])
  })

  it('patches segment statuses and upserts facilities without touching the rest', () => {
    const fc: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { id: 'a', status: 'built' }, geometry: { type: 'LineString', coordinates: [[0, 0], [1, 1]] } },
      { type: 'Feature', properties: { id: 'b', status: 'planned' }, geometry: { type: 'LineString', coordinates: [[0, 0], [1, 1]] } },
    ] }
    const next = withStatuses(fc, [{ id: 'b', status: 'built' }])
    expect(next.features.map(f => f.properties!.status)).toEqual(['built', 'built'])
    expect(next.features[0]).toBe(fc.features[0])
    expect(withStatuses(fc, [])).toBe(fc)
    const fac = withFacilities({ type: 'FeatureCollection', features: [] }, [{ id: 'f', name: 'F', type: 'park', status: 'open', lon: 104, lat: 30 }])
    expect(fac.features[0]!.geometry).toEqual({ type: 'Point', coordinates: [104, 30] })
    expect(withFacilities(fac, [{ id: 'f', name: 'F', type: 'park', status: 'closed', lon: 104, lat: 30 }]).features.map(f => f.properties!.status)).toEqual(['closed'])
    expect(totalKm(network, 'built')).toBe(1980)
  })

  it('clusters facilities at city zoom, counting only the types switched on (regression: 3,000 dots)', () => {
    const fc: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: (['station', 'clinic', 'park', 'clinic'] as const).map((type, k) => ({ type: 'Feature', properties: { id: `f${k}`, type }, geometry: { type: 'Point', coordinates: [104 + k / 100, 30.6] } })) }
    expect(facilitiesShown(fc, ['clinic']).features.map(f => f.properties!.id)).toEqual(['f1', 'f3'])
    expect(facilitiesShown(fc, []).features).toEqual([])
    // single facilities are drawn from the zoom after the last clustered one; cluster points never take a type colour
    expect(FACILITY_CLUSTER_MAX_ZOOM).toBeGreaterThanOrEqual(10)
    expect(facilityFilter(['park'])).toEqual(['all', ['!', ['has', 'point_count']], ['in', ['get', 'type'], ['literal', ['park']]]])
  })

  it('filters lines by the legend\'s statuses and tiers', () => {
    expect(lineFilter({ statuses: ['built', 'planned'], tiers: ['city'] }, 'planned')).toEqual(['all', ['in', ['get', 'status'], ['literal', ['planned']]], ['in', ['get', 'tier'], ['literal', ['city']]]])
    expect((lineFilter({ statuses: ['built'], tiers: ['city'] }, 'planned') as unknown[])[1]).toEqual(['in', ['get', 'status'], ['literal', []]])
  })
})

describe('greenway chart options', () => {
  it('stacks km per tier by status and ranks districts by coverage, best on top', () => {
    const km = kmByTierStatus(network, t => t, s => s) as { yAxis: { data: string[] }, series: { name: string, data: number[] }[] }
    expect(km.yAxis.data).toEqual(['community', 'city', 'regional'])
    expect(km.series.map(s => s.name)).toEqual(['built', 'under_construction', 'planned'])
    expect(km.series[0]!.data).toEqual([100, 80, 1800])
    const rank = coverageRanking(state.districts, { within500: '500', within1000: '1000' }) as { yAxis: { data: string[] }, series: { data: number[] }[] }
    expect(rank.yAxis.data).toEqual(['区2', '区1'])
    expect(rank.series[0]!.data).toEqual([0.3, 0.5])
    // the wall's panel shows the best `limit`
    const top = coverageRanking(state.districts, { within500: '', within1000: '' }, undefined, 1) as { yAxis: { data: string[] } }
    expect(top.yAxis.data).toEqual(['区1'])
  })

  it('lists the districts with most residents beyond 1 km first (limit: the largest)', () => {
    const rows = [row('1', 0.5, 500), row('2', 0.3, 70_000), row('3', 0.3, 12_000)]
    const all = uncoveredByDistrict(rows, '万人') as { yAxis: { data: string[] }, series: { data: number[] }[] }
    expect(all.yAxis.data).toEqual(['区1', '区3', '区2'])
    expect(all.series[0]!.data).toEqual([0.1, 1.2, 7])
    expect((uncoveredByDistrict(rows, '万人', undefined, 2) as { yAxis: { data: string[] } }).yAxis.data).toEqual(['区3', '区2'])
  })

  it('returns null when there is nothing to draw (a city without greenways shows empty panels)', () => {
    const none: NetworkSummary = { ...network, segments: 0 }
    expect(kmByTierStatus(none, t => t, s => s)).toBeNull()
    expect(kmByTierStatus(null, t => t, s => s)).toBeNull()
    expect(coverageRanking([row('1', 0, 1000)], { within500: '', within1000: '' })).toBeNull()
    expect(uncoveredByDistrict([row('1', 1, 0)], '')).toBeNull()
    expect(serviceByType({ ...row('9', 0, 0), population: 0 }, t => t, 'all')).toBeNull()
  })

  it('shows the service circle per type plus all types, and the footfall of the last hours', () => {
    const svc = serviceByType(row('9', 0.4, 600), t => t, 'all') as { yAxis: { type: string, inverse: boolean, data: string[], axisLabel: { interval: number } }, xAxis: { type: string }, series: { data: { value: number }[] }[] }
    // names on the category axis at the left, one row each: six long names under columns overlapped (regression)
    expect(svc.yAxis).toMatchObject({ type: 'category', inverse: true, axisLabel: { interval: 0 } })
    expect(svc.xAxis.type).toBe('value')
    expect(svc.yAxis.data).toEqual(['station', 'clinic', 'school', 'park', 'elderly', 'all'])
    expect(svc.series[0]!.data.map(d => d.value)).toEqual([0.5, 0.4, 0.3, 0.2, 0.1, 0.05])
    const trend = new Array(288).fill(0)
    trend[287] = 40
    const state: FootfallState = { at: '', bucketMinutes: 5, trendStart: '2026-11-23T08:05:00.000Z', trend, windowMinutes: 60, bySegment: {}, total: 0, crowded: [], crowding: { threshold: 1, windowMinutes: 15 } }
    const opt = footfallTrend(state, 2, ms => new Date(ms).toISOString().slice(11, 16)) as { xAxis: { data: string[] }, series: { data: number[] }[] }
    expect(opt.series[0]!.data).toHaveLength(24)
    expect(opt.series[0]!.data.at(-1)).toBe(40)
    expect(opt.xAxis.data.at(-1)).toBe('08:00')
    expect(footfallTrend({ ...state, trend: new Array(288).fill(0) }, 2, String)).toBeNull()
  })
})
