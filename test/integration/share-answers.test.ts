import { get } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { adminCookie, api, asUser, inputIn, post, type Running, startApp } from './harness.js'

// Identical /kpis, /league and analysis-summary requests share one answer for ANALYTICS_SHARE_MS (issue #13: twenty
// analysts asking for the same 30 days cost one computation a second), each scope its own, never older.
let s: Running | null = null
afterEach(async () => {
  await s?.stop()
  s = null
})

interface Health { queues: { analytics: { answers: { computed: number, shared: number } } } }
const answersOf = async (r: Running) => ((await (await api(r, '/api/v1/health')).json()) as Health).queues.analytics.answers
const reported = async (r: Running, url: string) => ((await (await api(r, url)).json()) as { counts: { reported: number } }).counts.reported

describe('shared analytics answers', () => {
  it('serve identical concurrent requests from one computation, with its age', async () => {
    s = await startApp({ analyticsShareMs: 60_000 })
    const url = '/api/v1/league?scope=city&by=department&days=30'
    const answers = await Promise.all(Array.from({ length: 8 }, () => api(s!, url)))
    const bodies = await Promise.all(answers.map(a => a.text()))
    expect(answers.map(a => a.status)).toEqual(Array(8).fill(200))
    expect(new Set(bodies).size).toBe(1)
    expect(answers.some(a => a.headers.get('age') === '0')).toBe(true)
    expect(answers.every(a => a.headers.get('content-type')?.startsWith('application/json'))).toBe(true)
    // a browser may keep it as long as the server shares it
    expect(answers.every(a => a.headers.get('cache-control') === 'private, max-age=60')).toBe(true)
    expect(await answersOf(s)).toEqual(expect.objectContaining({ computed: 1, shared: 7 }))
  })

  it('carry the answer\'s ETag, so a client holding it is answered 304', async () => {
    s = await startApp({ analyticsShareMs: 60_000 })
    const url = '/api/v1/kpis?scope=city'
    const first = await api(s, url)
    const shared = await api(s, url)
    expect(shared.headers.get('age')).not.toBeNull()
    expect(shared.headers.get('etag')).toBe(first.headers.get('etag'))
    // node:http, not fetch: fetch adds Cache-Control: no-cache to a conditional request, which forbids a 304
    const status = await new Promise<number>((resolve, reject) => {
      get(`${s!.url}${url}`, { headers: { 'if-none-match': first.headers.get('etag')!, cookie: adminCookie(s!) } }, res => {
        res.resume()
        resolve(res.statusCode!)
      }).on('error', reject)
    })
    expect(status).toBe(304)
  })

  it('count what was stored since once the window has passed', async () => {
    s = await startApp({ analyticsShareMs: 300 })
    const url = '/api/v1/kpis?scope=city&from=2000-01-01T00:00:00Z'
    const before = await reported(s, url)
    expect((await post(s.url, { events: [inputIn(s.app, '510104')] })).status).toBe(200)
    // within 300 ms of the first answer the shared one may still be served; after it the new report is counted
    const deadline = Date.now() + 10_000
    let now = before
    while (now === before && Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 100))
      now = await reported(s, url)
    }
    expect(now).toBe(before + 1)
    expect((await answersOf(s)).computed).toBeGreaterThanOrEqual(2)
  })

  it('answer each scope apart: a district user narrowed to its district does not get the city\'s answer', async () => {
    s = await startApp({ analyticsShareMs: 60_000 })
    expect((await post(s.url, { events: [inputIn(s.app, '510104'), inputIn(s.app, '510104'), inputIn(s.app, '510105')] })).status).toBe(200)
    const district = await asUser(s, { role: 'leader', scope: 'district:510105' })
    const from = '2000-01-01T00:00:00Z'
    let city = 0
    for (let i = 0; i < 100 && city < 3; i++) {
      city = await reported(s, `/api/v1/kpis?from=${from}`)
      if (city < 3) await new Promise(r => setTimeout(r, 100))
    }
    const narrowed = await district.api(`/api/v1/kpis?from=${from}`)
    expect(narrowed.status).toBe(200)
    expect(((await narrowed.json()) as { counts: { reported: number }, scope: string })).toMatchObject({ scope: 'district:510105', counts: { reported: 1 } })
  })

  it('share no refusal: a bad query is answered 400 each time', async () => {
    s = await startApp({ analyticsShareMs: 60_000 })
    for (let i = 0; i < 2; i++) {
      const res = await api(s, '/api/v1/kpis?scope=city&from=yesterday')
      expect(res.status).toBe(400)
      expect(res.headers.get('cache-control')).toBeNull()
    }
    expect(await answersOf(s)).toEqual(expect.objectContaining({ shared: 0 }))
  })
})
