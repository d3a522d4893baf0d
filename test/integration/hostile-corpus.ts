/**
 * The hostile corpus (issue #14 item 8): HTTP and Socket.IO inputs generated from a table of fields × malformations.
 * Each HTTP case names the field its error must name; each socket case the field its ack must name (or none, for
 * unknown events and requests without an ack, which only have to leave the server up and the store unchanged).
 */

export interface HttpCase { kind: 'http', name: string, method: string, path: string, headers?: Record<string, string>, body?: string, field: string }
export interface SocketCase { kind: 'socket', name: string, event: string, args: unknown[], field: string | null }
export type HostileCase = HttpCase | SocketCase

const huge = 'x'.repeat(100_000)
const deep = (n: number): string => '['.repeat(n) + ']'.repeat(n)
const deepObject = (n: number): string => '{"a":'.repeat(n) + '1' + '}'.repeat(n)

/** Malformations any field gets: wrong types, huge and broken strings. Raw JSON text, so Infinity and NaN-ish fit. */
const COMMON: [string, string][] = [
  ['a number', '12345'], ['a boolean', 'true'], ['null', 'null'], ['an array', '["x"]'], ['an object', '{"x":1}'],
  ['a huge string', JSON.stringify(huge)], ['a NUL character', '"a\\u0000b"'], ['a lone surrogate', '"a\\ud800b"'],
  ['deep nesting', deep(2000)], ['a deep object', deepObject(500)], ['a prototype key object', '{"__proto__":{"polluted":1}}'],
]
const NUMBER: [string, string][] = [['a string', '"104.06"'], ['infinite', '1e309'], ['huge', '1e308'], ['negative huge', '-1e308'], ['empty string', '""']]
const DATE: [string, string][] = [['year 0000', '"0000-01-01T00:00:00Z"'], ['year 9999', '"9999-12-31T23:59:59Z"'], ['no zone', '"2026-12-01T10:00:00"'],
  ['February 30', '"2026-02-30T10:00:00Z"'], ['month 13', '"2026-13-01T10:00:00Z"'], ['words', '"yesterday"'], ['epoch ms', '1765000000000']]
const ID: [string, string][] = [['a space', '"a b"'], ['a slash', '"a/b"'], ['dot dot', '"../x"'], ['markup', '"<x>"'], ['non-ASCII', '"é1"'],
  ['leading underscore', '"_x"'], ['too long', JSON.stringify('x'.repeat(65))], ['empty', '""'], ['percent', '"a%2Fb"'], ['__proto__', '"__proto__"']]
const SCOPE = ['district:999999', 'street:abc', 'city:1', 'district:510104;drop', 'DISTRICT:510104', 'district:', 'district:510104/..', '%00', 'x'.repeat(5000), 'constructor', '__proto__']

/** A valid body's JSON with one field (dotted path) replaced by raw JSON text. */
function withField(valid: Record<string, unknown>, path: string, raw: string): string {
  const marker = '"__HOSTILE_MARK__"'
  const copy = structuredClone(valid)
  const keys = path.split('.')
  let at: Record<string, unknown> = copy
  for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>
  at[keys.at(-1)!] = '__HOSTILE_MARK__'
  const text = JSON.stringify(copy)
  if (!text.includes(marker)) throw new Error(`no field ${path}`)
  return text.replace(marker, () => raw)
}

const JSON_HEADERS = { 'content-type': 'application/json' }

export interface CorpusContext {
  /** A valid event (reportedAt now, a point in the city, a fresh safe id). */
  event: (id: string) => Record<string, unknown>
  /** An existing, unfiled case and its version. */
  caseId: string
  caseVersion: number
  /** A greenway segment of the city (footfall readings name one). */
  segment: string
}

