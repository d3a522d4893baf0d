import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseScope } from '../../shared/scope.js'
import { postRequest } from './open311-client.js'
import { anonymous, api, asUser, inputIn, pointIn, post, type Running, startApp } from './harness.js'

// Ingest credentials (issue #14, item 5): API keys per source system, limited to their sources and scope, each with
// its own rate; operators and admins may enter a report by hand; everyone else is refused.
let s: Running
beforeAll(async () => { s = await startApp() })
afterAll(async () => { await s.stop() })

const bearer = (token: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` })
const stored = async (ids: string[]) => {
  const all = new Set((await s.app.repo.changedSince(0, parseScope('city')!, 1_000_000)).map(i => i.id))
  return ids.filter(id => all.has(id))
}

describe('API keys', () => {
  it('post only their sources inside their scope: anything else is 403 naming the field, and nothing is stored', async () => {
    const key = await s.app.auth.keys.create({ name: 'jinjiang-12345', sources: ['hotline_12345'], scope: 'district:510104' }, 'test')
    expect(key.token).toMatch(/^cbk_[\w-]{43}$/)
    const ok = inputIn(s.app, '510104', { source: 'hotline_12345' })
    const res = await post(s.url, { events: [ok] }, bearer(key.token))
    expect(res.status).toBe(200)
    expect(res.body.results).toEqual([{ id: ok.id, status: 'stored' }])

    const wrongSource = inputIn(s.app, '510104', { source: 'video_ai' })
    const fine = inputIn(s.app, '510104', { source: 'hotline_12345' })
    const a = await post(s.url, { events: [fine, wrongSource] }, bearer(key.token))
    expect(a.status).toBe(403)
    expect(a.body.details).toEqual([{ path: 'events[1].source', message: expect.stringMatching(/may post hotline_12345 only, not video_ai/) }])

    const elsewhere = inputIn(s.app, '510105', { source: 'hotline_12345' })
    const b = await post(s.url, { events: [elsewhere] }, bearer(key.token))
    expect(b.status).toBe(403)
    expect(b.body.details).toEqual([{ path: 'events[0].lon', message: expect.stringMatching(/outside this API key's scope \(district:510104\)/) }])
    expect(await stored([fine.id, wrongSource.id, elsewhere.id])).toEqual([])
  })

  it('are refused when unknown or revoked (401), and are stored only hashed', async () => {
    const key = await s.app.auth.keys.create({ name: 'revoked-one', sources: ['iot_sensor'] }, 'test')
    const input = inputIn(s.app, '510104', { source: 'iot_sensor' })
    expect((await post(s.url, { events: [input] }, bearer(`${key.token}x`))).status).toBe(401)
    expect((await post(s.url, { events: [input] }, { 'content-type': 'application/json', authorization: 'Basic abc' })).status).toBe(401)
    expect(await s.app.repo.auth.apiKeyByTokenHash(key.token)).toBeNull()
    await s.app.auth.keys.revoke(key.id, 'test')
    const res = await post(s.url, { events: [input] }, bearer(key.token))
    expect(res).toMatchObject({ status: 401, body: { error: 'API key invalid or revoked' } })
    expect(await stored([input.id])).toEqual([])
  })

  it('have their own rate limit: 429 + Retry-After beyond it, other keys unaffected; use is audited once an hour', async () => {
    const slow = await s.app.auth.keys.create({ name: 'slow-system', sources: ['citizen_app'], ratePerMin: 4 }, 'test')
    const other = await s.app.auth.keys.create({ name: 'other-system', sources: ['citizen_app'], ratePerMin: 4 }, 'test')
    const batch = (n: number) => ({ events: Array.from({ length: n }, () => inputIn(s.app, '510106', { source: 'citizen_app' })) })
    expect((await post(s.url, batch(3), bearer(slow.token))).status).toBe(200)
    const over = await fetch(`${s.url}/api/v1/events`, { method: 'POST', headers: bearer(slow.token), body: JSON.stringify(batch(2)) })
    expect(over.status).toBe(429)
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(await over.json()).toMatchObject({ error: expect.stringMatching(/rate limit of API key slow-system/) })
    expect((await post(s.url, batch(1), bearer(slow.token))).status).toBe(200) // what is left fits
    expect((await post(s.url, batch(4), bearer(other.token))).status).toBe(200)
    const uses = (await s.app.auth.audit.list({ action: 'key.use', limit: 50 })).filter(r => r.target === slow.id)
    expect(uses).toHaveLength(1)
    expect(uses[0]).toMatchObject({ actor: 'key:slow-system', ip: expect.stringMatching(/127\.0\.0\.1/), detail: { events: 3 } })
  })

  it('work as Open311 api_key beside OPEN311_API_KEYS, with the key\'s scope', async () => {
    const key = await s.app.auth.keys.create({ name: 'open311-app', sources: ['citizen_app'], scope: 'district:510104' }, 'test')
    const form = (lon: number, lat: number) => ({ api_key: key.token, service_code: '0102', lat: String(lat), long: String(lon), description: '人行道上堆着一大堆生活垃圾' })
    const inside = pointIn(s.app, '510104', 3)
    const ok = await postRequest(s.url, 'json', form(inside.lon, inside.lat))
    expect(ok.status).toBe(200)
    const outside = pointIn(s.app, '510107', 3)
    const refused = await postRequest(s.url, 'json', form(outside.lon, outside.lat))
    expect(refused.status).toBe(403)
    expect(JSON.stringify(refused.body)).toMatch(/lat\/long: the point lies outside this API key's scope/)
  })
})

describe('who may post reports', () => {
  it('operators and admins by hand (within their scope); not analysts, leaders, displays or anonymous callers', async () => {
    const op = await asUser(s, { role: 'operator', scope: 'district:510104' })
    const mine = inputIn(s.app, '510104', { source: 'hotline_12345' })
    expect((await op.post({ events: [mine] })).status).toBe(200)
    const theirs = inputIn(s.app, '510105', { source: 'hotline_12345' })
    expect(await op.post({ events: [theirs] })).toMatchObject({ status: 403, body: { details: [{ path: 'events[0].lon' }] } })
    for (const role of ['analyst', 'leader'] as const) {
      expect((await (await asUser(s, { role })).post({ events: [inputIn(s.app, '510104')] })).status).toBe(403)
    }
    const anon = await anonymous(s).post({ events: [inputIn(s.app, '510104')] })
    expect(anon).toMatchObject({ status: 401, body: { error: expect.stringMatching(/API key/) } })
    expect(await stored([theirs.id])).toEqual([])
  })
})

describe('who acted comes from the session', () => {
  it('case actions, alarm acknowledgements and display links are recorded under the logged-in user, whatever the body says', async () => {
    const op = await asUser(s, { role: 'operator', username: 'zhang.wei' })
    const input = inputIn(s.app, '510104', { severity: 'critical', category: '0403' })
    await post(s.url, { events: [input] })
    const res = await op.api(`/api/v1/incidents/${input.id}/actions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'file', version: 1, actor: 'system:dedupe' }) })
    expect(res.status).toBe(200)
    const events = await (await api(s, `/api/v1/incidents/${input.id}/events`)).json() as { actor: string }[]
    expect(events.at(-1)).toMatchObject({ actor: 'zhang.wei' })

    const analyst = await asUser(s, { role: 'analyst' })
    expect((await analyst.api(`/api/v1/incidents/${input.id}/actions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'dispatch', version: 2 }) })).status).toBe(403)
    expect((await anonymous(s).api(`/api/v1/incidents/${input.id}/actions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'dispatch', version: 2 }) })).status).toBe(401)

    const alarm = (await s.app.alarms.open(parseScope('city')!)).find(a => a.incidentId === input.id)!
    const ack = await op.api(`/api/v1/alarms/${alarm.id}/ack`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ actor: 'sim:department' }) })
    expect(await ack.json()).toMatchObject({ ackedBy: 'zhang.wei' })

    const link = await (await op.api('/api/v1/display-links', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scope: 'city', label: '大厅' }) })).json() as { id: string }
    await op.api(`/api/v1/display-links/${link.id}`, { method: 'DELETE', headers: { 'x-requested-with': 'test' } })
    const audit = await s.app.auth.audit.list({ limit: 50 })
    expect(audit.find(a => a.action === 'display-link.issue' && a.target === link.id)).toMatchObject({ actor: 'zhang.wei' })
    expect(audit.find(a => a.action === 'display-link.revoke' && a.target === link.id)).toMatchObject({ actor: 'zhang.wei' })
  })

  it('campaign creation and greenway reloads leave an audit row naming the user', async () => {
    const leader = await asUser(s, { role: 'admin', username: 'li.na' })
    await leader.api('/api/v1/greenway/reload', { method: 'POST', headers: { 'x-requested-with': 'test' } })
    const audit = await s.app.auth.audit.list({ action: 'greenway.reload', limit: 5 })
    expect(audit[0]).toMatchObject({ actor: 'li.na' })
  })
})
