import gcoord from 'gcoord'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errors, type Fmt, get, postRequest, rows } from './open311-client.js'
import { api, pointIn, type Running, startApp } from './harness.js'

/** Every refusal a GeoReport v2 client can meet, in the spec's error format and codes, in both formats. */
const KEY = 'key-citizen-app-1'
let s: Running
let bare: Running // a server with no Open311 keys configured
beforeAll(async () => {
  s = await startApp({ open311: { apiKeys: [{ key: KEY, source: 'citizen_app' }] } })
  bare = await startApp()
})
afterAll(async () => { await Promise.all([s.stop(), bare.stop()]) })

function form(patch: Record<string, string | undefined> = {}): Record<string, string> {
  const p = pointIn(s.app, '510106')
  const all: Record<string, string | undefined> = { api_key: KEY, service_code: '0102', lat: String(p.lat), long: String(p.lon), description: '测试', ...patch }
  return Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined))
}

async function storedCount(): Promise<number> {
  return rows(await get(s.url, '/v2/requests', 'json'), '', '').length
}

describe.each<Fmt>(['json', 'xml'])('Open311 errors in %s', fmt => {
  const refused = async (answer: Promise<Awaited<ReturnType<typeof get>>>, status: number, description: RegExp) => {
    const a = await answer
    expect(a.status, a.text).toBe(status)
    expect(a.type).toBe(fmt === 'json' ? 'application/json; charset=utf-8' : 'text/xml; charset=utf-8')
    const errs = errors(a)
    expect(errs).toHaveLength(1)
    expect(errs[0]![0]).toBe(status)
    expect(errs[0]![1]).toMatch(description)
    if (fmt === 'xml') expect(a.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<errors>\n {2}<error>\n {4}<code>\d{3}<\/code>/)
  }

  it('POST: 400 naming the missing or invalid field, 404 for an unknown service, 403 for a bad key; nothing stored', async () => {
    const before = await storedCount()
    await refused(postRequest(s.url, fmt, form({ service_code: undefined })), 400, /^service_code: required/)
    await refused(postRequest(s.url, fmt, form({ lat: 'abc' })), 400, /^lat: must be a decimal degree/)
    await refused(postRequest(s.url, fmt, form({ lat: '95' })), 400, /^lat: /)
    await refused(postRequest(s.url, fmt, form({ long: undefined })), 400, /^long: required with lat/)
    await refused(postRequest(s.url, fmt, form({ lat: '39.9042', long: '116.4074' })), 400, /^lat\/long: point \(lat 39.9042, long 116.4074\) is outside 成都市/)
    await refused(postRequest(s.url, fmt, form({ lat: undefined, long: undefined, address_string: '春熙路 1 号' })), 400, /^lat\/long: required: this server cannot geocode address_string/)
    await refused(postRequest(s.url, fmt, form({ lat: undefined, long: undefined })), 400, /^lat\/long: required/)
    await refused(postRequest(s.url, fmt, form({ media_url: 'javascript:alert(1)' })), 400, /^media_url: /)
    await refused(postRequest(s.url, fmt, form({ 'attribute[severity]': 'apocalyptic' })), 400, /^attribute\[severity\]: must be one of low, normal, high, critical/)
    await refused(postRequest(s.url, fmt, form({ phone: 'call me' })), 400, /^phone: digits/)
    await refused(postRequest(s.url, fmt, form({ coordinate_system: 'utm' })), 400, /^coordinate_system: /)
    await refused(postRequest(s.url, fmt, form({ service_code: '9999' })), 404, /^service_code: 9999 was not found/)
    await refused(postRequest(s.url, fmt, form({ jurisdiction_id: 'sf.gov' })), 404, /^jurisdiction_id: sf.gov was not found/)
    await refused(postRequest(s.url, fmt, form({ api_key: 'wrong-key-123' })), 403, /^api_key: invalid key/)
    await refused(postRequest(s.url, fmt, form({ api_key: undefined })), 403, /^api_key: required/)
    await refused(postRequest(bare.url, fmt, form()), 403, /OPEN311_API_KEYS/)
    const json = api(s, `/open311/v2/requests.${fmt}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(form()) })
    await refused(json.then(async r => ({ status: r.status, type: r.headers.get('content-type') ?? '', text: await r.clone().text(), body: await parseAs(r) })), 400, /x-www-form-urlencoded/)
    expect(await storedCount()).toBe(before)
  })

  it('GET: 404 for an unknown service, request, token or resource; 400 for bad dates and statuses', async () => {
    await refused(get(s.url, '/v2/services/9999', fmt), 404, /^service_code: 9999 was not found/)
    await refused(get(s.url, '/v2/requests/no-such-request', fmt), 404, /^service_request_id: no-such-request was not found/)
    await refused(get(s.url, '/v2/tokens/no-such-token', fmt), 404, /^token: no-such-token was not found/)
    await refused(get(s.url, '/v2/requests', fmt, { start_date: 'yesterday' }), 400, /^start_date: must be an ISO 8601/)
    await refused(get(s.url, '/v2/requests', fmt, { end_date: '2026-11-24T09:30:00' }), 400, /^end_date: .*time zone/)
    await refused(get(s.url, '/v2/requests', fmt, { status: 'pending' }), 400, /^status: must be open or closed/)
    await refused(get(s.url, '/v2/requests', fmt, { service_code: '0102,7777' }), 404, /^service_code: 7777 was not found/)
    await refused(get(s.url, '/v2/services', fmt, { jurisdiction_id: 'sf.gov' }), 404, /^jurisdiction_id: /)
    await refused(get(s.url, '/v2/unknown', fmt), 404, /^no such Open311 resource: GET \/open311\/v2\/unknown/)
  })
})

async function parseAs(r: Response): Promise<unknown> {
  const text = await r.text()
  if (r.headers.get('content-type')?.startsWith('application/json')) return JSON.parse(text) as unknown
  const { XMLParser } = await import('fast-xml-parser')
  return new XMLParser({ parseTagValue: false, isArray: n => n === 'error' }).parse(text) as unknown
}

describe('Open311 coordinates', () => {
  it('takes GCJ-02 and BD-09 with coordinate_system and stores WGS-84; answers WGS-84', async () => {
    const wgs = pointIn(s.app, '510107')
    for (const [name, datum] of [['gcj02', gcoord.GCJ02], ['bd09', gcoord.BD09]] as const) {
      const [lon, lat] = gcoord.transform([wgs.lon, wgs.lat], gcoord.WGS84, datum) as [number, number]
      expect(Math.abs(lon - wgs.lon) + Math.abs(lat - wgs.lat)).toBeGreaterThan(0.003) // the shift is hundreds of metres
      const created = await postRequest(s.url, 'json', form({ lat: String(lat), long: String(lon), coordinate_system: name }))
      expect(created.status, created.text).toBe(200)
      const id = (created.body as { service_request_id: string }[])[0]!.service_request_id
      const [back] = rows(await get(s.url, `/v2/requests/${id}`, 'json'), '', '') as { lat: number, long: number }[]
      expect(back!.lat).toBeCloseTo(wgs.lat, 5) // ≈ 1 m
      expect(back!.long).toBeCloseTo(wgs.lon, 5)
    }
  })
})
