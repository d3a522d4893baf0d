import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testConfig } from '../../server/config.js'
import type { Ack } from '../../shared/events.js'
import type { CoveragePush, CoverageRow, FootfallState, GreenwaySnapshot } from '../../shared/greenway/types.js'
import { facilitiesFc, networkFc, writeJson } from '../fixtures/greenway-files.js'
import { api, client, nextEvent, type Running, startApp, type TestClient } from './harness.js'

let s: Running
let files: string
let networkFile: string
const crowding = { threshold: 100, windowMinutes: 15 }

beforeAll(async () => {
  files = mkdtempSync(path.join(tmpdir(), 'citybrain-gw-'))
  networkFile = writeJson(files, 'net.geojson', networkFc())
  const facilitiesFile = writeJson(files, 'fac.geojson', facilitiesFc())
  // reloads back to back: the admin-operation spacing (issue #14) is tested in test/integration/hardening.test.ts
  s = await startApp({ greenway: { ...testConfig().greenway, networkFile, facilitiesFile, requiredTypes: ['station', 'clinic'], crowding }, security: { ...testConfig().security, adminOpsPerMinute: 60_000 } })
})
afterAll(async () => {
  await s.stop()
  rmSync(files, { recursive: true, force: true })
})

const v1 = (p: string, init?: RequestInit) => api(s, `/api/v1${p}`, init)
const getJson = async <T>(p: string) => await (await v1(p)).json() as T
async function postJson(p: string, body: unknown) {
  const res = await v1(p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: res.status, body: await res.json() as Record<string, unknown> }
}
const cityRow = async () => (await getJson<{ rows: CoverageRow[] }>('/coverage?level=city')).rows[0]!

async function subscribe(c: TestClient): Promise<GreenwaySnapshot> {
  const res: Ack<GreenwaySnapshot> = await c.timeout(5000).emitWithAck('greenway:subscribe', {})
  if (!res.ok) throw new Error(res.error)
  return res.data
}
const next = <T>(c: TestClient, event: 'greenway:coverage' | 'footfall:updated', pred: (x: T) => boolean = () => true) => nextEvent<T>(c, event, pred)

describe('greenway network and coverage over HTTP', () => {
  it('serves the network as GeoJSON with name, tier, status and geodesic length', async () => {
    const fc = await getJson<GeoJSON.FeatureCollection & { metadata: { version: number } }>('/greenways')
    expect(fc.type).toBe('FeatureCollection')
    expect(fc.features.map(f => f.properties)).toEqual([
      expect.objectContaining({ id: 'seg-a', name: '测试绿道A段', tier: 'city', status: 'built' }),
      expect.objectContaining({ id: 'seg-b', status: 'planned' }),
    ])
    // 0.03° of longitude at 30.66°N ≈ 2.876 km
    expect(fc.features[0]!.properties!.lengthKm).toBeCloseTo(2.876, 2)
    const fac = await getJson<GeoJSON.FeatureCollection>('/facilities')
    expect(fac.features).toHaveLength(3)
  })

  it('answers one row per unit and level, shares between 0 and 1, summing to the city', async () => {
    const districts = await getJson<{ rows: CoverageRow[] }>('/coverage?level=district')
    expect(districts.rows).toHaveLength(20)
    for (const r of districts.rows) {
      expect(r).toMatchObject({ code: expect.stringMatching(/^5101\d\d$/), name: expect.any(String), population: expect.any(Number) })
      for (const v of [r.greenway500, r.greenway1000, r.serviceAll, ...Object.values(r.service)]) expect(v >= 0 && v <= 1).toBe(true)
    }
    const city = await cityRow()
    expect(city.population).toBe(21_190_000)
    const covered = districts.rows.reduce((a, r) => a + r.population - r.uncovered1000, 0)
    expect(covered).toBe(city.population - city.uncovered1000)
    expect(city.greenway1000).toBeGreaterThan(0)
    expect(city.builtKm).toBeCloseTo(2.876, 2)
    const streets = (await getJson<{ rows: CoverageRow[] }>('/coverage?level=street')).rows
    expect(streets).toHaveLength(261)
    const communities = (await getJson<{ rows: CoverageRow[] }>(`/coverage?level=community&parent=${streets[0]!.code}`)).rows
    expect(communities.length).toBeGreaterThan(0)
    expect(communities.every(r => r.parent === streets[0]!.code)).toBe(true)
    expect(communities.reduce((a, r) => a + r.population, 0)).toBe(streets[0]!.population)
  })

  it('refuses a bad level with a 400 naming the field', async () => {
    const res = await v1('/coverage?level=planet')
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: 'invalid query', details: [{ path: 'level' }] })
  })

  it('serves coverage cells dissolved by band', async () => {
    const fc = await getJson<GeoJSON.FeatureCollection>('/coverage/cells?measure=greenway')
    expect(new Set(fc.features.map(f => f.properties!.band))).toEqual(new Set([0, 1]))
    expect(fc.features[0]!.geometry.type).toBe('MultiPolygon')
  })
})

