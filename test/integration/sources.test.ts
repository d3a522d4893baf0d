import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alarm, AlarmResolved } from '../../shared/alarms.js'
import type { Ack } from '../../shared/events.js'
import type { SourcesResponse, SourceView } from '../../shared/sources.js'
import { postRequest } from './open311-client.js'
import { api, client, inputIn, pointIn, post, nextInBatch, type Running, startApp, subscribe, type TestClient } from './harness.js'

const KEY_12345 = 'key-12345-platform'
let s: Running
// the app's clock starts at the real minute: reports carry the real time (test/fixtures), and live ingest takes only
// reportedAt within minutes of the app's clock (issue #14)
let clock = Math.floor(Date.now() / 60_000) * 60_000
beforeAll(async () => {
  s = await startApp({ open311: { apiKeys: [{ key: 'key-citizen-app', source: 'citizen_app' }, { key: KEY_12345, source: 'hotline_12345' }] } },
    { now: () => clock, sourceSweepMs: 3_600_000 }) // the test sweeps itself, on its own clock
})
afterAll(async () => { await s.stop() })

async function sources(): Promise<SourcesResponse> {
  const res = await api(s, `/api/v1/sources`)
  expect(res.status).toBe(200)
  return await res.json() as SourcesResponse
}
const byId = (r: SourcesResponse, id: string): SourceView | undefined => r.sources.find(x => x.id === id)

const next = <T>(c: TestClient, event: 'alarm:raised' | 'alarm:resolved', pred: (x: T) => boolean = () => true) => nextInBatch<T>(c, event, pred)

describe('GET /api/v1/sources', () => {
  it('lists the configured Open311 keys before they send, never the key itself', async () => {
    const r = await sources()
    expect(r).toMatchObject({ now: new Date(clock).toISOString(), windowSec: 60 })
    expect(byId(r, 'open311:2')).toMatchObject({ kind: 'open311', channel: 'hotline_12345', accepted: 0, rejected: 0, rejects: {}, lastSeenAt: null, online: null })
    expect(JSON.stringify(r)).not.toContain(KEY_12345)
  })

  it('counts POST /api/v1/events under who sent it (a session: hand entry), each rejection by field, and refused requests whole', async () => {
    const good = [inputIn(s.app, '510104'), inputIn(s.app, '510104', { source: 'hotline_12345' })]
    const badLat = { ...inputIn(s.app, '510104'), lat: 200 }
    const outside = inputIn(s.app, '510104', { lon: 100, lat: 20 })
    const res = await post(s.url, { events: [...good, good[0], badLat, outside] })
    expect(res.status).toBe(200)
    expect((await post(s.url, { nope: 1 })).status).toBe(400)
    const r = await sources()
    // an operator's (here the test admin's) session: entered by hand; the duplicate is acknowledged, so accepted
    expect(byId(r, 'http:hand')).toMatchObject({ kind: 'http', accepted: 3, rejected: 2, messagesPerMin: 5, rejects: { 'schema:lat': 1, 'outside-city': 1 }, lastSeenAt: new Date(clock).toISOString() })
    expect(byId(r, 'http:unknown')).toMatchObject({ rejected: 1, rejects: { 'schema:events': 1 } })
  })

  it('counts Open311 submissions per key: accepted, refused by field, unknown keys', async () => {
    const { lon, lat } = pointIn(s.app, '510104')
    const form = { api_key: KEY_12345, service_code: '0101', lat: String(lat), long: String(lon), description: '路灯不亮' }
    expect((await postRequest(s.url, 'json', form)).status).toBe(200)
    expect((await postRequest(s.url, 'json', { ...form, lat: '95' })).status).toBe(400)
    expect((await postRequest(s.url, 'json', { ...form, service_code: '' })).status).toBe(400)
    expect((await postRequest(s.url, 'json', { ...form, api_key: 'wrong-key-123' })).status).toBe(403)
    const r = await sources()
    expect(byId(r, 'open311:2')).toMatchObject({ accepted: 1, rejected: 2, rejects: { 'schema:lat': 1, 'schema:service_code': 1 } })
    expect(byId(r, 'open311:unknown')).toMatchObject({ kind: 'open311', rejects: { auth: 1 } })
    expect(byId(r, 'open311:1')).toMatchObject({ accepted: 0 })
  })
})

describe('设备离线 alarm', () => {
  it('raises one alarm per outage when a device falls silent, and resolves it when the device is heard again', async () => {
    const devices = s.app.sources.devices
    const registry = s.app.sources.registry
    const console = client(s.url)
    await subscribe(console, { scope: 'city' })
    devices.onRegistered({ deviceId: 'wl-0042', kind: 'water-level', scope: 'district:510104', expectedIntervalSec: 300 })
    devices.onAccepted('wl-0042')
    expect(byId(await sources(), 'device:wl-0042')).toMatchObject({ kind: 'device', scope: 'district:510104', online: true })

    clock += 299_000
    registry.sweep()
    await s.app.sources.settled()
    const list = async () => (await console.timeout(2000).emitWithAck('alarm:list', { scope: 'city' }) as Ack<Alarm[]>)
    expect(await list()).toMatchObject({ ok: true, data: [] })

    const raised = next<Alarm>(console, 'alarm:raised', a => a.kind === 'device_offline')
    clock += 2_000
    registry.sweep()
    const alarm = await raised
    expect(alarm).toMatchObject({ kind: 'device_offline', sourceId: 'device:wl-0042', sourceLabel: 'water-level', district: '510104', incidentId: null, category: '' })
    expect(byId(await sources(), 'device:wl-0042')).toMatchObject({ online: false, offlineReason: 'silent' })

    // still silent: the next checks raise nothing more
    clock += 600_000
    registry.sweep()
    registry.sweep()
    await s.app.sources.settled()
    const open = await list()
    expect(open.ok && open.data.filter(a => a.kind === 'device_offline').map(a => a.id)).toEqual([alarm.id])

    const resolved = next<AlarmResolved>(console, 'alarm:resolved', r => r.id === alarm.id)
    devices.onAccepted('wl-0042')
    expect(await resolved).toEqual({ id: alarm.id, resolvedAt: new Date(clock).toISOString() })
    expect(await list()).toMatchObject({ ok: true, data: [] })
    expect(byId(await sources(), 'device:wl-0042')).toMatchObject({ online: true, offlineSince: null })

    // a second outage is a second alarm
    const again = next<Alarm>(console, 'alarm:raised', a => a.kind === 'device_offline')
    devices.onStatus('wl-0042', false)
    expect((await again).id).not.toBe(alarm.id)
    console.disconnect()
  })
})
