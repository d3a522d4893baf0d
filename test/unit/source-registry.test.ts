import { describe, expect, it } from 'vitest'
import { meteredIngestJson, rejectReason } from '../../server/sources/metered-ingest.js'
import { RateWindow } from '../../server/sources/rate-window.js'
import { SourceRegistry, type SourceTransition } from '../../server/sources/registry.js'
import { apiKeySignals, deviceRejectReason, deviceSignals } from '../../server/sources/signals.js'

const T0 = Date.parse('2026-12-07T08:00:00Z')

function registryAt(start = T0) {
  const clock = { t: start }
  const registry = new SourceRegistry(() => clock.t)
  const transitions: SourceTransition[] = []
  registry.onTransition(t => transitions.push(t))
  return { clock, registry, transitions }
}

describe('RateWindow', () => {
  it('counts what fell in the last window and forgets older buckets', () => {
    const w = new RateWindow(60_000, 1_000)
    w.add(T0, 10)
    w.add(T0 + 30_000, 5)
    expect(w.total(T0 + 30_000)).toBe(15)
    expect(w.total(T0 + 59_999)).toBe(15)
    expect(w.total(T0 + 60_000)).toBe(5) // the first bucket slid out
    w.add(T0 + 120_000, 2) // reuses the slot of T0 without adding to it
    expect(w.total(T0 + 120_000)).toBe(2)
  })
})

describe('SourceRegistry', () => {
  it('counts messages per minute over a sliding window and rejects by reason', () => {
    const { clock, registry } = registryAt()
    registry.accepted('http:grid_worker', 30)
    registry.rejected('http:grid_worker', 'schema:lat', 2)
    registry.rejected('http:grid_worker', 'schema:lat')
    registry.rejected('http:grid_worker', 'outside-city')
    clock.t += 20_000
    registry.accepted('http:grid_worker', 6)
    expect(registry.view('http:grid_worker')).toMatchObject({
      kind: 'http', label: 'grid_worker', accepted: 36, rejected: 4, messagesPerMin: 40,
      rejects: { 'schema:lat': 3, 'outside-city': 1 }, lastSeenAt: new Date(T0 + 20_000).toISOString(), online: null,
    })
    clock.t += 45_000 // the first second's messages are now older than a minute
    expect(registry.view('http:grid_worker')).toMatchObject({ messagesPerMin: 6, accepted: 36 })
  })

  it('a device silent past its interval goes offline once, and back online when heard', () => {
    const { clock, registry, transitions } = registryAt()
    const devices = deviceSignals(registry)
    devices.onRegistered({ deviceId: 'wl-01', kind: 'water-level', scope: 'district:510104', expectedIntervalSec: 300 })
    expect(registry.view('device:wl-01')).toMatchObject({ online: false, offlineSince: null, lastSeenAt: null, expectedIntervalSec: 300 })
    devices.onAccepted('wl-01')
    expect(registry.view('device:wl-01')).toMatchObject({ online: true, channel: 'iot_sensor' })

    clock.t += 300_000
    expect(registry.sweep()).toBe(0) // exactly at the interval: not yet
    clock.t += 1
    expect(registry.sweep()).toBe(1)
    clock.t += 60_000
    expect(registry.sweep()).toBe(0) // one outage, one transition
    expect(registry.sweep()).toBe(0)
    expect(registry.view('device:wl-01')).toMatchObject({ online: false, offlineReason: 'silent', offlineSince: new Date(T0 + 300_000).toISOString() })
    expect(transitions.map(t => [t.source.id, t.online, t.at, t.reason])).toEqual([['device:wl-01', false, T0 + 300_000, 'silent']])

    devices.onAccepted('wl-01')
    expect(registry.view('device:wl-01')).toMatchObject({ online: true, offlineSince: null, offlineReason: null })
    expect(transitions.at(-1)).toMatchObject({ online: true, reason: 'heard', at: clock.t })
  })

  it('a device never heard from goes offline its interval after registration', () => {
    const { clock, registry, transitions } = registryAt()
    registry.register({ id: 'device:mh-9', kind: 'device', label: 'manhole', expectedIntervalMs: 60_000 })
    clock.t += 60_001
    registry.sweep()
    expect(transitions).toMatchObject([{ online: false, at: T0 + 60_000, reason: 'silent' }])
  })

  it('an explicit offline status (last will) is an outage; a malformed message proves it is back', () => {
    const { clock, registry, transitions } = registryAt()
    const devices = deviceSignals(registry)
    devices.onRegistered({ deviceId: 'cam-3', kind: 'camera', expectedIntervalSec: 60 })
    devices.onStatus('cam-3', true)
    clock.t += 1000
    devices.onStatus('cam-3', false)
    devices.onStatus('cam-3', false)
    clock.t += 120_000
    registry.sweep() // already offline: no second transition
    expect(transitions.map(t => [t.online, t.reason])).toEqual([[false, 'status']])
    expect(registry.view('device:cam-3')).toMatchObject({ online: false, offlineReason: 'status' })
    devices.onRejected('cam-3', 'schema:level')
    expect(registry.view('device:cam-3')).toMatchObject({ online: true, rejects: { 'schema:level': 1 } })
    expect(transitions.map(t => [t.online, t.reason])).toEqual([[false, 'status'], [true, 'heard']])
  })

  it('sources without a heartbeat never go offline; unknown device ids are capped', () => {
    const { clock, registry, transitions } = registryAt()
    const small = new SourceRegistry(() => clock.t, { maxUnregistered: 2 })
    for (const id of ['a', 'b', 'c', 'd']) small.rejected(`device:${id}`, 'unknown-device')
    expect(small.list().sources.map(s => [s.id, s.rejected])).toEqual([['device:a', 1], ['device:b', 1], ['device:other', 2]])
    expect(small.view('device:a')).toMatchObject({ registered: false, online: null })
    registry.accepted('open311:1')
    clock.t += 86_400_000
    registry.sweep()
    expect(transitions).toEqual([])
    expect(registry.view('open311:1')).toMatchObject({ kind: 'open311', online: null })
  })

  it('an outage restored after a restart ends, with a transition, when the device is heard', () => {
    const { registry, transitions } = registryAt()
    registry.register({ id: 'device:wl-5', kind: 'device', label: 'water-level', expectedIntervalMs: 60_000 })
    registry.restoreOutage('device:wl-5', T0 - 3_600_000)
    expect(registry.view('device:wl-5')).toMatchObject({ online: false, offlineSince: new Date(T0 - 3_600_000).toISOString() })
    expect(transitions).toEqual([])
    registry.accepted('device:wl-5')
    expect(transitions).toMatchObject([{ online: true, reason: 'heard' }])
  })

  it('re-registering keeps the counts', () => {
    const { registry } = registryAt()
    registry.accepted('api_key:k1', 3)
    registry.register({ id: 'api_key:k1', kind: 'api_key', label: '12345 平台', scope: 'city' })
    expect(registry.view('api_key:k1')).toMatchObject({ label: '12345 平台', scope: 'city', accepted: 3 })
  })
})

