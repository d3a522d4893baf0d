import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alarm } from '../../shared/alarms.js'
import type { SourcesResponse, SourceView } from '../../shared/sources.js'
import { api, pointIn } from './harness.js'
import { type MqttRunning, startMqttApp, until } from './mqtt-harness.js'

// the app's clock is the test's: a device's silence is a step of it, not a wait
let clock = Date.parse('2026-12-07T08:00:00Z')
let s: MqttRunning
beforeAll(async () => { s = await startMqttApp({}, { now: () => clock, sourceSweepMs: 3_600_000 }) })
afterAll(async () => { await s.stop() })

async function source(id: string): Promise<SourceView | undefined> {
  const r = await (await api(s, `/api/v1/sources`)).json() as SourcesResponse
  return r.sources.find(x => x.id === id)
}

describe('MQTT devices in GET /api/v1/sources', () => {
  it('counts a real device: accepted, dropped by reason, silent → 设备离线, heard again → resolved', async () => {
    const { lon, lat } = pointIn(s.app, '510104')
    const password = await s.addDevice({ id: 'wl-77', kind: 'water-level', scope: 'district:510104', intervalS: 120, lon, lat })
    const c = await s.connect('wl-77', password)
    await c.publishAsync(s.topic('wl-77', 'event'), JSON.stringify({ id: 'm1', category: '0406', description: '路面积水' }), { qos: 1 })
    // registered after the server read its device list: it shows up with its first message
    await until(async () => (await source('device:wl-77'))?.registered === true, 'the device listed')
    await c.publishAsync(s.topic('wl-77', 'reading'), JSON.stringify({ at: new Date(clock).toISOString(), waterLevelCm: 5000 }), { qos: 1 })
    // under another device's topic: the broker closes that connection (no PUBACK), and counts it
    const forger = await s.connect('wl-77', password)
    const gone = new Promise<void>(resolve => forger.once('close', () => resolve()))
    forger.publish(s.topic('wl-99', 'event'), JSON.stringify({ id: 'm2', category: '0406' }), { qos: 1 })
    await gone
    await until(async () => (await source('device:wl-77'))?.rejected === 2, 'two drops counted')
    expect(await source('device:wl-77')).toMatchObject({
      kind: 'device', label: 'water-level', scope: 'district:510104', channel: 'iot_sensor', expectedIntervalSec: 120,
      accepted: 1, rejects: { 'schema:waterLevelCm': 1, acl: 1 }, online: true, lastSeenAt: new Date(clock).toISOString(),
    })

    clock += 121_000
    s.app.sources.registry.sweep()
    await s.app.sources.settled()
    const open = await (await api(s, `/api/v1/alarms?scope=city`)).json() as Alarm[]
    const alarm = open.find(a => a.kind === 'device_offline')
    expect(alarm).toMatchObject({ sourceId: 'device:wl-77', district: '510104', lon, lat })
    expect(await source('device:wl-77')).toMatchObject({ online: false, offlineReason: 'silent' })

    await c.publishAsync(s.topic('wl-77', 'reading'), JSON.stringify({ at: new Date(clock).toISOString(), waterLevelCm: 3 }), { qos: 1 })
    await s.app.sources.settled()
    await until(async () => !(await (await api(s, `/api/v1/alarms?scope=city`)).json() as Alarm[]).some(a => a.id === alarm!.id), 'the alarm resolved')
    expect(await source('device:wl-77')).toMatchObject({ online: true, accepted: 2 })
  })

  it('an outage still open across a restart is resolved when the device is heard after it', async () => {
    clock += 121_000
    s.app.sources.registry.sweep()
    await s.app.sources.settled()
    const openAlarms = async () => (await (await api(s, `/api/v1/alarms?scope=city`)).json() as Alarm[]).filter(a => a.kind === 'device_offline')
    expect(await openAlarms()).toHaveLength(1)
    const after = await s.restart()
    s = { ...s, ...after }
    expect(await source('device:wl-77')).toMatchObject({ online: false, registered: true })
    s.app.sources.mqttCallbacks().onAccepted('wl-77', 1) // heard, as the broker reports it
    await until(async () => (await openAlarms()).length === 0, 'the old outage resolved')
  })
})