export function hostileCorpus(ctx: CorpusContext): HostileCase[] {
  const out: HostileCase[] = []
  const http = (name: string, method: string, path: string, body: string | undefined, field: string, headers: Record<string, string> = JSON_HEADERS) =>
    out.push({ kind: 'http', name, method, path, headers, body, field })

  // POST /api/v1/events: every field of an event × its malformations (one event per request, judged alone)
  let n = 0
  const eventFields: [string, [string, string][]][] = [
    ['id', [...COMMON, ...ID]], ['source', [...COMMON, ['unknown', '"smoke_signal"'], ['padded', '" citizen_app"']]],
    ['category', [...COMMON, ['unknown code', '"9999"'], ['letters', '"abcd"'], ['5 digits', '"01011"']]],
    ['severity', [...COMMON, ['unknown', '"apocalyptic"']]], ['lon', [...COMMON, ...NUMBER, ['181', '181'], ['-181', '-181']]],
    ['lat', [...COMMON, ...NUMBER, ['91', '91'], ['-91', '-91'], ['outside the city', '10']]], ['reportedAt', [...COMMON, ...DATE]],
    ['description', [...COMMON.filter(([w]) => w !== 'a huge string'), ['over 2000', JSON.stringify('说'.repeat(2001))]]],
    ['reporter', [['a string', '"张三"'], ['an array', '[]'], ['an extra key', '{"name":"a","ssn":"1"}'], ['a prototype key', '{"__proto__":{"x":1}}']]],
    ['reporter.name', [...COMMON.filter(([w]) => w !== 'a prototype key object'), ['over 50', JSON.stringify('名'.repeat(51))], ['blank', '"   "']]],
    ['reporter.phone', [...COMMON.filter(([w]) => w !== 'a prototype key object'), ['letters', '"call me"'], ['too long', JSON.stringify('1'.repeat(21))], ['markup', '"<img src=x>"']]],
    ['requestType', [...COMMON, ['unknown', '"complaint"'], ['not a hotline report', '"投诉"']]],
  ]
  for (const [field, malformations] of eventFields) {
    for (const [what, raw] of malformations) {
      const id = `hostile-${n++}`
      const top = field.split('.')[0]!
      // the id field's own cases carry no valid id: their rejection names `id`; an outside point names lon/lat
      const expect = field === 'lat' && what === 'outside the city' ? 'lon/lat' : field === 'reporter.name' || field === 'reporter.phone' ? field : top
      http(`event ${field}: ${what}`, 'POST', '/api/v1/events', `{"events":[${withField(ctx.event(id), field, raw)}]}`, expect)
    }
  }
  // an event with keys it must not have
  for (const key of ['__proto__', 'constructor', 'prototype', 'seq', 'status', 'district', 'version']) {
    const id = `hostile-${n++}`
    http(`event extra key ${key}`, 'POST', '/api/v1/events', `{"events":[${JSON.stringify(ctx.event(id)).slice(0, -1)},"${key}":{"polluted":1}}]}`, key)
  }
  // the envelope
  const envelopes: [string, string | undefined, string, Record<string, string>?][] = [
    ['not JSON', '{"events": [', '(body)'], ['empty body', '', 'events'], ['an array', '[]', '(root)'], ['a string', '"events"', '(root)'],
    ['events null', '{"events":null}', 'events'], ['events an object', '{"events":{}}', 'events'], ['no events', '{"events":[]}', 'events'],
    ['1001 events', JSON.stringify({ events: Array.from({ length: 1001 }, () => ({})) }), 'events'], ['an extra key', '{"events":[{}],"admin":true}', 'admin'],
    ['a prototype key', '{"events":[{}],"__proto__":{"polluted":1}}', '__proto__'], ['deep nesting', `{"events":${deep(5000)}}`, '(root)'],
    ['an event that is an array', '{"events":[[1,2]]}', '(root)'], ['an event that is null', '{"events":[null]}', '(root)'],
    ['a 9 MB body', JSON.stringify({ events: [{ description: 'x'.repeat(9_000_000) }] }), '(body)'],
    ['text/plain', '{"events":[{}]}', 'content-type', { 'content-type': 'text/plain' }],
    ['a form', 'events=1', 'content-type', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['multipart', '--b\r\n\r\nx\r\n--b--', 'content-type', { 'content-type': 'multipart/form-data; boundary=b' }],
    ['no content type', '{"events":[{}]}', 'content-type', {}],
    ['JSON in latin1', '{"events":[{}]}', 'content-type', { 'content-type': 'application/json; charset=latin1' }],
  ]
  for (const [what, body, field, headers] of envelopes) http(`envelope: ${what}`, 'POST', '/api/v1/events', body, field, headers)

  // case actions on an existing case: each field × malformations
  const action = { action: 'file', version: ctx.caseVersion, actor: 'op-1' }
  const actionFields: [string, [string, string][]][] = [
    ['action', [...COMMON, ['unknown', '"delete"'], ['padded', '" file"']]],
    ['version', [...COMMON, ...NUMBER, ['zero', '0'], ['fraction', '1.5']]],
    // no `actor`: who acts comes from the session (issue #14), whatever the body says
    ['department', [['a number', '5'], ['an array', '["城管"]'], ['over 64', JSON.stringify('部'.repeat(65))]]],
    ['note', [...COMMON, ['over 500', JSON.stringify('n'.repeat(501))]]],
    ['deadline', [...COMMON, ...DATE.filter(([w]) => !w.startsWith('year'))]],
    ['photoUrl', [['javascript:', '"javascript:alert(1)"'], ['data:', '"data:text/html,<script>alert(1)</script>"'], ['not for file', '"https://example.org/p.jpg"'], ['a number', '5']]],
    ['assisting', [['a string', '"城管"'], ['six departments', JSON.stringify(['a', 'b', 'c', 'd', 'e', 'f'])], ['not for file', '["城管"]']]],
    ['satisfied', [['a string', '"yes"'], ['a number', '1']]],
  ]
  for (const [field, malformations] of actionFields) {
    for (const [what, raw] of malformations) http(`action ${field}: ${what}`, 'POST', `/api/v1/incidents/${ctx.caseId}/actions`, withField(action, field, raw), field)
  }
  for (const [what, reason] of [['no reason', undefined], ['blank reason', '   '], ['a NUL in the reason', 'a\u0000b']] as const) {
    http(`action reject: ${what}`, 'POST', `/api/v1/incidents/${ctx.caseId}/actions`, JSON.stringify({ action: 'reject', version: ctx.caseVersion, actor: 'op-1', ...(reason !== undefined && { reason }) }), 'reason')
  }
  for (const [what, raw] of ID) http(`case id in the path: ${what}`, 'POST', `/api/v1/incidents/${encodeURIComponent(JSON.parse(raw) as string) || '%20'}/actions`, JSON.stringify(action), 'id')
  http('action: extra key', 'POST', `/api/v1/incidents/${ctx.caseId}/actions`, JSON.stringify({ ...action, status: 'closed' }), 'status')
  http('action: a prototype key', 'POST', `/api/v1/incidents/${ctx.caseId}/actions`, `${JSON.stringify(action).slice(0, -1)},"__proto__":{"polluted":1}}`, '__proto__')

  // display links
  const link = { scope: 'district:510104', label: '锦江区指挥大厅' }
  for (const [what, raw] of [...COMMON, ...SCOPE.map(v => [`scope ${v.slice(0, 20)}`, JSON.stringify(v)] as [string, string])]) http(`display link scope: ${what}`, 'POST', '/api/v1/display-links', withField(link, 'scope', raw), 'scope')
  for (const [what, raw] of [...COMMON, ['over 64', JSON.stringify('l'.repeat(65))], ['blank', '"  "']] as [string, string][]) http(`display link label: ${what}`, 'POST', '/api/v1/display-links', withField(link, 'label', raw), 'label')

  // campaigns
  const campaign = { name: '夜间露天烧烤整治', categories: ['0102'], scope: 'district:510104', startDate: '2026-12-01', endDate: '2026-12-30', targetRate: 0.95 }
  const campaignFields: [string, [string, string][]][] = [
    ['name', [...COMMON, ['over 60', JSON.stringify('名'.repeat(61))]]],
    ['categories', [...COMMON.filter(([w]) => w !== 'an array'), ['unknown code', '["9999"]'], ['empty', '[]']]],
    ['scope', SCOPE.map(v => [v.slice(0, 20), JSON.stringify(v)] as [string, string])],
    ['startDate', [...COMMON, ...DATE, ['February 30 date', '"2026-02-30"']]],
    ['targetRate', [...COMMON, ...NUMBER, ['zero', '0'], ['1.5', '1.5']]],
  ]
  for (const [field, malformations] of campaignFields) {
    for (const [what, raw] of malformations) http(`campaign ${field}: ${what}`, 'POST', '/api/v1/campaigns', withField(campaign, field, raw), field)
  }

  // alarm acknowledgement, greenway changes, footfall
  for (const [what, raw] of [...COMMON, ['over 64', JSON.stringify('a'.repeat(65))]] as [string, string][]) http(`alarm ack actor: ${what}`, 'POST', '/api/v1/alarms/1/ack', withField({ actor: 'op-1' }, 'actor', raw), 'actor')
  for (const bad of ['abc', '-1', '1.5', '99999999999999999999', '1e3']) http(`alarm id ${bad}`, 'POST', `/api/v1/alarms/${bad}/ack`, '{"actor":"op-1"}', 'id')
  const reading = { sensor: 'gw-s-1', segment: ctx.segment, count: 10, at: new Date().toISOString() }
  for (const [field, malformations] of [['sensor', [...COMMON, ...ID]], ['count', [...COMMON.filter(([w]) => w !== 'a number'), ...NUMBER, ['negative', '-1'], ['fraction', '1.5'], ['over 100000', '100001']]], ['at', [...COMMON, ...DATE.filter(([w]) => !w.startsWith('year'))]]] as [string, [string, string][]][]) {
    for (const [what, raw] of malformations) http(`footfall ${field}: ${what}`, 'POST', '/api/v1/footfall', `{"readings":[${withField(reading, field, raw)}]}`, field)
  }
  const change = { id: 'chg-hostile', kind: 'facility-added', facility: { id: 'fac-hostile', name: '驿站', type: 'station', lon: 104.06, lat: 30.66 }, at: new Date().toISOString() }
  for (const [field, malformations] of [['facility.name', [...COMMON.filter(([w]) => w !== 'a prototype key object'), ['over 100', JSON.stringify('名'.repeat(101))]]], ['kind', [...COMMON, ['unknown', '"segment-deleted"']]], ['facility.id', ID]] as [string, [string, string][]][]) {
    for (const [what, raw] of malformations) http(`greenway change ${field}: ${what}`, 'POST', '/api/v1/greenway/events', `{"events":[${withField(change, field, raw)}]}`, field.split('.').at(-1)!)
  }

  // reads: scopes and query parameters
  for (const path of ['/api/v1/kpis', '/api/v1/cases', '/api/v1/league', '/api/v1/alarms']) {
    for (const scope of SCOPE) http(`GET ${path} scope ${scope.slice(0, 20)}`, 'GET', `${path}?scope=${encodeURIComponent(scope)}`, undefined, 'scope', {})
  }
  for (const q of ['level=planet', 'level=district&parent=<x>']) http(`GET coverage ${q}`, 'GET', `/api/v1/coverage?${q}`, undefined, q.includes('parent') ? 'parent' : 'level', {})
  for (const q of ['from=yesterday', 'from=0000-01-01T00:00:00Z&workingHours=1', 'from=2026-12-01T10:00:00Z&workingHours=-1', 'from=2026-12-01T10:00:00Z&workingHours=1e309']) http(`GET calendar/due ${q}`, 'GET', `/api/v1/calendar/due?${q}`, undefined, q.includes('workingHours=-') || q.includes('e309') ? 'workingHours' : 'from', {})

  // Socket.IO
  const sock = (name: string, event: string, args: unknown[], field: string | null) => out.push({ kind: 'socket', name, event, args, field })
  const scopeValues: unknown[] = [null, 5, true, [], {}, ...SCOPE]
  for (const scope of scopeValues) sock(`subscribe scope ${JSON.stringify(scope).slice(0, 20)}`, 'scope:subscribe', [{ scope }], 'scope')
  for (const sinceSeq of [-1, 1.5, 'x', null, Number.POSITIVE_INFINITY, {}, []]) sock(`subscribe sinceSeq ${JSON.stringify(sinceSeq)}`, 'scope:subscribe', [{ scope: 'city', sinceSeq }], 'sinceSeq')
  for (const req of [null, 'city', 5, []]) sock(`subscribe request ${JSON.stringify(req)}`, 'scope:subscribe', [req], 'scope')
  for (const id of [5, null, '<x>', '../x', 'x'.repeat(65), '__proto__', {}]) sock(`act id ${JSON.stringify(id).slice(0, 20)}`, 'incident:act', [{ id, action: 'file', version: 1, actor: 'op-1' }], 'id')
  for (const [field, values] of [['action', ['delete', 5, null]], ['version', [0, -1, 'x', 1.5]], ['note', [5, 'n'.repeat(501)]], ['deadline', ['yesterday', 5]]] as [string, unknown[]][]) {
    for (const v of values) sock(`act ${field} ${JSON.stringify(v).slice(0, 20)}`, 'incident:act', [{ id: ctx.caseId, action: 'file', version: ctx.caseVersion, actor: 'op-1', [field]: v }], field)
  }
  // who acknowledges comes from the session (issue #14): only the alarm id is the request's
  for (const [field, req] of [['id', { id: 'x' }], ['id', { id: 1.5 }], ['id', null], ['id', { id: '1' }], ['id', { id: [] }], ['id', { id: {} }]] as [string, unknown][]) {
    sock(`alarm ack ${JSON.stringify(req)}`, 'alarm:ack', [req], field)
  }
  for (const req of [{ scope: 'city' }, { scope: 'district:999999' }, null, { scope: 5 }]) sock(`alarm list ${JSON.stringify(req)}`, 'alarm:list', [req], 'scope')
  for (const event of ['admin:drop', 'incident:delete', 'constructor', '__proto__', 'hasOwnProperty', 'toString', 'x'.repeat(1000)]) sock(`unknown event ${event.slice(0, 20)}`, event, [{ scope: 'city' }], null)
  for (const [event, payload] of [['scope:subscribe', { scope: 'city' }], ['incident:act', { id: ctx.caseId, action: 'file', version: ctx.caseVersion, actor: 'op-1' }], ['alarm:ack', { id: 1, actor: 'a' }]] as [string, unknown][]) {
    sock(`${event} with a non-function ack`, event, [payload, 'not-a-function'], null)
    sock(`${event} without an ack`, event, [payload], null)
  }
  return out
}
