import { io as connect } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ActResult } from '../../shared/events.js'
import { api, inputIn, post, type Running, startApp, type TestClient } from './harness.js'

let s: Running
beforeAll(async () => { s = await startApp() })
afterAll(async () => { await s.stop() })

const display = (token: string): TestClient => connect(s.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { display: token } })
const connected = (c: TestClient) => new Promise<void>((resolve, reject) => { c.once('connect', resolve); c.once('connect_error', reject) })

async function createLink(scope: string) {
  const res = await api(s, `/api/v1/display-links`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scope, label: '锦江区指挥大厅' }) })
  return { status: res.status, body: await res.json() as { id: string, token: string, url: string, scope: string } }
}

describe('display links: read-only, revocable, limited to a scope', () => {
  it('opens a district wall and nothing beyond it', async () => {
    const { status, body: link } = await createLink('district:510104')
    expect(status).toBe(201)
    expect(link.url).toBe(`/wall?display=${encodeURIComponent(link.token)}&district=510104`)
    const c = display(link.token)
    await connected(c)
    expect(await c.timeout(2000).emitWithAck('scope:subscribe', { scope: 'district:510104' })).toMatchObject({ ok: true })
    expect(await c.timeout(2000).emitWithAck('scope:subscribe', { scope: 'city' })).toMatchObject({ ok: false, status: 403, error: 'outside your scope' })
    expect(await c.timeout(2000).emitWithAck('scope:subscribe', { scope: 'district:510105' })).toMatchObject({ ok: false, status: 403, error: 'outside your scope' })

    const input = inputIn(s.app, '510104')
    await post(s.url, { events: [input] })
    const act: ActResult = await c.timeout(2000).emitWithAck('incident:act', { id: input.id, action: 'file', version: 1, actor: 'wall' })
    expect(act).toMatchObject({ ok: false, status: 403 })
    expect((await s.app.repo.getIncident(input.id))?.status).toBe('reported')
    expect(await c.timeout(2000).emitWithAck('alarm:ack', { id: 1, actor: 'wall' })).toMatchObject({ ok: false })

    const h = { 'x-display-link': link.token }
    expect((await api(s, `/api/v1/kpis?scope=district:510104`, { headers: h })).status).toBe(200)
    expect((await api(s, `/api/v1/kpis?scope=city`, { headers: h })).status).toBe(403)
    expect((await api(s, `/api/v1/incidents/${input.id}`, { headers: h })).status).toBe(403)
    expect((await api(s, `/api/v1/events`, { method: 'POST', headers: { ...h, 'content-type': 'application/json' }, body: '{"events":[]}' })).status).toBe(403)
    expect((await api(s, `/api/v1/kpis`, { headers: { 'x-display-link': 'nope' } })).status).toBe(401)

    // revoking disconnects the wall and keeps it out
    const gone = new Promise<string>(resolve => c.once('disconnect', reason => resolve(reason)))
    const revoked = await api(s, `/api/v1/display-links/${link.id}`, { method: 'DELETE', headers: { 'x-requested-with': 'test' } })
    expect(await revoked.json()).toMatchObject({ id: link.id, revokedAt: expect.any(String) as string })
    expect(await gone).toBe('io server disconnect')
    await expect(connected(display(link.token))).rejects.toThrow(/revoked/)
    expect((await api(s, `/api/v1/kpis?scope=district:510104`, { headers: h })).status).toBe(401)
    const list = await (await api(s, `/api/v1/display-links`)).json() as { id: string, token?: string }[]
    expect(list.find(l => l.id === link.id)).toBeDefined()
    expect(list.every(l => l.token === undefined)).toBe(true)
  })

  it('names the bad field when a link is created for an unknown scope', async () => {
    const { status, body } = await createLink('district:999999')
    expect(status).toBe(400)
    expect(body).toMatchObject({ details: [{ path: 'scope' }] })
  })
})
