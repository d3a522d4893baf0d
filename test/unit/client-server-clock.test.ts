import { afterEach, describe, expect, it, vi } from 'vitest'

// the socket module connects on import; the API helper only needs its display token
vi.mock('../../client/services/socket.js', () => ({ displayToken: null }))
const { serverClockRate, serverNow, syncServerClock } = await import('../../client/services/server-clock.js')

describe('the server clock in the browser', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    vi.useRealTimers()
  })

  it('follows the server’s simulated clock at its rate (SIM_SPEED 600: 12 real seconds are 2 hours)', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-12-07T03:00:00Z') })
    const serverTime = Date.parse('2026-12-09T10:00:00Z')
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ basemapStyleUrl: null, clock: { now: serverTime, rate: 600 } }), { status: 200 })))
    await syncServerClock()
    expect(serverNow()).toBe(serverTime)
    expect(serverClockRate.value).toBe(600)
    vi.setSystemTime(Date.now() + 12_000)
    expect(serverNow()).toBe(serverTime + 2 * 3_600_000)
  })

  it('keeps its last reading when the server cannot be asked', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new Error('offline') }))
    const before = serverClockRate.value
    await syncServerClock()
    expect(serverClockRate.value).toBe(before)
  })
})
