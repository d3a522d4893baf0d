import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseScope } from '../../shared/scope.js'
import { pointIn } from '../integration/harness.js'
import { type MqttRunning, mqttConfig, startMqttApp, until } from '../integration/mqtt-harness.js'

// The machine's Mosquitto (.ci/services-up starts it): the server subscribes to it through MQTT_URL with a persistent
// session, as a city running its own broker would have it.
const BROKER = process.env.MQTT_TEST_URL ?? 'mqtt://127.0.0.1:1883'
const tag = randomUUID().slice(0, 8)
const clientId = `citybrain-svc-${tag}`
const device = `ext-${tag}`
const config = mqttConfig({ url: BROKER, clientId })

let dataDir: string
let s: MqttRunning
let publisher: MqttClient
let topic: (channel: string) => string
const event = (id: string) => JSON.stringify({ id, category: '0406', description: `event ${id}` })

async function start(): Promise<MqttRunning> {
  const r = await startMqttApp(config, {}, dataDir)
  await r.app.mqtt!.ready() // connected and subscribed: what the broker kept for the session flows now
  return r
}

async function storedIds(): Promise<string[]> {
  return (await s.app.repo.recent(parseScope('city')!, 10_000)).map(i => i.id).filter(id => id.startsWith(`mqtt:${device}:`))
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'citybrain-svc-'))
  s = await start()
  await s.addDevice({ id: device, kind: 'water-level', scope: 'city', ...pointIn(s.app, '510104') })
  topic = channel => `city/${s.cityCode}/device/${device}/${channel}`
  publisher = await mqtt.connectAsync(BROKER, { clientId: `${clientId}-pub`, clean: true })
})

afterAll(async () => {
  await publisher?.endAsync()
  await s?.stop({ keepData: true })
  // drop the persistent session this run left on the broker
  const cleaner = await mqtt.connectAsync(BROKER, { clientId, clean: true })
  await cleaner.endAsync()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('an external broker (Mosquitto) through MQTT_URL', () => {
  it('takes events from the broker and checks the topic\'s device is registered', async () => {
    for (const id of ['a1', 'a2', 'a3']) await publisher.publishAsync(topic('event'), event(id), { qos: 1 })
    await publisher.publishAsync(`city/${s.cityCode}/device/ghost-${tag}/event`, event('g1'), { qos: 1 })
    await publisher.publishAsync(topic('event'), JSON.stringify({ id: 'm1', category: '0406', device: 'someone-else' }), { qos: 1 })
    await until(async () => (await storedIds()).length === 3, 'three events')
    await until(() => s.heard.rejected.length >= 2, 'the two rejections')
    expect(s.heard.rejected.map(r => [r.device, r.reason])).toEqual([[`ghost-${tag}`, 'unknown-device'], [device, 'device-mismatch']])
    expect(await s.app.repo.getIncident(`mqtt:${device}:a1`)).toMatchObject({ source: 'iot_sensor', district: '510104' })
  })

  it('loses nothing and stores nothing twice across a restart, with messages published while it was down and during its stop', async () => {
    // a stream at QoS 1 while the server stops and starts again; one message is sent twice (as a device's resend would be)
    const ids = Array.from({ length: 300 }, (_, k) => `b${k}`)
    const sending = (async () => {
      for (const [k, id] of ids.entries()) {
        await publisher.publishAsync(topic('event'), event(id), { qos: 1 })
        if (k === 150) await publisher.publishAsync(topic('event'), event('b10'), { qos: 1 })
      }
    })()
    await until(async () => (await storedIds()).length > 30, 'the stream to flow')
    await s.stop({ keepData: true })
    await sending // the rest is queued by the broker for the server's persistent session
    s = await start()
    await until(async () => (await storedIds()).length === 303, 'all 303 events', 30_000)
    const stored = await storedIds()
    expect(new Set(stored).size).toBe(stored.length)
    expect(stored.filter(id => id.startsWith(`mqtt:${device}:b`))).toHaveLength(300)
  })

  it('takes messages from Debian\'s mosquitto_pub through the broker; mosquitto_sub reads a device\'s retained status back', async () => {
    const run = promisify(execFile)
    await run('/usr/bin/mosquitto_pub', ['-L', `${BROKER}/${topic('event')}`, '-q', '1', '-m', event('deb-1')])
    await until(async () => (await s.app.repo.getIncident(`mqtt:${device}:deb-1`)) !== null, 'the mosquitto_pub event')
    await run('/usr/bin/mosquitto_pub', ['-L', `${BROKER}/${topic('status')}`, '-q', '1', '-r', '-m', 'online'])
    await until(() => s.heard.status.some(x => x.device === device && x.online), 'the status')
    const { stdout } = await run('/usr/bin/mosquitto_sub', ['-L', `${BROKER}/${topic('status')}`, '-q', '1', '-C', '1', '-W', '20'])
    expect(stdout.trim()).toBe('online')
    await run('/usr/bin/mosquitto_pub', ['-L', `${BROKER}/${topic('status')}`, '-r', '-n']) // clears the retained message
  })
})
