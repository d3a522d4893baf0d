import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

// the store needs the live scope and the city's offset, not their sockets
vi.mock('../../client/services/socket.js', () => ({ displayToken: null }))
vi.mock('../../client/stores/live.js', () => ({ useLiveStore: () => ({ scope: 'city' }) }))
vi.mock('../../client/stores/geo.js', () => ({ useGeoStore: () => ({ city: { utcOffsetMinutes: 480 } }) }))
vi.mock('../../client/services/server-clock.js', () => ({ serverNow: () => Date.parse('2026-12-07T08:00:00Z') }))
const { useKpisStore } = await import('../../client/stores/kpis.js')

const shed = () => new Response(JSON.stringify({ error: 'overloaded: analytics paused, retry later' }), { status: 503, headers: { 'retry-after': '2', 'content-type': 'application/json' } })
const figures = () => new Response(JSON.stringify({ scope: 'city', from: 'a', to: 'b', indicators: [{ id: 'closureRate', value: 0.9, numerator: 9, denominator: 10 }] }), { status: 200 })

// both stores poll on timers: fake time, a fresh Pinia, and `window` as the global (node)
beforeEach(() => {
  vi.useFakeTimers()
  vi.stubGlobal('window', globalThis)
  setActivePinia(createPinia())
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('the wall\'s KPIs when the server sheds them', () => {
  it('asks again after Retry-After, not at the next 30 s refresh', async () => {
    const answers = [shed(), figures()]
    const fetchMock = vi.fn(async () => answers.shift()!)
    vi.stubGlobal('fetch', fetchMock)
    const kpis = useKpisStore()
    kpis.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(kpis.report).toBeNull()
    expect(kpis.error).toMatch(/overloaded/)
    await vi.advanceTimersByTimeAsync(2_000)
    expect(fetchMock).toHaveBeenCalledTimes(2)
    expect(kpis.report?.indicators[0]?.value).toBe(0.9)
    expect(kpis.error).toBeNull()
    kpis.stop()
  })

  it('does not ask again once nobody shows the figures', async () => {
    const fetchMock = vi.fn(async () => shed())
    vi.stubGlobal('fetch', fetchMock)
    const kpis = useKpisStore()
    kpis.start()
    await vi.advanceTimersByTimeAsync(0)
    kpis.stop()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(fetchMock).toHaveBeenCalledTimes(1)
  })
})

describe('the league when the server sheds it', () => {
  it('says it is busy (not the server\'s English message), asks again after Retry-After and shows the rows', async () => {
    const { useLeagueStore } = await import('../../client/stores/league.js')
    const rows = [{ key: '环卫', name: '环卫', dispatched: 10, handled: 9, onTime: 8, open: 1, overdue: 0, reminders: 0, escalated: 0 }]
    const answers = [shed(), new Response(JSON.stringify({ rows }), { status: 200 })]
    const fetchMock = vi.fn(async () => answers.shift()!)
    vi.stubGlobal('fetch', fetchMock)
    const league = useLeagueStore()
    league.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(league.busy).toBe(true)
    expect(league.error).toBeNull()
    await vi.advanceTimersByTimeAsync(2_000)
    expect(fetchMock).toHaveBeenCalledTimes(2)
    expect(league.rows).toHaveLength(1)
    expect(league.busy).toBe(false)
    league.stop()
  })
})
