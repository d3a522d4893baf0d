import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testConfig } from '../../server/config.js'
import { api, client, inputIn, post, type Running, startApp } from './harness.js'

/** The surface an open network sees (issue #14 item 6): headers, origins, methods, paths, dates, ids, repeats. */
let s: Running
beforeAll(async () => { s = await startApp({ staticDir: 'test/fixtures/spa', security: { ...testConfig().security, allowedOrigins: ['https://wall.example.org'] } }) })
afterAll(async () => { await s.stop() })

const JINJIANG = '510104'
const NO_BODY = { 'x-requested-with': 'test' }
const json = async (res: Response) => ({ status: res.status, headers: res.headers, body: await res.json() as { error?: string, details?: { path: string, message: string }[] } })

describe('response headers', () => {
  it('sends the CSP, nosniff, frame and referrer headers on pages and API answers', async () => {
    for (const path of ['/wall', '/api/v1/health']) {
      const res = await api(s, path)
      const csp = res.headers.get('content-security-policy') ?? ''
      expect(csp).toContain("script-src 'self'")
      expect(csp).toContain("worker-src 'self' blob:")
      expect(csp).toContain("frame-ancestors 'none'")
      expect(csp).toContain("object-src 'none'")
      expect(csp).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/)
      expect(csp).not.toContain('upgrade-insecure-requests')
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('x-frame-options')).toBe('DENY')
      expect(res.headers.get('referrer-policy')).toBe('no-referrer')
      expect(res.headers.get('x-powered-by')).toBeNull()
      await res.arrayBuffer()
    }
  })
})

describe('Socket.IO origins', () => {
  const connects = (origin?: string) => new Promise<string>((resolve) => {
    const c = client(s.url, undefined, origin ? { extraHeaders: { origin } } : {})
    c.once('connect', () => { c.close(); resolve('connected') })
    c.once('connect_error', (err) => { c.close(); resolve(`refused: ${err.message}`) })
  })

  it('accepts its own origin, a listed one and clients without Origin; refuses a foreign page', async () => {
    const own = new URL(s.url).origin
    expect(await connects()).toBe('connected')
    expect(await connects(own)).toBe('connected')
    expect(await connects('https://wall.example.org')).toBe('connected')
    expect(await connects('https://evil.example.com')).toMatch(/^refused/)
    expect(await connects(`${own}.evil.example.com`)).toMatch(/^refused/)
    expect(await connects('null')).toMatch(/^refused/)
  })
})