describe('changes through the greenway ingest path', () => {
  it('judges each change alone, naming the field, and answers duplicates', async () => {
    const at = new Date().toISOString()
    const res = await postJson('/greenway/events', {
      events: [
        { id: 'chg-1', kind: 'segment-status', segment: 'seg-b', status: 'sideways', at },
        { id: 'chg-2', kind: 'segment-status', segment: 'nope', status: 'built', at },
        { id: 'chg-3', kind: 'facility-added', facility: { id: 'f-far', name: '重庆', type: 'clinic', lon: 106.55, lat: 29.56 }, at },
        { id: 'chg-4', kind: 'facility-status', facility: 'f-park', status: 'open', at },
        { id: 'chg-4', kind: 'facility-status', facility: 'f-park', status: 'open', at },
      ],
    })
    expect(res.status).toBe(200)
    const results = res.body.results as { id: string, status: string, error?: string }[]
    expect(results.map(r => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'stored', 'duplicate'])
    expect(results[0]!.error).toMatch(/^status:/)
    expect(results[1]!.error).toMatch(/^segment: no greenway segment "nope"/)
    expect(results[2]!.error).toMatch(/outside 成都市/)
    expect((await postJson('/greenway/events', { events: [] })).status).toBe(400)
  })

  it('pushes the new figures to a subscribed client when a segment status changes', async () => {
    const c = client(s.url)
    try {
      const snap = await subscribe(c)
      expect(snap.city.greenway500).toBeGreaterThan(0)
      const pushed = next<CoveragePush>(c, 'greenway:coverage', p => p.segments.some(x => x.id === 'seg-a'))
      const res = await postJson('/greenway/events', { events: [{ id: 'chg-a-down', kind: 'segment-status', segment: 'seg-a', status: 'under_construction', at: new Date().toISOString() }] })
      expect(res.body.results).toEqual([{ id: 'chg-a-down', status: 'stored' }])
      const push = await pushed
      expect(push.segments).toContainEqual({ id: 'seg-a', status: 'under_construction' })
      expect(push.version).toBeGreaterThan(snap.version)
      expect(push.fromVersion).toBeLessThanOrEqual(snap.version)
      // seg-b is only planned: nobody is near a built greenway any more
      expect(push.city).toMatchObject({ greenway500: 0, greenway1000: 0, builtKm: 0, uncovered1000: 21_190_000 })
      expect(push.network.km.city.under_construction).toBeCloseTo(2.876, 2)
      expect(push.districts.map(d => d.code)).toContain('510104')
      expect(push.city).toEqual(await cityRow()) // the push and the HTTP answer agree
      const fc = await getJson<GeoJSON.FeatureCollection>('/greenways')
      expect(fc.features[0]!.properties!.status).toBe('under_construction')

      // a change stamped earlier than the one applied is stored but does not win
      const stale = await postJson('/greenway/events', { events: [{ id: 'chg-a-old', kind: 'segment-status', segment: 'seg-a', status: 'built', at: '2020-01-01T00:00:00+08:00' }] })
      expect(stale.body.results).toEqual([{ id: 'chg-a-old', status: 'stored' }])
      expect((await cityRow()).greenway500).toBe(0)

      const back = next<CoveragePush>(c, 'greenway:coverage', p => p.segments.some(x => x.id === 'seg-a' && x.status === 'built'))
      await postJson('/greenway/events', { events: [{ id: 'chg-a-up', kind: 'segment-status', segment: 'seg-a', status: 'built', at: new Date().toISOString() }] })
      expect((await back).city.greenway500).toBe(snap.city.greenway500)
    } finally {
      c.close()
    }
  })

  it('pushes the service circle when a facility opens', async () => {
    const c = client(s.url)
    try {
      const snap = await subscribe(c)
      const pushed = next<CoveragePush>(c, 'greenway:coverage', p => p.facilities.some(f => f.id === 'f-new'))
      await postJson('/greenway/events', { events: [{ id: 'chg-f-new', kind: 'facility-added', facility: { id: 'f-new', name: '新诊所', type: 'clinic', lon: 104.0657, lat: 30.71 }, at: new Date().toISOString() }] })
      const push = await pushed
      expect(push.facilities).toEqual([expect.objectContaining({ id: 'f-new', status: 'open', type: 'clinic' })])
      expect(push.city.service.clinic).toBeGreaterThan(snap.city.service.clinic)
    } finally {
      c.close()
    }
  })

  it('keeps applied changes across a restart', async () => {
    await postJson('/greenway/events', { events: [{ id: 'chg-b-built', kind: 'segment-status', segment: 'seg-b', status: 'built', at: new Date().toISOString() }] })
    const before = await cityRow()
    s = await s.restart()
    expect(await cityRow()).toEqual(before)
    const fc = await getJson<GeoJSON.FeatureCollection>('/greenways')
    expect(fc.features[1]!.properties!.status).toBe('built')
  })
})

