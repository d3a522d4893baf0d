import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, client, pointIn, subscribe, waitForIncident } from './harness.js'
import { closed, type MqttRunning, startMqttApp, until } from './mqtt-harness.js'

let s: MqttRunning
let wlPassword: string
beforeAll(async () => {
  s = await startMqttApp()
  wlPassword = await s.addDevice({ id: 'wl-1', kind: 'water-level', scope: 'district:510104', ...pointIn(s.app, '510104') })
})
afterAll(async () => { await s.stop() })

describe('the embedded MQTT broker: logins', () => {
  it('lets a registered device in with its password and nobody else', async () => {
    const c = await s.connect('wl-1', wlPassword)
    expect(c.connected).toBe(true)
    await c.endAsync()
    await expect(s.connect('wl-1', 'wrong-password')).rejects.toThrow(/Bad username or password/i)
    await expect(s.connect('ghost', wlPassword)).rejects.toThrow(/Bad username or password/i)
    await expect(s.connect('', '')).rejects.toThrow(/Bad username or password/i)
    const pw = await s.addDevice({ id: 'old-1', kind: 'gas', scope: 'city' })
    await s.app.mqtt!.devices.disable('old-1')
    await expect(s.connect('old-1', pw)).rejects.toThrow(/Bad username or password/i)
    expect(s.heard.rejected.filter(r => r.reason === 'bad-credentials').map(r => r.device)).toEqual(['wl-1', 'ghost', '?', 'old-1'])
  })
})

describe('the topic ACL', () => {
  it('grants subscriptions under the device\'s own prefix only', async () => {
    await s.addDevice({ id: 'wl-2', kind: 'water-level', scope: 'city' })
    const c = await s.connect('wl-1', wlPassword)
    const own = await c.subscribeAsync(`city/${s.cityCode}/device/wl-1/#`, { qos: 1 })
    expect(own[0]!.qos).toBe(1)
    for (const filter of [s.topic('wl-2', 'event'), `city/${s.cityCode}/device/+/event`, '#', `city/${s.cityCode}/#`]) {
      // SUBACK 0x80 (failure), which mqtt.js turns into an error; the connection stays
      await expect(c.subscribeAsync(filter, { qos: 1 }), filter).rejects.toThrow(/Subscribe error/)
    }
    expect(c.connected).toBe(true)
    await c.endAsync()
  })

  it('closes the connection of a device that publishes under another device\'s prefix, storing nothing', async () => {
    const c = await s.connect('wl-1', wlPassword)
    const gone = closed(c)
    c.publish(s.topic('wl-2', 'event'), JSON.stringify({ id: 'forged', category: '0406', ...pointIn(s.app, '510104') }), { qos: 1 })
    await gone
    expect(await s.app.repo.getIncident('mqtt:wl-2:forged')).toBeNull()
    expect(s.heard.rejected.at(-1)).toMatchObject({ device: 'wl-1', reason: 'not-own-topic' })
  })
})

describe('a device disabled while connected', () => {
  it('is cut off at its next message, which is not stored', async () => {
    const pw = await s.addDevice({ id: 'gone-1', kind: 'camera', scope: 'city', ...pointIn(s.app, '510104') })
    const c = await s.connect('gone-1', pw)
    await s.app.mqtt!.devices.disable('gone-1')
    const gone = closed(c)
    c.publish(s.topic('gone-1', 'event'), JSON.stringify({ id: 'late', category: '0505' }), { qos: 1 })
    await gone
    expect(await s.app.repo.getIncident('mqtt:gone-1:late')).toBeNull()
    expect(s.heard.rejected.at(-1)).toMatchObject({ device: 'gone-1', reason: 'unknown-device' })
  })
})

