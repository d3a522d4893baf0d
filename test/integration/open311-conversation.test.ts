import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Fmt, get, plain, postRequest, rows } from './open311-client.js'
import { api, inputIn, pointIn, post, type Running, startApp } from './harness.js'

/**
 * A whole GeoReport v2 conversation, as the spec's examples run it, in JSON and in XML: discover, list services,
 * read a definition, POST a request (form-encoded), follow the token, GET it back; an operator files and
 * dispatches it, and the client sees agency, deadline and status change; then it is closed.
 */
const KEY = 'key-12345-platform'
let s: Running
beforeAll(async () => { s = await startApp({ open311: { apiKeys: [{ key: KEY, source: 'hotline_12345' }] } }) })
afterAll(async () => { await s.stop() })

async function act(id: string, body: Record<string, unknown>) {
  const res = await api(s, `/api/v1/incidents/${id}/actions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ actor: 'op-1', ...body }) })
  expect(res.status, await res.clone().text()).toBe(200)
  return await res.json() as { version: number }
}

/** The spec's example POST, field for field, with Chengdu values (unknown attributes are ignored). */
function exampleForm(lon: number, lat: number): Record<string, string> {
  return {
    api_key: KEY, jurisdiction_id: 'chengdu', service_code: '0102', lat: String(lat), long: String(lon),
    address_string: '锦江区春熙路 1 号', email: 'wang@example.org', device_id: 'tt222111', account_id: '123456',
    first_name: '小明', last_name: '王', phone: '13800001234', description: '人行道上堆着一大堆生活垃圾',
    media_url: 'https://img.example.org/report/1.jpg', 'attribute[severity]': 'high', 'attribute[request_type]': 'complain', 'attribute[WHISPAWN]': '123456',
  }
}

describe.each<Fmt>(['json', 'xml'])('an Open311 GeoReport v2 conversation in %s', fmt => {
  it('discovers the endpoint, lists services with groups and keywords, and reads a definition', async () => {
    const disc = await get(s.url, '/discovery', fmt)
    expect(disc.status).toBe(200)
    expect(disc.type).toBe(fmt === 'json' ? 'application/json; charset=utf-8' : 'text/xml; charset=utf-8')
    if (fmt === 'xml') expect(disc.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true)
    const [endpoint] = rows({ ...disc, body: fmt === 'json' ? (disc.body as { endpoints: unknown }).endpoints : (disc.body as { discovery: unknown }).discovery }, 'endpoints', 'endpoint')
    expect(endpoint).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', url: `${s.url}/open311/v2`, type: 'production' })
    expect(disc.text).toContain('coordinate_system=gcj02')

    const services = rows(await get(s.url, '/v2/services', fmt, { jurisdiction_id: 'chengdu' }), 'services', 'service').map(plain)
    expect(services.length).toBeGreaterThan(20)
    expect(services.find(x => x.service_code === '0102')).toEqual({
      service_code: '0102', service_name: '暴露垃圾', metadata: 'true', type: 'realtime', group: '市容环境',
      keywords: '暴露垃圾,Exposed garbage,市容环境,City appearance,环卫', description: expect.stringContaining('4 工作小时') as string,
    })

    const def = await get(s.url, '/v2/services/0102', fmt, { jurisdiction_id: 'chengdu' })
    expect(def.status).toBe(200)
    const body = (fmt === 'json' ? def.body : (def.body as { service_definition: unknown }).service_definition) as { service_code: string }
    expect(String(body.service_code)).toBe('0102')
    const attrs = rows({ ...def, body: fmt === 'json' ? (body as unknown as { attributes: unknown }).attributes : body }, 'attributes', 'attribute')
    expect(attrs.map(a => [a.code, String(a.datatype), String(a.required), String(a.order)])).toEqual([['severity', 'singlevaluelist', 'false', '1'], ['request_type', 'singlevaluelist', 'false', '2']])
  })

  it('POSTs a request through the ingest path, follows the token and GETs it back; an operator acts and the client sees it', async () => {
    const where = pointIn(s.app, '510104', fmt === 'json' ? 3 : 5)
    const created = await postRequest(s.url, fmt, exampleForm(where.lon, where.lat))
    expect(created.status, created.text).toBe(200)
    const [answer] = rows(created, 'service_requests', 'request').map(plain)
    const id = answer!.service_request_id!
    expect(answer).toEqual({ service_request_id: id, token: id, service_notice: expect.stringContaining('4 工作小时') as string, account_id: null })

    // stored as any report: the hotline channel of the key, the attribute's severity, the reporter from the name fields
    const stored = await (await api(s, `/api/v1/incidents/${id}`)).json() as Record<string, unknown>
    expect(stored).toMatchObject({ source: 'hotline_12345', category: '0102', severity: 'high', requestType: 'complain', status: 'reported', district: '510104', reporter: { name: '王小明', phone: '13800001234' } })

    const token = rows(await get(s.url, `/v2/tokens/${id}`, fmt), 'service_requests', 'request').map(plain)
    expect(token).toEqual([{ service_request_id: id, token: id }])

    const fresh = rows(await get(s.url, `/v2/requests/${id}`, fmt, { jurisdiction_id: 'chengdu' }), 'service_requests', 'request').map(plain)
    expect(fresh).toEqual([{
      service_request_id: id, status: 'open', status_notes: expect.stringContaining('待立案') as string, service_name: '暴露垃圾', service_code: '0102',
      description: '人行道上堆着一大堆生活垃圾', agency_responsible: null, service_notice: answer!.service_notice,
      requested_datetime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/) as string, updated_datetime: expect.any(String) as string,
      expected_datetime: null, address: '锦江区春熙路 1 号', address_id: null, zipcode: null, lat: String(where.lat), long: String(where.lon),
      media_url: 'https://img.example.org/report/1.jpg',
    }])

    let { version } = await act(id, { action: 'file', version: 1 })
    ;({ version } = await act(id, { action: 'dispatch', version, department: '锦江区环卫所' }))
    const incident = await (await api(s, `/api/v1/incidents/${id}`)).json() as { deadline: string }
    const [dispatched] = rows(await get(s.url, `/v2/requests/${id}`, fmt), 'service_requests', 'request').map(plain)
    expect(dispatched).toMatchObject({ status: 'open', agency_responsible: '锦江区环卫所', status_notes: expect.stringContaining('已派遣至锦江区环卫所') as string })
    expect(Date.parse(dispatched!.expected_datetime!)).toBe(Math.floor(Date.parse(incident.deadline) / 1000) * 1000) // the working calendar's deadline, to the second
    expect(Date.parse(dispatched!.updated_datetime!)).toBeGreaterThanOrEqual(Date.parse(fresh[0]!.updated_datetime!))

    for (const action of ['handle', 'verify-pass', 'close']) ({ version } = await act(id, { action, version }))
    const [closed] = rows(await get(s.url, '/v2/requests', fmt, { service_request_id: id }), 'service_requests', 'request').map(plain)
    expect(closed).toMatchObject({ service_request_id: id, status: 'closed', status_notes: expect.stringContaining('已结案') as string, agency_responsible: '锦江区环卫所' })

    // personal data never leaves through the public GETs
    const list = await get(s.url, '/v2/requests', fmt)
    expect(list.text).toContain(id)
    for (const personal of ['13800001234', '王小明', '小明', 'wang@example.org']) expect(list.text).not.toContain(personal)
  })
})

describe('GET requests filters', () => {
  it('defaults to the last 90 days, filters by service_code, status, dates and id lists, newest first', async () => {
    const now = Date.now()
    const old = inputIn(s.app, '510105', { id: 'o311-old', category: '0101', reportedAt: new Date(now - 100 * 86_400_000).toISOString() })
    const recent = inputIn(s.app, '510105', { id: 'o311-recent', category: '0101', reportedAt: new Date(now - 2 * 86_400_000).toISOString() })
    expect((await post(s.url, { events: [old, recent] })).status).toBe(200)

    const ids = async (params: Record<string, string>) => rows(await get(s.url, '/v2/requests', 'json', params), '', '').map(r => r.service_request_id)
    expect(await ids({ service_code: '0101' })).toEqual(['o311-recent']) // 90-day default span
    expect(await ids({ service_code: '0101', start_date: new Date(now - 120 * 86_400_000).toISOString(), end_date: new Date(now).toISOString() })).toEqual(['o311-recent', 'o311-old'])
    expect(await ids({ service_code: '0101,0102', status: 'closed' })).toHaveLength(2) // the two closed conversations above
    expect(await ids({ service_code: '0101', status: 'open' })).toEqual(['o311-recent'])
    expect(await ids({ service_request_id: 'o311-old,o311-recent,no-such-id' })).toEqual(['o311-recent', 'o311-old'])
    // a GeoReport client reads every report of the city, not only its own: the address is where it was located
    const [r] = rows(await get(s.url, '/v2/requests/o311-recent', 'xml'), 'service_requests', 'request').map(plain)
    expect(r!.address).toMatch(/^成都市.+区.+/)
  })
})
