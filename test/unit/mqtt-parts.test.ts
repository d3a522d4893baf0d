import { describe, expect, it } from 'vitest'
import type { IngestResult } from '../../shared/incident.js'
import { DEVICE_KINDS } from '../../server/sources/mqtt/device-kinds.js'
import { ExcursionTracker } from '../../server/sources/mqtt/excursions.js'
import { groupCommit } from '../../server/sources/mqtt/group-commit.js'
import { parseStatus } from '../../server/sources/mqtt/payloads.js'
import { mayDeviceSubscribe, parseTopic } from '../../server/sources/mqtt/topics.js'
import type { DeviceRecord } from '../../server/store/repository.js'

describe('device topics', () => {
  it('parses city/{cityCode}/device/{deviceId}/{event|reading|status} and nothing else', () => {
    expect(parseTopic('5101', 'city/5101/device/wl-1/event')).toEqual({ ok: true, deviceId: 'wl-1', channel: 'event' })
    expect(parseTopic('5101', 'city/5101/device/wl-1/status')).toEqual({ ok: true, deviceId: 'wl-1', channel: 'status' })
    expect(parseTopic('5101', 'city/5101/device/wl-1/telemetry')).toEqual({ ok: false, deviceId: 'wl-1' })
    expect(parseTopic('5101', 'city/5101/device/wl-1/event/x')).toEqual({ ok: false, deviceId: 'wl-1' })
    expect(parseTopic('5101', 'city/1711/device/wl-1/event')).toEqual({ ok: false, deviceId: 'wl-1' })
    expect(parseTopic('5101', 'sensors/wl-1')).toEqual({ ok: false, deviceId: null })
  })

  it('lets a device subscribe inside its own prefix only (no wildcard reaches another\'s)', () => {
    expect(mayDeviceSubscribe('5101', 'wl-1', 'city/5101/device/wl-1/#')).toBe(true)
    expect(mayDeviceSubscribe('5101', 'wl-1', 'city/5101/device/wl-1')).toBe(true)
    expect(mayDeviceSubscribe('5101', 'wl-1', 'city/5101/device/wl-10/#')).toBe(false)
    expect(mayDeviceSubscribe('5101', 'wl-1', 'city/5101/device/+/event')).toBe(false)
    expect(mayDeviceSubscribe('5101', 'wl-1', '#')).toBe(false)
    expect(mayDeviceSubscribe('5101', 'wl-1', '$SYS/#')).toBe(false)
  })

  it('reads a status as the text online or offline', () => {
    expect(parseStatus(Buffer.from(' Online\n'))).toBe(true)
    expect(parseStatus(Buffer.from('offline'))).toBe(false)
    expect(parseStatus(Buffer.from('{"online":true}'))).toBeNull()
  })
})

describe('reading excursions', () => {
  const t = DEVICE_KINDS['water-level'].metrics.waterLevelCm.threshold
  const device = (excursions: Record<string, string> = {}): DeviceRecord => ({ id: 'wl-1', kind: 'water-level', scope: 'city', intervalS: 60, excursions, createdAt: '' })

  it('starts once at the threshold, ends below the end mark, starts again after', () => {
    const x = new ExcursionTracker()
    const d = device()
    expect([5, 15, 30, 12, 10, 9.9, 14, 15].map((v, k) => x.observe(d, 'waterLevelCm', v, `t${k}`, t))).toEqual([null, 'start', null, null, null, 'end', null, 'start'])
    expect(x.current('wl-1')).toEqual({ waterLevelCm: 't7' })
  })

  it('continues an excursion the store remembers, and can take back a start whose report was not stored', () => {
    const x = new ExcursionTracker()
    expect(x.observe(device({ waterLevelCm: 'before' }), 'waterLevelCm', 40, 't1', t)).toBeNull()
    const y = new ExcursionTracker()
    expect(y.observe(device(), 'waterLevelCm', 40, 't1', t)).toBe('start')
    y.undo('wl-1', 'waterLevelCm')
    expect(y.observe(device(), 'waterLevelCm', 40, 't1', t)).toBe('start')
  })
})

describe('group commit', () => {
  it('hands everything of one event-loop turn to ingest as one batch, and each caller its own result', async () => {
    const batches: unknown[][] = []
    const commit = groupCommit(async (events) => {
      batches.push(events)
      return events.map(e => ({ id: String(e), status: 'stored' }) as IngestResult)
    })
    const results = await Promise.all(['a', 'b', 'c'].map(commit))
    expect(batches).toEqual([['a', 'b', 'c']])
    expect(results.map(r => r.id)).toEqual(['a', 'b', 'c'])
    await commit('d')
    expect(batches).toEqual([['a', 'b', 'c'], ['d']])
  })

  it('rejects every caller of a batch whose commit failed (none is acknowledged)', async () => {
    const commit = groupCommit(async () => { throw new Error('disk full') })
    const settled = await Promise.allSettled([commit('a'), commit('b')])
    expect(settled.map(s => s.status)).toEqual(['rejected', 'rejected'])
  })
})
