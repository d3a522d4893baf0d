import { readFileSync } from 'node:fs'
import type { Router } from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EVENTS, type Party, type Role, type RouteRule, ROUTES } from '../../shared/access.js'
import type { Alarm } from '../../shared/alarms.js'
import { io as connect } from 'socket.io-client'
import { api, asUser, inputIn, post, type Running, startApp, type TestClient } from './harness.js'

/**
 * Walks the whole access table (issue #14): every route and every socket event, for every role at each scope level,
 * a display link and an anonymous caller, asking for its own district, a street in it and another district.
 * Allowed → anything but 401/403; refused → 401 (anonymous) or 403. A route registered in Express, or a socket event
 * a server socket listens to, without a table row fails here.
 */
const A = '510104'
const B = '510106'
const KEY = 'walk-open311-key'

let s: Running
let streetA: string
let streetB: string
const ids = { incidentA: '', incidentB: '', alarmA: 0, alarmB: 0, campaignA: '', campaignB: '' }

beforeAll(async () => {
  s = await startApp({ open311: { apiKeys: [{ key: KEY, source: 'citizen_app' }] } }, { campaignRecountMs: 0 })
  const a = inputIn(s.app, A, { severity: 'critical' })
  const b = inputIn(s.app, B, { severity: 'critical' })
  expect((await post(s.url, { events: [a, b] })).status).toBe(200)
  ids.incidentA = a.id
  ids.incidentB = b.id
  streetA = (await s.app.repo.getIncident(a.id))!.street
  streetB = (await s.app.repo.getIncident(b.id))!.street
  for (let i = 0; i < 50 && (ids.alarmA === 0 || ids.alarmB === 0); i++) {
    const open: Alarm[] = await s.app.repo.openAlarms({ level: 'city', code: null }, 100)
    ids.alarmA = open.find(x => x.incidentId === a.id)?.id ?? 0
    ids.alarmB = open.find(x => x.incidentId === b.id)?.id ?? 0
    if (ids.alarmA === 0 || ids.alarmB === 0) await new Promise(r => setTimeout(r, 20))
  }
  for (const [k, d] of [['campaignA', A], ['campaignB', B]] as const) {
    const res = await api(s, '/api/v1/campaigns', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `walk ${d}`, categories: ['0510'], scope: `district:${d}`, startDate: '2026-01-01', endDate: '2026-12-31', targetRate: 0.9 }) })
    expect(res.status).toBe(201)
    ids[k] = (await res.json() as { campaign: { id: string } }).campaign.id
  }
})
afterAll(async () => { await s?.stop() })

type Place = 'city' | 'A' | 'B' | 'streetA'
/** Is `asked` inside a principal scoped to `own`? Written out by hand, not with the code under test. */
function within(own: Place, asked: Place): boolean {
  if (own === 'city') return true
  if (own === 'A') return asked === 'A' || asked === 'streetA'
  return own === asked
}

interface Variant { path: string, asked: Place, init?: RequestInit }

