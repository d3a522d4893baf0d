import { describe, expect, it } from 'vitest'
import type { Principal, Role } from '../../shared/access.js'
import { refuseParty, refuseScope, seesReporter } from '../../shared/access-check.js'
import { parseScope } from '../../shared/scope.js'
import { maskReporters } from '../../server/access/mask-response.js'
import { normalisePath } from '../../server/http/normalise-path.js'
import { askedScope, type ScopeResolvers } from '../../server/access/request-scope.js'
import { lookupRoute } from '../../server/access/route-table.js'

const streets: Record<string, string> = { 510104001: '510104', 510106001: '510106' }
const districtOfStreet = (s: string) => streets[s]
const user = (role: Role, scope: string): Principal =>
  ({ kind: 'user', id: 'u', username: 'u', role, scope, sessionId: 's' })

describe('path normalisation (issue #14)', () => {
  it('gives every spelling of a route one form', () => {
    const cases: [string, string][] = [
      ['/api/v1/kpis/', '/api/v1/kpis'],
      ['//api/v1/kpis', '/api/v1/kpis'],
      ['/api//v1///league/', '/api/v1/league'],
      ['/api/v1/./coverage', '/api/v1/coverage'],
      ['/api/v1/x/../kpis', '/api/v1/kpis'],
      ['/api/v1/%6bpis', '/api/v1/kpis'],
      ['/api/v1/%2e%2e/v1/kpis', '/api/v1/kpis'],
      ['/../../etc/passwd', '/etc/passwd'],
      ['/api/v1/incidents/a%2fb', '/api/v1/incidents/a%2Fb'],
      ['/', '/'],
    ]
    for (const [raw, want] of cases) expect(normalisePath(raw), raw).toBe(want)
    expect(normalisePath('/api/v1/%zz')).toBeNull()
  })

  it('finds a route as Express does: case-insensitive, literal before parameter, HEAD as GET, 405 on a wrong method', () => {
    expect(lookupRoute('GET', '/API/V1/KPIS')).toMatchObject({ kind: 'found', match: { rule: { path: '/api/v1/kpis' } } })
    expect(lookupRoute('GET', '/api/v1/calendar/due')).toMatchObject({ kind: 'found', match: { rule: { path: '/api/v1/calendar/due' } } })
    expect(lookupRoute('HEAD', '/api/v1/incidents/abc')).toMatchObject({ kind: 'found', match: { params: { id: 'abc' } } })
    expect(lookupRoute('DELETE', '/api/v1/kpis')).toEqual({ kind: 'method', allow: ['GET'] })
    expect(lookupRoute('GET', '/api/v1/nothing')).toEqual({ kind: 'unknown' })
  })
})

describe('the decision', () => {
  const district = parseScope('district:510104')
  it('401 for anonymous, 403 for a role outside the row', () => {
    expect(refuseParty(['admin'], { kind: 'anonymous' }, 'x')?.status).toBe(401)
    expect(refuseParty(['admin'], user('operator', 'city'), 'x')?.status).toBe(403)
    expect(refuseParty(['admin', 'operator'], user('operator', 'city'), 'x')).toBeNull()
    expect(refuseParty(['display'], { kind: 'display', linkId: 'l', scope: 'city' }, 'x')).toBeNull()
  })

  it('a district sees itself and its streets, never the city or another district; a street only itself', () => {
    const op = user('operator', 'district:510104')
    expect(refuseScope(op, district, 'scope', districtOfStreet)).toBeNull()
    expect(refuseScope(op, parseScope('street:510104001'), 'scope', districtOfStreet)).toBeNull()
    expect(refuseScope(op, parseScope('street:510106001'), 'scope', districtOfStreet)?.status).toBe(403)
    expect(refuseScope(op, parseScope('district:510106'), 'scope', districtOfStreet)?.details?.[0]?.path).toBe('scope')
    expect(refuseScope(op, null, 'scope', districtOfStreet)?.status).toBe(403)
    const st = user('operator', 'street:510104001')
    expect(refuseScope(st, district, 'scope', districtOfStreet)?.status).toBe(403)
    expect(refuseScope(user('analyst', 'city'), parseScope('street:510106001'), 'scope', districtOfStreet)).toBeNull()
  })

  it('reporters are seen by operators and admins of the case\'s scope only', () => {
    const place = { district: '510104', street: '510104001' }
    expect(seesReporter(user('operator', 'district:510104'), place)).toBe(true)
    expect(seesReporter(user('admin', 'city'), place)).toBe(true)
    expect(seesReporter(user('operator', 'district:510106'), place)).toBe(false)
    for (const role of ['leader', 'analyst', 'display'] as const) expect(seesReporter(user(role, 'city'), place)).toBe(false)
    expect(seesReporter({ kind: 'display', linkId: 'l', scope: 'city' }, place)).toBe(false)
  })

  it('masks every reporter in a body, leaves the rest untouched', () => {
    const body = { rows: [{ id: 'a', district: '510104', street: '510104001', reporter: { name: '张三丰', phone: '13812345678' } }], n: 1 }
    expect(maskReporters(body, user('operator', 'district:510104'))).toBe(body)
    const masked = maskReporters(body, user('leader', 'city'))
    expect(masked.rows[0]!.reporter).toEqual({ name: '张**', phone: '138****5678' })
    expect(body.rows[0]!.reporter.name).toBe('张三丰')
  })
})

