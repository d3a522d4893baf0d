import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Incident, IncidentSummary } from '../../shared/incident.js'
import { api, inputIn, post, type Running, startApp, TEST_ADMIN } from './harness.js'

let s: Running
beforeAll(async () => { s = await startApp({ rules: { duplicate: { radiusM: 100, windowMinutes: 60 }, burst: { threshold: 50, windowMinutes: 30 } } }) })
afterAll(async () => { await s.stop() })

async function act(id: string, body: Record<string, unknown>) {
  const res = await api(s, `/api/v1/incidents/${id}/actions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ actor: 'op-1', ...body }) })
  return { status: res.status, body: await res.json() as Record<string, unknown> }
}
const get = async <T>(path: string) => (await api(s, `${path}`)).json() as Promise<T>

async function until<T>(probe: () => Promise<T | null | undefined>, ms = 3000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await probe()
    if (v) return v
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise(r => setTimeout(r, 30))
  }
}

describe('escalation: 催办 and 督办', () => {
  it('are audited, counted on the case and refused before dispatch', async () => {
    const input = inputIn(s.app, '510105', { category: '0102' })
    await post(s.url, { events: [input] })
    expect((await act(input.id, { action: 'remind', version: 1 })).status).toBe(409)
    await act(input.id, { action: 'file', version: 1 })
    await act(input.id, { action: 'dispatch', version: 2 })
    expect((await act(input.id, { action: 'remind', version: 3, note: '请尽快处置' })).status).toBe(200)
    expect((await act(input.id, { action: 'escalate', version: 4, note: '区督办' })).status).toBe(200)
    const c = await get<Incident>(`/api/v1/incidents/${input.id}`)
    expect(c).toMatchObject({ status: 'dispatched', reminders: 1 })
    expect(c.escalatedAt).toBeTruthy()
    const trail = await get<{ action: string, actor: string, note?: string }[]>(`/api/v1/incidents/${input.id}/events`)
    expect(trail.slice(-2)).toMatchObject([{ action: 'remind', actor: TEST_ADMIN, note: '请尽快处置' }, { action: 'escalate', note: '区督办' }])
    const league = await get<{ rows: { key: string, reminders: number, escalated: number, open: number }[] }>('/api/v1/league?scope=district:510105')
    expect(league.rows.find(r => r.key === '环卫')).toMatchObject({ reminders: 1, escalated: 1, open: 1 })
  })
})

describe('duplicates: proposed, confirmed by an operator, counted once', () => {
  it('proposes a 12345 call near a grid worker\'s report and merges it on confirmation', async () => {
    const first = inputIn(s.app, '510106', { category: '0103', source: 'grid_worker' })
    const call = { ...inputIn(s.app, '510106', { category: '0103', source: 'hotline_12345' }), lon: first.lon + 0.0002, lat: first.lat }
    const other = { ...inputIn(s.app, '510106', { category: '0103', source: 'grid_worker' }), lon: first.lon, lat: first.lat + 0.0001 }
    await post(s.url, { events: [first] })
    await post(s.url, { events: [call, other] })
    const proposed = await until(async () => {
      const c = await get<Incident>(`/api/v1/incidents/${call.id}`)
      return c.duplicateOf ? c : null
    })
    expect(proposed).toMatchObject({ duplicateOf: first.id, status: 'reported', version: 2 })
    // same channel as the first: not a proposal
    expect((await get<Incident>(`/api/v1/incidents/${other.id}`)).duplicateOf).toBeUndefined()

    const before = await get<{ counts: { reported: number } }>('/api/v1/kpis?scope=district:510106')
    const merged = await act(call.id, { action: 'merge', version: 2 })
    expect(merged.status, JSON.stringify(merged.body)).toBe(200)
    expect(merged.body).toMatchObject({ status: 'merged', mergedInto: first.id })
    expect(merged.body.duplicateOf).toBeUndefined()
    const linked = await get<IncidentSummary[]>(`/api/v1/incidents/${first.id}/merged`)
    expect(linked.map(i => i.id)).toEqual([call.id])
    const after = await get<{ counts: { reported: number } }>('/api/v1/kpis?scope=district:510106')
    expect(after.counts.reported).toBe(before.counts.reported - 1)
  })

  it('lets an operator dismiss a proposal, and refuses to merge without one', async () => {
    const first = inputIn(s.app, '510107', { category: '0104', source: 'grid_worker' })
    const call = { ...inputIn(s.app, '510107', { category: '0104', source: 'citizen_app' }), lon: first.lon, lat: first.lat }
    await post(s.url, { events: [first] })
    await post(s.url, { events: [call] })
    await until(async () => (await get<Incident>(`/api/v1/incidents/${call.id}`)).duplicateOf)
    expect((await act(call.id, { action: 'dismiss-duplicate', version: 2 })).body).toMatchObject({ status: 'reported', version: 3 })
    const refused = await act(call.id, { action: 'merge', version: 3 })
    expect(refused.status).toBe(400)
    expect(refused.body).toMatchObject({ details: [{ path: 'into' }] })
    expect((await act(first.id, { action: 'merge', version: 1, into: first.id })).status).toBe(400)
  })
})

describe('citizen feedback and KPIs', () => {
  it('takes one verdict on a closed public report and counts it in 群众满意率', async () => {
    const input = inputIn(s.app, '510108', { category: '0102', source: 'hotline_12345', reporter: { name: '王先生', phone: '13812345678' } })
    await post(s.url, { events: [input] })
    let v = 1
    for (const a of ['file', 'dispatch', 'handle', 'verify-pass', 'close']) expect((await act(input.id, { action: a, version: v++ })).status).toBe(200)
    expect((await act(input.id, { action: 'feedback', version: v })).status).toBe(400)
    expect((await act(input.id, { action: 'feedback', version: v++, satisfied: true })).status).toBe(200)
    expect((await act(input.id, { action: 'feedback', version: v, satisfied: false })).status).toBe(409)
    type Indicator = { id: string, value: number | null, numerator: number, denominator: number | null }
    const k = await get<{ counts: Record<string, number>, indicators: Indicator[] }>('/api/v1/kpis?scope=district:510108')
    expect(k.counts).toMatchObject({ reported: 1, judged: 1, filed: 1, closed: 1, closedOnTime: 1, feedbackTotal: 1, feedbackSatisfied: 1 })
    const byId = Object.fromEntries(k.indicators.map(i => [i.id, i]))
    expect(byId.satisfactionRate).toEqual({ id: 'satisfactionRate', value: 1, numerator: 1, denominator: 1 })
    expect(byId.closureRate).toEqual({ id: 'closureRate', value: 1, numerator: 1, denominator: 1 })
    expect(byId.onTimeClosureRate!.value).toBe(1)
    expect(byId.meanHandlingHours!.value).toBeGreaterThanOrEqual(0)
  })

  it('names the bad field of a KPI query', async () => {
    const res = await api(s, `/api/v1/kpis?scope=district:999999`)
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ details: [{ path: 'scope' }] })
    const bad = await api(s, `/api/v1/league?by=planet`)
    expect(await bad.json()).toMatchObject({ details: [{ path: 'by' }] })
    for (const [query, field] of [['from=yesterday', 'from'], ['to=2026-13-01T00:00:00Z', 'to'], ['from=2026-06-02T00:00:00Z&to=2026-06-01T00:00:00Z', 'to'], ['scope=district:abc', 'scope']]) {
      const r = await api(s, `/api/v1/kpis?${query}`)
      expect(r.status, query).toBe(400)
      expect(await r.json(), query).toMatchObject({ details: [{ path: field }] })
    }
  })
})

describe('case queue', () => {
  it('lists open cases in scope, newest first, without personal data', async () => {
    const a = inputIn(s.app, '510112', { reportedAt: new Date(Date.now() - 60_000).toISOString(), source: 'citizen_app', reporter: { name: '李女士', phone: '13900001111' } })
    const b = inputIn(s.app, '510112', { category: '0201' })
    await post(s.url, { events: [a, b] })
    const { cases: list, nextCursor } = await get<{ cases: (IncidentSummary & { reporter?: unknown })[], nextCursor: string | null }>('/api/v1/cases?scope=district:510112')
    expect(list.map(i => i.id)).toEqual([b.id, a.id])
    expect(nextCursor).toBeNull()
    expect(list.every(i => i.reporter === undefined)).toBe(true)
  })
})
