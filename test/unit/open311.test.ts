import { XMLParser } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config.js'
import { checkApiKey } from '../../server/open311/api-keys.js'
import { splitFormat, toXml } from '../../server/open311/format.js'
import { DEFAULT_SPAN_MS, parseRequestQuery } from '../../server/open311/query.js'
import { reporterName } from '../../server/open311/submit.js'

describe('Open311 pieces', () => {
  it('reads OPEN311_API_KEYS as key or key:source, and names a bad one', () => {
    expect(loadConfig({}).open311.apiKeys).toEqual([])
    expect(loadConfig({ OPEN311_API_KEYS: ' k7Qx9f2Lm4:hotline_12345 , app-key-2 ' }).open311.apiKeys)
      .toEqual([{ key: 'k7Qx9f2Lm4', source: 'hotline_12345' }, { key: 'app-key-2', source: 'citizen_app' }])
    expect(() => loadConfig({ OPEN311_API_KEYS: 'short' })).toThrow(/OPEN311_API_KEYS/)
    expect(() => loadConfig({ OPEN311_API_KEYS: 'long-enough:fax' })).toThrow(/OPEN311_API_KEYS/)
  })

  it('checks a key in one place', () => {
    const keys = [{ key: 'k7Qx9f2Lm4', source: 'hotline_12345' as const }]
    expect(checkApiKey(keys, 'k7Qx9f2Lm4')).toEqual({ ok: true, source: 'hotline_12345', index: 0 })
    expect(checkApiKey(keys, 'k7Qx9f2Lm5')).toMatchObject({ ok: false, description: 'api_key: invalid key' })
    expect(checkApiKey([], 'k7Qx9f2Lm4')).toMatchObject({ ok: false, description: expect.stringContaining('no keys configured') as string })
  })

  it('joins reporter names in the order of their script', () => {
    expect(reporterName('小明', '王')).toBe('王小明')
    expect(reporterName('John', 'Smith')).toBe('John Smith')
    expect(reporterName(undefined, '王')).toBe('王')
    expect(reporterName(undefined, undefined)).toBeUndefined()
  })

  it('applies the spec defaults to GET requests: 90 days ending now, 1000 at most', () => {
    const now = Date.parse('2026-11-24T12:00:00Z')
    const q = parseRequestQuery({}, now)
    expect(q).toEqual({ ok: true, query: { fromMs: now + 1 - DEFAULT_SPAN_MS, toMs: now + 1, limit: 1000 } })
    const fromStart = parseRequestQuery({ start_date: '2026-01-01T00:00:00+08:00' }, now)
    expect(fromStart.ok && fromStart.query.toMs - fromStart.query.fromMs).toBe(DEFAULT_SPAN_MS + 1)
    expect(parseRequestQuery({ status: 'open' }, now)).toMatchObject({ ok: true, query: { statuses: ['reported', 'filed', 'dispatched', 'handled', 'verified', 'postponed'] } })
    const both = parseRequestQuery({ status: 'closed,open' }, now) // both states: no status filter at all
    expect(both.ok && both.query.statuses).toBeUndefined()
    expect(parseRequestQuery({ start_date: '2026-02-01T00:00:00Z', end_date: '2026-01-01T00:00:00Z' }, now)).toMatchObject({ ok: false, status: 400, description: /^start_date/ })
  })

  it('writes the spec XML (declaration, plural/singular lists, escaping) and reads the format from the extension', () => {
    const xml = toXml('services', [{ service_code: '0102', service_name: '<暴露> & 垃圾', metadata: true, group: null }])
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<services>\n  <service>')).toBe(true)
    expect(new XMLParser({ parseTagValue: false }).parse(xml)).toEqual({ '?xml': '', services: { service: { service_code: '0102', service_name: '<暴露> & 垃圾', metadata: 'true', group: '' } } })
    expect(splitFormat('services.json')).toEqual({ name: 'services', format: 'json' })
    expect(splitFormat('o311-a.b.XML')).toEqual({ name: 'o311-a.b', format: 'xml' })
    expect(splitFormat('123')).toEqual({ name: '123', format: 'xml' })
  })
})
