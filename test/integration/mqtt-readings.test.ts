import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FootfallState } from '../../shared/greenway/types.js'
import { api, pointIn } from './harness.js'
import { type MqttRunning, startMqttApp } from './mqtt-harness.js'

let s: MqttRunning
beforeAll(async () => { s = await startMqttApp() })
afterAll(async () => { await s.stop() })

const at = (minute: number) => new Date(Date.parse('2026-12-07T06:00:00Z') + minute * 60_000).toISOString()
const reportId = (device: string, metric: string, minute: number) => `mqtt:${device}:${metric}:${Date.parse(at(minute))}`

async function reportsOf(device: string, metric: string, minutes: number): Promise<number[]> {
  const found: number[] = []
  for (let m = 0; m < minutes; m++) if (await s.app.repo.getIncident(reportId(device, metric, m))) found.push(m)
  return found
}

describe('readings past a threshold become reports, once per excursion', () => {
  it('water level: a report when it first reaches 15 cm, none while it stays up, a new one after it fell below 10 cm', async () => {
    const pw = await s.addDevice({ id: 'wl-r', kind: 'water-level', scope: 'district:510104', ...pointIn(s.app, '510104') })
    const c = await s.connect('wl-r', pw)
    const levels = [5, 18, 20, 12, 15, 9, 16, 30]
    for (const [m, level] of levels.entries()) await c.publishAsync(s.topic('wl-r', 'reading'), JSON.stringify({ at: at(m), waterLevelCm: level }), { qos: 1 })
    expect(await reportsOf('wl-r', 'waterLevelCm', levels.length)).toEqual([1, 6])
    expect(await s.app.repo.getIncident(reportId('wl-r', 'waterLevelCm', 1))).toMatchObject({
      source: 'iot_sensor', category: '0406', severity: 'high', district: '510104', reportedAt: at(1), description: '积水监测 wl-r：路面积水 18 cm，超过 15 cm',
    })
    expect(s.heard.accepted.filter(a => a.device === 'wl-r')).toHaveLength(levels.length)
    await c.endAsync()
  })

  it('remembers an excursion across a restart (no second report for it), and still reports the next one', async () => {
    const pw = await s.addDevice({ id: 'gas-r', kind: 'gas', scope: 'city', ...pointIn(s.app, '510105') })
    let c = await s.connect('gas-r', pw)
    await c.publishAsync(s.topic('gas-r', 'reading'), JSON.stringify({ at: at(0), ppm: 6000 }), { qos: 1 })
    await c.endAsync()
    await s.stop({ keepData: true })
    s = await startMqttApp({}, {}, s.dataDir)
    c = await s.connect('gas-r', pw)
    for (const [m, ppm] of [[1, 7000], [2, 2000], [3, 5200]] as const) await c.publishAsync(s.topic('gas-r', 'reading'), JSON.stringify({ at: at(m), ppm }), { qos: 1 })
    expect(await reportsOf('gas-r', 'ppm', 4)).toEqual([0, 3])
    expect(await s.app.repo.getIncident(reportId('gas-r', 'ppm', 0))).toMatchObject({ category: '0403', severity: 'critical', district: '510105' })
    await c.endAsync()
  })

  it('takes several metrics in one reading (a manhole\'s tilt and fill) and places a report by the reading\'s own coordinates', async () => {
    const pw = await s.addDevice({ id: 'mh-r', kind: 'manhole', scope: 'city' })
    const c = await s.connect('mh-r', pw)
    await c.publishAsync(s.topic('mh-r', 'reading'), JSON.stringify({ at: at(0), tiltDeg: 25, fillPercent: 95, ...pointIn(s.app, '510106') }), { qos: 1 })
    expect(await s.app.repo.getIncident(reportId('mh-r', 'tiltDeg', 0))).toMatchObject({ category: '0404', severity: 'high', district: '510106' })
    expect(await s.app.repo.getIncident(reportId('mh-r', 'fillPercent', 0))).toMatchObject({ category: '0404', severity: 'normal' })
    // no registered location and none in the reading: dropped with its reason
    await c.publishAsync(s.topic('mh-r', 'reading'), JSON.stringify({ at: at(1), tiltDeg: 3 }), { qos: 1 })
    await c.publishAsync(s.topic('mh-r', 'reading'), JSON.stringify({ at: at(2), fillPercent: 30 }), { qos: 1 })
    await c.publishAsync(s.topic('mh-r', 'reading'), JSON.stringify({ at: at(3), tiltDeg: 40 }), { qos: 1 })
    expect(s.heard.rejected.at(-1)).toMatchObject({ device: 'mh-r', reason: 'no-location' })
    await c.endAsync()
  })
})

describe('greenway footfall counters', () => {
  it('put their counts into the footfall service, as POST /api/v1/footfall does', async () => {
    const segment = (s.app.greenway.greenway.networkGeoJson().features[0]!.properties as { id: string }).id
    const pw = await s.addDevice({ id: 'ff-1', kind: 'footfall-counter', scope: 'city', segment })
    const c = await s.connect('ff-1', pw)
    const now = new Date(Date.now() - 60_000).toISOString()
    await c.publishAsync(s.topic('ff-1', 'reading'), JSON.stringify({ at: now, count: 42 }), { qos: 1 })
    await c.publishAsync(s.topic('ff-1', 'reading'), JSON.stringify({ at: now, count: 42 }), { qos: 1 }) // a redelivery: counted once
    const state = await (await api(s, '/api/v1/footfall')).json() as FootfallState
    expect(state.bySegment[segment]).toBe(42)
    await c.publishAsync(s.topic('ff-1', 'reading'), JSON.stringify({ at: now, count: 1, segment: 'no-such-segment' }), { qos: 1 })
    expect(s.heard.rejected.at(-1)).toMatchObject({ device: 'ff-1', reason: 'bad-payload', detail: 'segment: no greenway segment "no-such-segment"' })
    await c.endAsync()
  })
})