describe('state changes need JSON or a header', () => {
  it('refuses a form post, a text/plain post and a body-less post; the same with the header goes through', async () => {
    const form = await json(await api(s, '/api/v1/events', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'events=1' }))
    expect(form.status).toBe(415)
    expect(form.body.details?.[0]?.path).toBe('(headers).content-type')
    expect((await api(s, '/api/v1/display-links', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"scope":"city","label":"x"}' })).status).toBe(415)
    expect((await api(s, '/api/v1/greenway/reload', { method: 'POST' })).status).toBe(415)
    expect((await api(s, '/api/v1/display-links/abc', { method: 'DELETE' })).status).toBe(415)
    expect((await api(s, '/api/v1/display-links/abc', { method: 'DELETE', headers: NO_BODY })).status).toBe(404)
  })
})

describe('methods and paths', () => {
  it('answers 405 with Allow for a wrong method on a known path, JSON 404 for an unknown one', async () => {
    const put = await json(await api(s, '/api/v1/events', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' }))
    expect(put.status).toBe(405)
    expect(put.headers.get('allow')).toBe('POST')
    const del = await api(s, '/api/v1/kpis', { method: 'DELETE', headers: NO_BODY })
    expect(del.status).toBe(405)
    expect(del.headers.get('allow')).toBe('GET, HEAD')
    expect((await api(s, '/api/v1/incidents/x-1/actions')).headers.get('allow')).toBe('POST')
    const unknown = await json(await api(s, '/api/v1/nothing-here'))
    expect(unknown.status).toBe(404)
    expect(unknown.body.error).toMatch(/no such endpoint/)
    const health = await api(s, '/api/v1/health', { method: 'POST', headers: NO_BODY })
    expect([health.status, health.headers.get('allow')]).toEqual([405, 'GET, HEAD'])
    await health.arrayBuffer()
  })

  it('never answers a doubled-slash or odd-case API path with the page', async () => {
    // a doubled slash is normalised before routing and access checks (server/http/normalise-path.ts): the API answers
    for (const path of ['//api/v1/kpis', '///api/v1/kpis/']) {
      const res = await api(s, path)
      expect(res.headers.get('content-type'), path).toMatch(/^application\/json/)
      expect(res.status, path).toBe(200)
      await res.arrayBuffer()
    }
    for (const path of ['//api', '/api', '//socket.io/x', '/API/nothing']) {
      const res = await api(s, path)
      expect(res.headers.get('content-type'), path).toMatch(/^application\/json/)
      expect(res.status, path).not.toBe(200)
      await res.arrayBuffer()
    }
    const page = await api(s, '/ops')
    expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    await page.arrayBuffer()
  })
})

describe('reportedAt window, ids, repeats', () => {
  it('refuses a reportedAt outside one year back / five minutes ahead, naming the field', async () => {
    const now = Date.now()
    const cases: [string, boolean][] = [
      ['0000-01-01T00:00:00Z', false], ['9999-12-31T23:59:59Z', false],
      [new Date(now - 366 * 86_400_000).toISOString(), false], [new Date(now + 10 * 60_000).toISOString(), false],
      [new Date(now - 364 * 86_400_000).toISOString(), true], [new Date(now + 60_000).toISOString(), true],
    ]
    const before = await s.app.repo.currentSeq()
    for (const [reportedAt, ok] of cases) {
      const res = await post(s.url, { events: [inputIn(s.app, JINJIANG, { reportedAt })] })
      const r = (res.body.results as { status: string, error?: string }[])[0]!
      expect(r.status, reportedAt).toBe(ok ? 'stored' : 'rejected')
      if (!ok) expect(r.error).toMatch(/^reportedAt: /)
    }
    expect(await s.app.repo.currentSeq()).toBe(before + 2)
  })

  it('takes ids from one safe set only, in bodies and in paths', async () => {
    for (const id of ['a b', '../x', 'é1', '<x>', '_x', '.x', 'x'.repeat(65), 'a/b', 'a%2Fb']) {
      const r = (await post(s.url, { events: [inputIn(s.app, JINJIANG, { id })] })).body.results as { status: string, error?: string }[]
      expect(r[0]!.status, id).toBe('rejected')
      expect(r[0]!.error, id).toMatch(/^id: /)
    }
    const bad = await json(await api(s, `/api/v1/incidents/${encodeURIComponent('<svg onload=1>')}`))
    expect(bad.status).toBe(400)
    expect(bad.body.details).toEqual([{ path: 'id', message: expect.stringMatching(/^id: /) }])
  })

  it('answers the same id with the same content as a duplicate and with other content as 409', async () => {
    const a = inputIn(s.app, JINJIANG)
    expect((await post(s.url, { events: [a] })).body.results).toEqual([{ id: a.id, status: 'stored' }])
    expect((await post(s.url, { events: [a] })).status).toBe(200)
    const changed = await post(s.url, { events: [{ ...a, severity: a.severity === 'high' ? 'low' : 'high' }] })
    expect(changed.status).toBe(409)
    expect(changed.body.details).toEqual([{ path: 'events.0.id', message: `id: ${a.id} was already stored with different content` }])
  })
})

describe('expensive admin operations', () => {
  it('runs one of three concurrent reloads and answers the others 429 with Retry-After; /health answers', async () => {
    const reloads = await Promise.all([1, 2, 3].map(() => api(s, '/api/v1/greenway/reload', { method: 'POST', headers: NO_BODY })))
    const health = await api(s, '/api/v1/health')
    expect(health.status).toBe(200)
    await health.arrayBuffer()
    const statuses = reloads.map(r => r.status).sort()
    expect(statuses).toEqual([200, 429, 429])
    for (const r of reloads) {
      if (r.status === 429) expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0)
      await r.arrayBuffer()
    }
  })
})