describe('the scope a request asks for', () => {
  const r: ScopeResolvers = {
    districtOfStreet,
    unit: code => ({ 510104: { level: 'district', parent: '510100' }, 510104001: { level: 'street', parent: '510104' }, 510104001001: { level: 'community', parent: '510104001' } } as Record<string, { level: string, parent: string }>)[code],
    cellCommunity: () => '510104001001',
    incidentPlace: async id => (id === 'x' ? { district: '510104', street: '510104001' } : null),
    alarmPlace: async () => null,
    campaignScope: async () => null,
  }
  const rule = (path: string) => { const f = lookupRoute('GET', path); if (f.kind !== 'found') throw new Error(path); return f.match }
  const op = user('operator', 'district:510104')

  it('narrows a left-out scope to the principal\'s own, takes a given one as asked', async () => {
    const kpis = rule('/api/v1/kpis')
    expect(await askedScope(kpis.rule, {}, {}, undefined, op, r)).toEqual({ kind: 'narrow', set: { scope: 'district:510104' } })
    expect(await askedScope(kpis.rule, {}, {}, undefined, user('admin', 'city'), r)).toMatchObject({ kind: 'asked', scope: null })
    expect(await askedScope(kpis.rule, {}, { scope: 'city' }, undefined, op, r)).toMatchObject({ kind: 'asked', scope: null })
    expect(await askedScope(kpis.rule, {}, { scope: ['a', 'b'] }, undefined, op, r)).toMatchObject({ kind: 'invalid', field: 'scope' })
  })

  it('coverage: a district table is city-wide, a parent is the scope asked, a missing parent is narrowed', async () => {
    const cov = rule('/api/v1/coverage').rule
    expect(await askedScope(cov, {}, {}, undefined, op, r)).toMatchObject({ kind: 'asked', scope: null })
    expect(await askedScope(cov, {}, { level: 'district' }, undefined, op, r)).toMatchObject({ kind: 'asked', scope: null })
    expect(await askedScope(cov, {}, { level: 'street', parent: '510106' }, undefined, op, r)).toMatchObject({ kind: 'asked', scope: null })
    expect(await askedScope(cov, {}, { level: 'street', parent: '510104' }, undefined, op, r)).toMatchObject({ kind: 'asked', scope: { level: 'district', code: '510104' } })
    expect(await askedScope(cov, {}, { level: 'street' }, undefined, op, r)).toEqual({ kind: 'narrow', set: { parent: '510104' } })
  })

  it('drill-down: a unit or cell is located; the default city level is narrowed', async () => {
    const drill = rule('/api/v1/analysis/summary').rule
    expect(await askedScope(drill, {}, {}, undefined, op, r)).toEqual({ kind: 'narrow', set: { level: 'district', code: '510104' } })
    expect(await askedScope(drill, {}, { level: 'community', code: '510104001001' }, undefined, op, r)).toMatchObject({ scope: { level: 'street', code: '510104001' } })
    expect(await askedScope(drill, {}, { level: 'cell', code: '8a4' }, undefined, op, r)).toMatchObject({ scope: { level: 'street', code: '510104001' } })
    expect(await askedScope(drill, {}, { level: 'district', code: '999999' }, undefined, op, r)).toMatchObject({ scope: null })
  })

  it('a case\'s scope is its place; an unknown id is left to the router\'s 404', async () => {
    const inc = rule('/api/v1/incidents/x')
    expect(await askedScope(inc.rule, inc.params, {}, undefined, op, r)).toMatchObject({ scope: { level: 'street', code: '510104001' } })
    expect(await askedScope(inc.rule, { id: 'nope' }, {}, undefined, op, r)).toEqual({ kind: 'free' })
  })
})