describe('reasons and HTTP sources', () => {
  it('names MQTT drops in the same words', () => {
    expect(deviceRejectReason('not-own-topic')).toBe('acl')
    expect(deviceRejectReason('bad-payload', 'waterLevelCm: 5000 is outside 0–1000 cm')).toBe('schema:waterLevelCm')
    expect(deviceRejectReason('bad-payload', 'a camera reading carries nothing')).toBe('schema')
    expect(deviceRejectReason('unknown-device', 'x')).toBe('unknown-device')
  })
  it('names the first failing field, or the city boundary', () => {
    expect(rejectReason('lat: Too big: expected number to be <=90; lon: Invalid input')).toBe('schema:lat')
    expect(rejectReason('reporter.phone: phone: digits, +, - or spaces')).toBe('schema:reporter.phone')
    expect(rejectReason('lon/lat: point (1, 2) is outside 成都市')).toBe('outside-city')
    expect(rejectReason('lat/long: required: a location')).toBe('schema:lat/long')
    expect(rejectReason(undefined)).toBe('unknown')
    expect(rejectReason('level: 99 is outside 0–20 m')).toBe('schema:level')
  })
  it('counts POST /api/v1/events under the API key that sent it (listed at first use), else as a hand entry', async () => {
    const { registry } = registryAt()
    const answer = { results: [{ id: 'a', status: 'stored' as const }, { id: 'b', status: 'rejected' as const, error: 'lat: too big' }] }
    const metered = meteredIngestJson(async () => answer, registry, apiKeySignals(registry))
    await metered(new Uint8Array(), { by: { kind: 'key', id: 'k1', name: '12345 平台', scope: 'city', sources: ['hotline_12345'] } })
    expect(registry.view('api_key:k1')).toMatchObject({ kind: 'api_key', label: '12345 平台', channel: 'hotline_12345', accepted: 1, rejected: 1, rejects: { 'schema:lat': 1 } })
    await metered(new Uint8Array(), { by: { kind: 'user', id: 'u1', username: 'op', role: 'operator', scope: 'city', sessionId: 's' } })
    expect(registry.view('http:hand')).toMatchObject({ kind: 'http', accepted: 1, rejected: 1 })
  })
})