describe('reloading the configured files', () => {
  it('refuses a bad file naming the feature and the field, and keeps the previous data', async () => {
    const before = await getJson<GeoJSON.FeatureCollection>('/greenways')
    writeJson(files, 'net.geojson', networkFc(fc => { fc.features[1]!.properties.status = 'finished' }))
    const res = await v1('/greenway/reload', { method: 'POST', headers: { 'x-requested-with': 'test' } })
    expect(res.status).toBe(422)
    const body = await res.json() as { error: string, details: { path: string, message: string }[] }
    expect(body.details[0]).toEqual({ path: 'features.1.properties.status', message: expect.stringMatching(/^feature 1 \("seg-b"\): properties\.status: /) })
    expect(body.error).toContain('net.geojson')
    expect(await getJson<GeoJSON.FeatureCollection>('/greenways')).toEqual(before)
    expect((await getJson<{ info: { lastError: string } }>('/greenway/summary')).info.lastError).toMatch(/seg-b/)

    writeJson(files, 'net.geojson', networkFc(fc => { fc.features[0]!.geometry.coordinates = [[104.05, 30.6574], [106.55, 29.56]] }))
    const outside = await (await v1('/greenway/reload', { method: 'POST', headers: { 'x-requested-with': 'test' } })).json() as { details: { path: string, message: string }[] }
    expect(outside.details[0]).toEqual({ path: 'features.0.geometry.coordinates.1', message: expect.stringMatching(/feature 0 \("seg-a"\).*outside 成都市/) })
  })

  it('takes a good file, tells live clients to refetch, and replays the stored changes', async () => {
    const c = client(s.url)
    try {
      await subscribe(c)
      writeJson(files, 'net.geojson', networkFc(fc => { fc.features[0]!.properties.name = '改名绿道' }))
      const reset = next<CoveragePush>(c, 'greenway:coverage', p => p.reset)
      const res = await v1('/greenway/reload', { method: 'POST', headers: { 'x-requested-with': 'test' } })
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ ok: true, segments: 2, facilities: 3 })
      expect((await reset).districts).toHaveLength(20)
      const fc = await getJson<GeoJSON.FeatureCollection>('/greenways')
      expect(fc.features[0]!.properties!.name).toBe('改名绿道')
      expect(fc.features[1]!.properties!.status).toBe('built') // chg-b-built replayed over the file's "planned"
    } finally {
      c.close()
    }
  })
})

describe('footfall', () => {
  it('stores readings once, rejects bad ones by field, pushes the live state and raises a crowding alarm', async () => {
    const c = client(s.url)
    try {
      await subscribe(c)
      const at = new Date().toISOString()
      const state = next<FootfallState>(c, 'footfall:updated', f => f.crowded.length > 0)
      const res = await postJson('/footfall', {
        readings: [
          { sensor: 'ff-1', segment: 'seg-a', count: 70, at },
          { sensor: 'ff-2', segment: 'seg-a', count: 45, at },
          { sensor: 'ff-1', segment: 'seg-a', count: 70, at },
          { sensor: 'ff-3', segment: 'nope', count: 1, at },
          { sensor: 'ff-4', segment: 'seg-a', count: -3, at },
          { sensor: 'ff-5', segment: 'seg-a', count: 1, at: '2999-01-01T00:00:00+08:00' },
        ],
      })
      expect((res.body.results as { status: string }[]).map(r => r.status)).toEqual(['stored', 'stored', 'duplicate', 'rejected', 'rejected', 'rejected'])
      expect((res.body.results as { error?: string }[])[4]!.error).toMatch(/^count:/)
      const live = await state
      expect(live.bySegment).toEqual({ 'seg-a': 115 })
      expect(live.total).toBe(115)
      expect(live.trend.reduce((a, b) => a + b, 0)).toBe(115)
      expect(live.crowded).toEqual([expect.objectContaining({ segment: 'seg-a', name: '改名绿道', visitors: 115, threshold: 100 })])
      expect(await getJson<FootfallState>('/footfall')).toMatchObject({ total: 115 })
      expect((await postJson('/footfall', { readings: 'many' })).status).toBe(400)
    } finally {
      c.close()
    }
  })
})

describe('a city without greenway data (Dazhou 通川区)', () => {
  it('serves an empty network and zero coverage', async () => {
    const d = await startApp({ city: 'dazhou-tongchuan' })
    try {
      const fc = await (await api(d, `/api/v1/greenways`)).json() as GeoJSON.FeatureCollection & { metadata: { networkFile: string | null } }
      expect(fc.features).toEqual([])
      expect(fc.metadata.networkFile).toBeNull()
      const rows = (await (await api(d, `/api/v1/coverage?level=street`)).json() as { rows: CoverageRow[] }).rows
      expect(rows).toHaveLength(18) // 5 街道, 12 镇, 1 乡
      expect(rows.every(r => r.greenway1000 === 0 && r.serviceAll === 0 && r.population > 0)).toBe(true)
      const c = client(d.url)
      try {
        expect((await subscribe(c)).network.segments).toBe(0)
      } finally {
        c.close()
      }
    } finally {
      await d.stop()
    }
  })
})
