import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeInput } from '../fixtures/incidents.js'
import { api, inputIn, post, type Running, startApp } from './harness.js'

let s: Running
beforeAll(async () => { s = await startApp() })
afterAll(async () => { await s.stop() })

const JINJIANG = '510104'

describe('POST /api/v1/events', () => {
  it('stores events, derives their location codes and acknowledges in order', async () => {
    const a = inputIn(s.app, JINJIANG, { reporter: { name: '王五', phone: '13512345678' } })
    const b = inputIn(s.app, '510181')
    const res = await post(s.url, { events: [a, b] })
    expect(res.status).toBe(200)
    expect(res.body.results).toEqual([{ id: a.id, status: 'stored' }, { id: b.id, status: 'stored' }])
    const got = await (await api(s, `/api/v1/incidents/${a.id}`)).json() as Record<string, unknown>
    expect(got).toMatchObject({ id: a.id, district: JINJIANG, status: 'reported', version: 1, reporter: a.reporter })
    expect(String(got.street)).toMatch(/^510104\d{3}$/)
    expect(String(got.community).startsWith(String(got.street))).toBe(true)
    expect(typeof got.cell).toBe('string')
  })

  it('stores the same id once: the same content again is a duplicate, other content a 409 naming the id', async () => {
    const a = inputIn(s.app, JINJIANG)
    const first = await post(s.url, { events: [a, a] })
    expect(first.body.results).toEqual([{ id: a.id, status: 'stored' }, { id: a.id, status: 'duplicate' }])
    expect((await post(s.url, { events: [a] })).body.results).toEqual([{ id: a.id, status: 'duplicate' }])
    const again = await post(s.url, { events: [{ ...a, description: 'changed' }] })
    expect(again.status).toBe(409)
    expect(again.body.results).toEqual([{ id: a.id, status: 'conflict', error: `id: ${a.id} was already stored with different content` }])
    expect(again.body.details).toEqual([{ path: 'events.0.id', message: expect.stringContaining(a.id) }])
    const got = await (await api(s, `/api/v1/incidents/${a.id}`)).json() as { description: string }
    expect(got.description).toBe(a.description)
  })

  it('rejects bad events one by one, naming the field, and stores the rest', async () => {
    const good = inputIn(s.app, JINJIANG)
    const res = await post(s.url, { events: [{ ...inputIn(s.app, JINJIANG), severity: 'apocalyptic' }, good, makeInput({ lon: 106.55, lat: 29.56 })] })
    const results = res.body.results as { status: string, error?: string }[]
    expect(results.map(r => r.status)).toEqual(['rejected', 'stored', 'rejected'])
    expect(results[0]!.error).toMatch(/^severity:/)
    expect(results[2]!.error).toMatch(/outside/)
  })

  it.each([
    ['not JSON', '{"events": [', 400, '(body)'],
    ['not an object with events', [], 400, '(root)'],
    ['no events', { events: [] }, 400, 'events'],
    ['too many events', { events: Array.from({ length: 1001 }, () => ({})) }, 400, 'events'],
  ])('answers 400 with details for a body that is %s', async (_what, body, status, path) => {
    const res = await post(s.url, body)
    expect(res.status).toBe(status)
    expect(res.body.error).toEqual(expect.any(String))
    expect((res.body.details as { path: string }[])[0]!.path).toBe(path)
  })

  it('answers 413 for an oversized body and keeps serving', async () => {
    const huge = JSON.stringify({ events: [{ description: 'x'.repeat(9 * 1024 * 1024) }] })
    const res = await post(s.url, huge)
    expect(res.status).toBe(413)
    expect((await api(s, `/api/v1/health`)).status).toBe(200)
  })

  it('answers JSON 404s for unknown incidents and endpoints', async () => {
    const a = await api(s, `/api/v1/incidents/nope`)
    expect(a.status).toBe(404)
    expect(await a.json()).toEqual({ error: 'no incident with id nope' })
    expect((await api(s, `/api/v1/nothing`)).status).toBe(404)
  })
})

describe('geography endpoints', () => {
  it('serves city info, the 20 districts and their polygons', async () => {
    const city = await (await api(s, `/api/v1/city`)).json() as { info: { code: string }, districts: unknown[] }
    expect(city.info.code).toBe('5101')
    expect(city.districts).toHaveLength(20)
    const fc = await (await api(s, `/api/v1/geo/district`)).json() as { features: { properties: { code: string } }[] }
    expect(new Set(fc.features.map(f => f.properties.code)).size).toBe(20)
  })

  it('serves streets and communities as polygons and cells as compact rows', async () => {
    const streets = await (await api(s, `/api/v1/geo/street`)).json() as { features: unknown[] }
    expect(streets.features).toHaveLength(261)
    const cells = await (await api(s, `/api/v1/geo/cell`)).json() as { rows: { h3: string }[] }
    expect(cells.rows.length).toBeGreaterThan(10_000)
    const bad = await api(s, `/api/v1/geo/province`)
    expect(bad.status).toBe(400)
  })

  it('lists children of a unit', async () => {
    const streets = await (await api(s, `/api/v1/units/${JINJIANG}/children`)).json() as { level: string, parent: string }[]
    expect(streets.length).toBeGreaterThan(5)
    expect(streets.every(u => u.level === 'street' && u.parent === JINJIANG)).toBe(true)
  })
})
