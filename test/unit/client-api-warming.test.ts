import { afterEach, describe, expect, it, vi } from 'vitest'

// the socket module connects on import; the API helper only needs its display token
vi.mock('../../client/services/socket.js', () => ({ displayToken: null }))
const { ApiRequestError, getJsonWhenLoaded } = await import('../../client/services/api.js')

const warmingAnswer = (loaded: number) => new Response(JSON.stringify({ error: 'still loading', warming: { loadedDays: loaded, totalDays: 365 } }), { status: 503, headers: { 'retry-after': '0.01', 'content-type': 'application/json' } })

describe('drill-down requests while the history loads', () => {
  afterEach(() => { vi.unstubAllGlobals() })

  it('reports the progress, asks again after Retry-After, and returns the answer', async () => {
    const answers = [warmingAnswer(100), warmingAnswer(300), new Response(JSON.stringify({ total: 7 }), { status: 200 })]
    const fetchMock = vi.fn(async () => answers.shift()!)
    vi.stubGlobal('fetch', fetchMock)
    const seen: unknown[] = []
    const value = await getJsonWhenLoaded<{ total: number }>('/api/v1/analysis/summary', w => seen.push(w), () => true)
    expect(value).toEqual({ total: 7 })
    expect(seen).toEqual([{ loadedDays: 100, totalDays: 365 }, { loadedDays: 300, totalDays: 365 }, null])
    expect(fetchMock).toHaveBeenCalledTimes(3)
  })

  it('stops asking when the view no longer wants the answer, and passes other errors on', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => warmingAnswer(1)))
    await expect(getJsonWhenLoaded('/x', () => undefined, () => false)).rejects.toBeInstanceOf(ApiRequestError)
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ error: 'invalid query' }), { status: 400 })))
    await expect(getJsonWhenLoaded('/x', () => undefined, () => true)).rejects.toMatchObject({ status: 400, message: 'invalid query' })
  })
})