const json = (method: string, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

/** Concrete requests for a row: one per scope it can be asked in (own district, its street, another district). */
function variants(rule: RouteRule): Variant[] {
  const fill = (p: string, id: string) => p.replace(':id', id).replace(':code', A).replace(':level', 'district').replace(':year', '2026').replace(':username', 'nobody')
    .replace('/open311/:file', '/open311/discovery.json').replace('/v2/:file', '/v2/services.json').replace(/\/(services|requests|tokens)\/:file/, `/$1/${ids.incidentA}.json`)
  const init: RequestInit | undefined = rule.method === 'GET' ? undefined
    : rule.path.startsWith('/open311') ? { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `api_key=${KEY}` }
      : json(rule.method, {})
  const v = (path: string, asked: Place, i = init): Variant => ({ path, asked, ...(i && { init: i }) })
  switch (rule.scope) {
    case 'none':
    case 'events':
      return [v(fill(rule.path, 'nope'), 'streetA')]
    case 'city':
      return [v(fill(rule.path, 'nope'), 'city')]
    case 'query':
      return [v(`${rule.path}?scope=city`, 'city'), v(`${rule.path}?scope=district:${A}`, 'A'), v(`${rule.path}?scope=street:${streetA}`, 'streetA'), v(`${rule.path}?scope=district:${B}`, 'B')]
    case 'drill':
      return [v(`${rule.path}?level=city`, 'city'), v(`${rule.path}?level=district&code=${A}`, 'A'), v(`${rule.path}?level=street&code=${streetA}`, 'streetA'), v(`${rule.path}?level=district&code=${B}`, 'B')]
    case 'coverage':
      return [v(`${rule.path}?level=district`, 'city'), v(`${rule.path}?level=street&parent=${A}`, 'A'), v(`${rule.path}?level=community&parent=${streetA}`, 'streetA'), v(`${rule.path}?level=street&parent=${B}`, 'B'), v(`${rule.path}?level=community&parent=${streetB}`, 'B')]
    case 'incident':
      return [v(fill(rule.path, ids.incidentA), 'streetA'), v(fill(rule.path, ids.incidentB), 'B')]
    case 'alarm':
      return [v(fill(rule.path, String(ids.alarmA)), 'streetA'), v(fill(rule.path, String(ids.alarmB)), 'B')]
    case 'campaign':
      return [v(fill(rule.path, ids.campaignA), 'A'), v(fill(rule.path, ids.campaignB), 'B')]
    case 'body':
      return [v(rule.path, 'A', json(rule.method, { scope: `district:${A}` })), v(rule.path, 'B', json(rule.method, { scope: `district:${B}` })), v(rule.path, 'city', json(rule.method, { scope: 'city' }))]
  }
}

interface Caller { label: string, party: Party, own: Place | null, fetch: (path: string, init?: RequestInit) => Promise<Response>, socket: () => TestClient }

const placeScope = (p: Place) => (p === 'city' ? 'city' : p === 'streetA' ? `street:${streetA}` : `district:${p === 'A' ? A : B}`)

async function callers(): Promise<Caller[]> {
  const out: Caller[] = []
  for (const role of ['admin', 'leader', 'operator', 'analyst', 'display'] as Role[]) {
    for (const own of ['city', 'A', 'streetA'] as Place[]) {
      const u = await asUser(s, { role, scope: placeScope(own) })
      out.push({ label: `${role}@${own}`, party: role, own, fetch: (p, i) => u.api(p, i), socket: () => u.client() })
    }
  }
  const link = await (await api(s, '/api/v1/display-links', json('POST', { scope: `district:${A}`, label: 'walk' }))).json() as { token: string }
  out.push({
    label: 'display-link@A', party: 'display', own: 'A',
    fetch: (p, i) => fetch(`${s.url}${p}`, { ...i, headers: { ...i?.headers as Record<string, string>, 'x-display-link': link.token } }),
    socket: () => connect(s.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { display: link.token } }),
  })
  out.push({ label: 'anonymous', party: 'anonymous', own: null, fetch: (p, i) => fetch(`${s.url}${p}`, i), socket: () => connect(s.url, { transports: ['websocket'], forceNew: true, reconnection: false }) })
  return out
}

/** Rows whose call would end the caller's own session: walked for the party check only, by a throwaway login. */
const SKIP = new Set(['POST /api/v1/auth/logout'])

