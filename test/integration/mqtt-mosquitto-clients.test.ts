import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pointIn } from './harness.js'
import { type MqttRunning, startMqttApp } from './mqtt-harness.js'

const run = promisify(execFile)
// Debian's mosquitto-clients (.ci/run installs it): a real MQTT client that is not ours
const PUB = '/usr/bin/mosquitto_pub'
const SUB = '/usr/bin/mosquitto_sub'

let s: MqttRunning
let pw: string
let port: string
beforeAll(async () => {
  s = await startMqttApp()
  port = String(s.app.mqtt!.port())
  pw = await s.addDevice({ id: 'wl-deb', kind: 'water-level', scope: 'district:510104', ...pointIn(s.app, '510104') })
})
afterAll(async () => { await s.stop() })

describe.skipIf(!existsSync(PUB))('Debian\'s mosquitto_pub and mosquitto_sub against the embedded broker', () => {
  it('publishes an event at QoS 1: stored by the time mosquitto_pub has its PUBACK and exits', async () => {
    const payload = JSON.stringify({ id: 'deb-1', category: '0406', severity: 'high', description: '积水 25 cm' })
    await run(PUB, ['-h', '127.0.0.1', '-p', port, '-u', 'wl-deb', '-P', pw, '-i', 'wl-deb', '-q', '1', '-t', s.topic('wl-deb', 'event'), '-m', payload])
    expect(await s.app.repo.getIncident('mqtt:wl-deb:deb-1')).toMatchObject({ category: '0406', source: 'iot_sensor', district: '510104' })
  })

  it('sends a reading, and a retained status that the device\'s own mosquitto_sub reads back', async () => {
    await run(PUB, ['-h', '127.0.0.1', '-p', port, '-u', 'wl-deb', '-P', pw, '-q', '1', '-t', s.topic('wl-deb', 'reading'), '-m', JSON.stringify({ at: '2026-12-07T06:00:00Z', waterLevelCm: 22 })])
    expect(await s.app.repo.getIncident(`mqtt:wl-deb:waterLevelCm:${Date.parse('2026-12-07T06:00:00Z')}`)).not.toBeNull()
    await run(PUB, ['-h', '127.0.0.1', '-p', port, '-u', 'wl-deb', '-P', pw, '-q', '1', '-r', '-t', s.topic('wl-deb', 'status'), '-m', 'online'])
    expect(s.heard.status).toContainEqual({ device: 'wl-deb', online: true })
    const { stdout } = await run(SUB, ['-h', '127.0.0.1', '-p', port, '-u', 'wl-deb', '-P', pw, '-q', '1', '-t', `city/${s.cityCode}/device/wl-deb/#`, '-C', '1', '-W', '20', '-v'])
    expect(stdout.trim()).toBe(`${s.topic('wl-deb', 'status')} online`)
  })

  it('is refused with a wrong password, and may not subscribe to another device\'s topics', async () => {
    const bad = await run(PUB, ['-h', '127.0.0.1', '-p', port, '-u', 'wl-deb', '-P', 'nope', '-q', '1', '-t', s.topic('wl-deb', 'event'), '-m', '{}']).catch((e: { code: number, stderr: string }) => e)
    expect(bad).toMatchObject({ code: expect.any(Number), stderr: expect.stringMatching(/not authori[sz]ed|bad user name or password/i) })
    const other = await run(SUB, ['-h', '127.0.0.1', '-p', port, '-u', 'wl-deb', '-P', pw, '-t', `city/${s.cityCode}/device/+/event`, '-C', '1', '-W', '5']).catch((e: { code: number, stderr: string }) => e)
    expect(other).toMatchObject({ stderr: expect.stringMatching(/denied|refused|fail/i) })
  })
})
