import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alarm } from '../../shared/alarms.js'
import type { Ack, ScopeDelta } from '../../shared/events.js'
import type { IncidentInput } from '../../shared/schemas/incident.js'
import { type SubscribeResultWire, unpackDelta, unpackSnapshot } from '../../shared/live-wire.js'
import { api, asUser, inputIn, post, type Running, startApp, type TestClient } from './harness.js'

/** A district user sees nothing of other districts; scope-widening paths and parameters are refused (issue #14). */
const A = '510104'
const B = '510106'
let s: Running
let streetA: string
let reported: IncidentInput

beforeAll(async () => {
  s = await startApp()
  reported = inputIn(s.app, A, { reporter: { name: '张三丰', phone: '13812345678' } })
  expect((await post(s.url, { events: [reported, inputIn(s.app, B)] })).status).toBe(200)
  streetA = (await s.app.repo.getIncident(reported.id))!.street
})
afterAll(async () => { await s?.stop() })

const status = async (r: Promise<Response>) => { const res = await r; await res.arrayBuffer(); return res.status }

describe('paths are normalised before any check', () => {
  it('a district link or user cannot reach city-wide figures by another spelling of the path', async () => {
    const link = await (await api(s, '/api/v1/display-links', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scope: `district:${A}`, label: 'bypass' }) })).json() as { token: string }
    const viaLink = (p: string) => fetch(`${s.url}${p}`, { headers: { 'x-display-link': link.token } })
    const leader = await asUser(s, { role: 'leader', scope: `district:${A}` })
    for (const get of [viaLink, (p: string) => leader.api(p)]) {
      for (const p of ['/api/v1/kpis/?scope=city', '//api/v1/kpis?scope=city', '/api/v1/./kpis?scope=city', '/api/v1/%6bpis?scope=city', '/API/V1/KPIS?scope=city',
        '/api/v1/league/?scope=city', '/api/v1/coverage/', `/api/v1/coverage?level=street&parent=${B}`, '/api/v1/coverage?level=district', '/api/v1/coverage/?level=city',
        `/api/v1/kpis?scope=district:${B}`, '/api/v1/campaigns/?scope=city']) {
        expect(await status(get(p)), p).toBe(403)
      }
      // left out, the scope is narrowed to the caller's own: the same path answers with the district's figures
      const kpis = await (await get('/api/v1/kpis/')).json() as { scope: string }
      expect(kpis.scope).toBe(`district:${A}`)
      const league = await (await get('/api/v1/league/?by=street')).json() as { rows: { key: string }[] }
      expect(league.rows.every(r => s.app.geo.units.get(r.key)?.parent === A)).toBe(true)
    }
  })

  it('//api/… is the API (JSON), not the HTML page; a wrong method is 405 with Allow; an unknown path a JSON 404', async () => {
    const res = await fetch(`${s.url}//api/v1/kpis`)
    expect(res.status).toBe(401)
    expect(res.headers.get('content-type')).toMatch(/json/)
    const wrong = await api(s, '/api/v1/kpis', { method: 'DELETE' })
    expect(wrong.status).toBe(405)
    expect(wrong.headers.get('allow')).toBe('GET, HEAD')
    expect(await status(api(s, '/api/v1/nothing/here'))).toBe(404)
  })
})

describe('personal data masked by role (item 4)', () => {
  const reporterOf = async (u: { api: (p: string) => Promise<Response> }, p: string) => {
    const res = await u.api(p)
    expect(res.status, p).toBe(200)
    const body = await res.json() as { reporter?: unknown, rows?: { id: string, reporter?: unknown }[] }
    return body.rows ? body.rows.find(r => r.id === reported.id)?.reporter : body.reporter
  }
  const clear = { name: '张三丰', phone: '13812345678' }
  const masked = { name: '张**', phone: '138****5678' }

  it('operators and admins of the case\'s scope see name and phone; leaders, analysts and walls see them masked', async () => {
    const one = `/api/v1/incidents/${reported.id}`
    for (const [role, scope, want] of [
      ['admin', 'city', clear], ['operator', 'city', clear], ['operator', `district:${A}`, clear], ['operator', `street:${streetA}`, clear],
      ['leader', 'city', masked], ['leader', `district:${A}`, masked], ['analyst', 'city', masked], ['analyst', `district:${A}`, masked],
    ] as const) {
      const u = await asUser(s, { role, scope })
      expect(await reporterOf(u, one), `${role}@${scope}`).toEqual(want)
    }
    expect(await status((await asUser(s, { role: 'operator', scope: `district:${B}` })).api(one))).toBe(403)
    expect(await status((await asUser(s, { role: 'display', scope: 'city' })).api(one))).toBe(403)
  })

  it('the drill-down case list (what the CSV/GeoJSON exports are built from) carries no reporter for any role', async () => {
    const from = new Date(Date.now() - 86_400_000).toISOString()
    const list = `/api/v1/analysis/incidents?level=district&code=${A}&from=${encodeURIComponent(from)}&pageSize=500`
    for (const [role, scope] of [['admin', 'city'], ['operator', `district:${A}`], ['leader', `district:${A}`], ['analyst', 'city']] as const) {
      const u = await asUser(s, { role, scope })
      let page: { rows: { id: string, reporter?: unknown }[] } | null = null
      for (let i = 0; i < 100 && !page; i++) {
        const res = await u.api(list)
        if (res.status === 503) { await res.arrayBuffer(); await new Promise(r => setTimeout(r, 100)); continue }
        expect(res.status).toBe(200)
        page = await res.json() as { rows: { id: string, reporter?: unknown }[] }
      }
      const row = page?.rows.find(r => r.id === reported.id)
      expect(row, `${role}@${scope}`).toBeDefined()
      expect(row!.reporter).toBeUndefined()
    }
  })
})

