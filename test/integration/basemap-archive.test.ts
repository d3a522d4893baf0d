import http from 'node:http'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, type Running, startApp } from './harness.js'

const FIXTURE = fileURLToPath(new URL('../fixtures/basemap/tianfu.pmtiles', import.meta.url))
const bytes = readFileSync(FIXTURE)
const PATH = '/api/v1/basemap/tiles.pmtiles'

function statusOf(url: string, headers: Record<string, string>): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode))
    }).on('error', reject)
  })
}

describe('GET /api/v1/basemap/tiles.pmtiles with BASEMAP_PMTILES set', () => {
  let s: Running
  beforeAll(async () => { s = await startApp({ basemapPmtiles: FIXTURE }) })
  afterAll(async () => { await s.stop() })
  const get = (headers: Record<string, string> = {}, method = 'GET') => api(s, `${PATH}`, { method, headers })

  it('tells the client where the archive is', async () => {
    const res = await api(s, `/api/v1/client-config`)
    expect(await res.json()).toMatchObject({ basemapStyleUrl: null, basemapPmtilesUrl: PATH })
  })

  it('answers a range with 206 and exactly those bytes', async () => {
    const res = await get({ range: 'bytes=0-126' })
    expect(res.status).toBe(206)
    expect(res.headers.get('content-range')).toBe(`bytes 0-126/${bytes.length}`)
    expect(res.headers.get('content-length')).toBe('127')
    expect(res.headers.get('accept-ranges')).toBe('bytes')
    const body = Buffer.from(await res.arrayBuffer())
    expect(body.equals(bytes.subarray(0, 127))).toBe(true)
    expect(body.subarray(0, 7).toString('latin1')).toBe('PMTiles')

    const mid = await get({ range: `bytes=1000-1999` })
    expect(mid.status).toBe(206)
    expect(Buffer.from(await mid.arrayBuffer()).equals(bytes.subarray(1000, 2000))).toBe(true)
    // a suffix range: the last 100 bytes
    const tail = await get({ range: 'bytes=-100' })
    expect(tail.status).toBe(206)
    expect(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(bytes.length - 100))).toBe(true)
  })

  it('gives a strong ETag, and honours If-Range only when it matches exactly', async () => {
    const first = await get({ range: 'bytes=0-9' })
    const etag = first.headers.get('etag')!
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/) // strong: PMTiles readers ignore weak W/ tags
    await first.arrayBuffer()
    const same = await get({ range: 'bytes=0-9', 'if-range': etag })
    expect(same.status).toBe(206)
    await same.arrayBuffer()
    // the archive was replaced (another tag) or the tag is weak: the whole current file, 200
    for (const stale of ['"0-0"', `W/${etag}`]) {
      const res = await get({ range: 'bytes=0-9', 'if-range': stale })
      expect(res.status, stale).toBe(200)
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true)
    }
    // a revalidation (node:http: fetch would add `cache-control: no-cache`, which rightly forbids a 304)
    expect(await statusOf(`${s.url}${PATH}`, { 'if-none-match': etag })).toBe(304)
  })

  it('answers an unsatisfiable range with 416 and the size', async () => {
    const res = await get({ range: `bytes=${bytes.length}-${bytes.length + 10}` })
    expect(res.status).toBe(416)
    expect(res.headers.get('content-range')).toBe(`bytes */${bytes.length}`)
    expect(await res.json()).toMatchObject({ error: 'range not satisfiable', details: [{ path: 'range' }] })
  })

  it('sends the whole archive without a range, and headers only to HEAD', async () => {
    const whole = await get()
    expect(whole.status).toBe(200)
    expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true)
    const head = await get({}, 'HEAD')
    expect(head.status).toBe(200)
    expect(head.headers.get('content-length')).toBe(String(bytes.length))
    expect(head.headers.get('accept-ranges')).toBe('bytes')
    expect((await head.arrayBuffer()).byteLength).toBe(0)
  })
})

describe('without BASEMAP_PMTILES', () => {
  it('answers 404 and the client keeps its offline style', async () => {
    const s = await startApp()
    try {
      const res = await api(s, `${PATH}`, { headers: { range: 'bytes=0-126' } })
      expect(res.status).toBe(404)
      expect(await res.json()).toMatchObject({ error: expect.stringContaining('BASEMAP_PMTILES') })
      expect(await (await api(s, `/api/v1/client-config`)).json()).toMatchObject({ basemapStyleUrl: null, basemapPmtilesUrl: null })
    } finally {
      await s.stop()
    }
  })

  it('a missing file is a 404 too, not a crash', async () => {
    const s = await startApp({ basemapPmtiles: '/nonexistent/city.pmtiles' })
    try {
      expect((await api(s, `${PATH}`)).status).toBe(404)
      expect(await (await api(s, `/api/v1/client-config`)).json()).toMatchObject({ basemapPmtilesUrl: null })
    } finally {
      await s.stop()
    }
  })
})