describe('the access table, walked (issue #14)', () => {
  it('every HTTP route: allowed → not 401/403, refused → 401/403', async () => {
    const failures: string[] = []
    let calls = 0
    for (const c of await callers()) {
      for (const rule of ROUTES) {
        if (SKIP.has(`${rule.method} ${rule.path}`)) continue
        for (const v of variants(rule)) {
          const allowed = rule.who.includes(c.party) && (rule.scope === 'none' || rule.scope === 'events' || (c.own !== null && within(c.own, v.asked)))
          const res = await c.fetch(v.path, v.init)
          await res.arrayBuffer()
          calls++
          const refused = res.status === 401 || res.status === 403
          // a wrong password is a 401 for anyone: the login row only has to let everyone try
          if (rule.path === '/api/v1/auth/login' ? res.status === 403 : refused === allowed) failures.push(`${c.label} ${rule.method} ${v.path} → ${res.status} (expected ${allowed ? 'allowed' : 'refused'})`)
          if (!allowed && c.party === 'anonymous' && rule.path.startsWith('/api') && res.status !== 401) failures.push(`${c.label} ${rule.method} ${v.path} → ${res.status} (expected 401)`)
        }
      }
    }
    expect(failures).toEqual([])
    expect(calls).toBeGreaterThan(1000)
  }, 180_000)

  it('every socket event: allowed → handled, refused → 401/403 in the ack', async () => {
    const failures: string[] = []
    const requests: Record<string, (asked: Place) => unknown> = {
      'scope:subscribe': asked => ({ scope: placeScope(asked) }),
      'scope:unsubscribe': asked => ({ scope: placeScope(asked) }),
      'alarm:list': asked => ({ scope: placeScope(asked) }),
      'incident:act': asked => ({ id: asked === 'B' ? ids.incidentB : ids.incidentA, action: 'nonsense', version: 99, actor: 'walk' }),
      'alarm:ack': asked => ({ id: asked === 'B' ? ids.alarmB : ids.alarmA, actor: 'walk' }),
      'greenway:subscribe': () => ({}),
      'greenway:unsubscribe': () => ({}),
    }
    for (const c of await callers()) {
      const socket = c.socket()
      const connected = await new Promise<boolean>((resolve) => {
        socket.once('connect', () => resolve(true))
        socket.once('connect_error', () => resolve(false))
      })
      for (const rule of EVENTS) {
        const asks: Place[] = rule.scope === 'city' || rule.scope === 'none' ? ['city'] : rule.scope === 'request' ? ['streetA', 'A', 'B', 'city'] : ['streetA', 'B']
        for (const asked of asks) {
          const allowed = rule.who.includes(c.party) && (rule.scope === 'none' || (c.own !== null && within(c.own, asked)))
          if (!connected) {
            if (allowed) failures.push(`${c.label} could not connect for ${rule.event}`)
            continue
          }
          // alarm:list wants the scope subscribed first; a refused subscribe then makes it a 400, which is fine when refused
          if (rule.event === 'alarm:list') await socket.timeout(5000).emitWithAck('scope:subscribe', { scope: placeScope(asked) } as never)
          const res = await socket.timeout(5000).emitWithAck(rule.event as 'scope:subscribe', requests[rule.event]!(asked) as never) as { ok: boolean, status?: number }
          const refused = !res.ok && (res.status === 401 || res.status === 403)
          if (refused === allowed) failures.push(`${c.label} ${rule.event} ${asked} → ${JSON.stringify(res).slice(0, 160)} (expected ${allowed ? 'allowed' : 'refused'})`)
        }
      }
      socket.close()
    }
    expect(failures).toEqual([])
  })

  it('every route Express serves under /api and /open311 has a row', () => {
    const served: string[] = []
    type Layer = { route?: { path: string, methods: Record<string, boolean> }, handle: { stack?: Layer[] }, rawPath?: unknown }
    const walk = (stack: Layer[], prefix: string) => {
      for (const layer of stack) {
        if (layer.route) {
          for (const m of Object.keys(layer.route.methods)) if (m !== '_all') served.push(`${m.toUpperCase()} ${prefix}${layer.route.path}`)
        } else if (layer.handle.stack) {
          walk(layer.handle.stack, prefix + (typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : ''))
        }
      }
    }
    walk((s.app.http as unknown as { router: Router & { stack: Layer[] } }).router.stack, '')
    const ours = served.filter(r => / \/(api|open311)\//.test(r))
    expect(ours.length).toBeGreaterThan(40)
    const rows = new Set(ROUTES.map(r => `${r.method} ${r.path}`))
    expect(ours.filter(r => !rows.has(r))).toEqual([])
  })

  it('every client → server event in shared/events.ts and every one a socket listens to has a row', async () => {
    const source = readFileSync(new URL('../../shared/events.ts', import.meta.url), 'utf8')
    const block = /interface ClientToServerEvents \{([\s\S]*?)\n\}/.exec(source)![1]!
    const declared = [...block.matchAll(/^\s*'([a-z]+:[a-z]+)'/gm)].map(m => m[1]!)
    expect(declared.length).toBeGreaterThan(5)
    const c = (await asUser(s, { role: 'admin', scope: 'city' })).client()
    await new Promise<void>(resolve => c.once('connect', () => resolve()))
    const server = [...s.app.io.sockets.sockets.values()].find(x => x.id === c.id)!
    const listened = server.eventNames().map(String).filter(e => e.includes(':'))
    c.close()
    const rows = new Set(EVENTS.map(e => e.event as string))
    expect([...declared, ...listened].filter(e => !rows.has(e))).toEqual([])
  })
})