describe('a district operator under load (item 8)', () => {
  it('receives 0 foreign events while every district reports (counted)', async () => {
    const op = await asUser(s, { role: 'operator', scope: `district:${A}` })
    const admin = await asUser(s, { role: 'admin', scope: 'city' })
    const mine = op.client()
    const city = admin.client()
    const count = { own: 0, foreign: 0, foreignAlarms: 0, ownAlarms: 0, city: 0, refusedCity: false }
    const ownIds = new Set<string>()
    const onDelta = (d: ScopeDelta) => {
      for (const i of d.incidents) {
        if (i.district === A) { count.own++; ownIds.add(i.id) } else count.foreign++
      }
    }
    mine.on('scope:delta', wire => onDelta(unpackDelta(wire)))
    mine.on('scope:snapshot', wire => { for (const i of unpackSnapshot(wire).recent) if (i.district !== A) count.foreign++ })
    mine.on('alarm:raised', (as: Alarm[]) => { for (const a of as) if (a.district === A) count.ownAlarms++; else count.foreignAlarms++ })
    mine.on('greenway:coverage', () => { count.foreign++ })
    city.on('scope:delta', d => { count.city += d.incidents.n })
    const sub = async (c: TestClient, scope: string) => await c.timeout(5000).emitWithAck('scope:subscribe', { scope }) as Ack<SubscribeResultWire> & { status?: number }
    expect((await sub(mine, `district:${A}`)).ok).toBe(true)
    expect((await sub(mine, `street:${streetA}`)).ok).toBe(true)
    const refused = await sub(mine, 'city')
    count.refusedCity = !refused.ok && refused.status === 403
    // asked as a wall asks (keep: the newest 500), the city is refused all the same
    const refusedAsWall = await mine.timeout(5000).emitWithAck('scope:subscribe', { scope: 'city', keep: 500 }) as Ack<SubscribeResultWire> & { status?: number }
    expect(refusedAsWall).toMatchObject({ ok: false, status: 403 })
    expect((await sub(mine, `district:${B}`)).ok).toBe(false)
    expect((await sub(city, 'city')).ok).toBe(true)

    // ingest across every district, critical ones included (alarms), in batches
    const districts = s.app.geo.districts.map(d => d.code)
    const sent: IncidentInput[] = []
    for (let batch = 0; batch < 20; batch++) {
      const events = Array.from({ length: 100 }, (_, i) => inputIn(s.app, districts[(batch * 100 + i) % districts.length]!, { ...(i % 10 === 0 && { severity: 'critical' as const }) }))
      sent.push(...events)
      const res = await post(s.url, { events })
      expect(res.status).toBe(200)
    }
    const ownSent = sent.filter(e => s.app.geo.locate(e.lon, e.lat)?.district === A).map(e => e.id)
    expect(ownSent.length).toBeGreaterThan(0)
    // wait for every own event (in the district room and the street room) to arrive, not a sleep
    for (let i = 0; i < 200 && !ownSent.every(id => ownIds.has(id)); i++) await new Promise(r => setTimeout(r, 50))
    expect(ownSent.every(id => ownIds.has(id))).toBe(true)
    expect(count.city).toBeGreaterThanOrEqual(sent.length)
    expect(count.refusedCity).toBe(true)
    expect({ foreign: count.foreign, foreignAlarms: count.foreignAlarms }).toEqual({ foreign: 0, foreignAlarms: 0 })
    expect(count.ownAlarms).toBeGreaterThan(0)
    mine.close()
    city.close()
  })
})