describe('events', () => {
  it('stores a device\'s event through the ingest path and pushes it to live consoles', async () => {
    const console = client(s.url)
    try {
      await subscribe(console, { scope: 'city' })
      const c = await s.connect('wl-1', wlPassword)
      const pushed = waitForIncident(console, 'mqtt:wl-1:e-1')
      await c.publishAsync(s.topic('wl-1', 'event'), JSON.stringify({
        id: 'e-1', category: '0406', severity: 'high', reportedAt: '2026-12-07T14:00:00+08:00', description: '路面积水约 20 cm', device: 'wl-1',
      }), { qos: 1 })
      // the PUBACK came after commit: the row is there the moment publishAsync resolves
      const stored = await s.app.repo.getIncident('mqtt:wl-1:e-1')
      expect(stored).toMatchObject({ source: 'iot_sensor', category: '0406', severity: 'high', district: '510104', description: '路面积水约 20 cm', reportedAt: '2026-12-07T14:00:00+08:00' })
      await pushed
      // a redelivery (same device message id) is stored once
      await c.publishAsync(s.topic('wl-1', 'event'), JSON.stringify({ id: 'e-1', category: '0406' }), { qos: 1 })
      expect(s.heard.accepted.filter(a => a.device === 'wl-1')).toHaveLength(2)
      await c.endAsync()
    } finally {
      console.close()
    }
  })

  it('counts a camera\'s events as video AI, at the coordinates it sends', async () => {
    const pw = await s.addDevice({ id: 'cam-1', kind: 'camera', scope: 'city' })
    const c = await s.connect('cam-1', pw)
    await c.publishAsync(s.topic('cam-1', 'event'), JSON.stringify({ id: '77', category: '0505', ...pointIn(s.app, '510105'), description: '识别到机动车违停' }), { qos: 1 })
    expect(await s.app.repo.getIncident('mqtt:cam-1:77')).toMatchObject({ source: 'video_ai', category: '0505', district: '510105' })
    await c.endAsync()
  })
})

describe('malformed messages', () => {
  it('are counted per device with their reason and dropped; the stream goes on', async () => {
    const c = await s.connect('wl-1', wlPassword)
    const before = s.heard.rejected.length
    const bad: [string, string | Buffer][] = [
      [s.topic('wl-1', 'event'), '{not json'],
      [s.topic('wl-1', 'event'), JSON.stringify({ id: 'x1' })],
      [s.topic('wl-1', 'event'), JSON.stringify({ id: 'x2', category: '9999' })],
      [s.topic('wl-1', 'event'), JSON.stringify({ id: 'x3', category: '0406', device: 'wl-2' })],
      [s.topic('wl-1', 'event'), JSON.stringify({ id: 'x4', category: '0406', ...pointIn(s.app, '510105') })],
      [s.topic('wl-1', 'event'), JSON.stringify({ id: 'x5', category: '0406', lon: 120, lat: 30 })],
      [s.topic('wl-1', 'reading'), JSON.stringify({ at: '2026-12-07T06:00:00Z', ppm: 7 })],
      [s.topic('wl-1', 'status'), 'sleepy'],
      [s.topic('wl-1', 'telemetry'), '{}'],
      [s.topic('wl-1', 'event'), Buffer.alloc(70_000, 0x20)],
    ]
    for (const [topic, payload] of bad) await c.publishAsync(topic, payload, { qos: 1 })
    await c.publishAsync(s.topic('wl-1', 'event'), JSON.stringify({ id: 'after-bad', category: '0406' }), { qos: 1 })
    expect(await s.app.repo.getIncident('mqtt:wl-1:after-bad')).not.toBeNull()
    expect(s.heard.rejected.slice(before).map(r => [r.device, r.reason])).toEqual([
      ['wl-1', 'bad-json'], ['wl-1', 'bad-payload'], ['wl-1', 'bad-payload'], ['wl-1', 'device-mismatch'], ['wl-1', 'out-of-scope'], ['wl-1', 'bad-payload'],
      ['wl-1', 'bad-payload'], ['wl-1', 'bad-payload'], ['wl-1', 'bad-topic'], ['wl-1', 'bad-payload'],
    ])
    expect(s.heard.rejected.slice(before).map(r => r.detail)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^category: /), expect.stringMatching(/is outside 成都市/), expect.stringMatching(/^ppm: not a water-level metric/), expect.stringMatching(/^payload: over 64 KB/),
    ]))
    expect(s.app.mqtt!.rejects()['wl-1']).toMatchObject({ 'bad-json': 1, 'bad-topic': 1, 'device-mismatch': 1, 'out-of-scope': 1 })
    expect(c.connected).toBe(true)
    expect((await api(s, '/api/v1/health')).status).toBe(200)
    await c.endAsync()
  })
})

describe('status and the last will', () => {
  it('reports online, and offline from the will when the connection drops', async () => {
    const pw = await s.addDevice({ id: 'mh-1', kind: 'manhole', scope: 'city' })
    const c = await s.connect('mh-1', pw, { will: { topic: s.topic('mh-1', 'status'), payload: Buffer.from('offline'), qos: 1, retain: false } })
    await c.publishAsync(s.topic('mh-1', 'status'), 'online', { qos: 1 })
    expect(s.heard.status.filter(x => x.device === 'mh-1')).toEqual([{ device: 'mh-1', online: true }])
    c.stream.destroy() // no DISCONNECT: the broker publishes the will
    await until(() => s.heard.status.filter(x => x.device === 'mh-1').length === 2, 'the will')
    expect(s.heard.status.filter(x => x.device === 'mh-1').at(-1)).toEqual({ device: 'mh-1', online: false })
  })
})
