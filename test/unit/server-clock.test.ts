import { describe, expect, it } from 'vitest'
import { clockFor, lastActivityMs, simulatedClock } from '../../server/clock.js'
import { clockReading } from '../../shared/clock.js'
import { makeIncident } from '../fixtures/incidents.js'

const T = Date.parse('2026-11-24T02:00:00Z')
const empty = { recent: async () => [], currentSeq: async () => 0, changedSince: async () => [] }

describe('the app clock', () => {
  it('runs at SIM_SPEED from the real now with the simulator on, real time otherwise', async () => {
    let real = T
    const fast = await clockFor({ enabled: true, speed: 720 }, empty, () => real)
    real += 5 * 60_000 // 5 real minutes = 2.5 simulated days
    expect(fast.now() - T).toBe(2.5 * 86_400_000)
    expect(fast.rate).toBe(720)
    const off = await clockFor({ enabled: false, speed: 720 }, empty, () => real)
    expect(off.now()).toBe(real)
    expect(off.rate).toBe(1)
  })

  it('resumes a faster-than-life run from the store’s latest activity, never before the real now', async () => {
    const ahead = makeIncident({ reportedAt: new Date(T + 86_400_000).toISOString(), receivedAt: new Date(T + 86_400_000).toISOString(), handledAt: new Date(T + 2 * 86_400_000).toISOString() })
    const repo = { recent: async () => [ahead], currentSeq: async () => 9, changedSince: async () => [ahead] }
    expect(await lastActivityMs(repo)).toBe(T + 2 * 86_400_000)
    expect(await lastActivityMs(empty)).toBeNull()
    const resumed = await clockFor({ enabled: true, speed: 10 }, repo, () => T)
    expect(resumed.now()).toBe(T + 2 * 86_400_000)
    expect(simulatedClock(10, { realNow: () => T, startAt: T - 1000 }).now()).toBe(T)
  })

  it('reads the same on a client that adopted the announcement', () => {
    expect(clockReading(T, 1000, 600, 13_000)).toBe(T + 2 * 3_600_000)
  })
})
