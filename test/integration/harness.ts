import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { cellToLatLng } from 'h3-js'
import { io as connect, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client'
import type { Role } from '../../shared/access.js'
import { SESSION_COOKIE } from '../../shared/access.js'
import { type AppDeps, type CityBrainApp, createApp } from '../../server/app.js'
import { type AppConfig, testConfig } from '../../server/config.js'
import type { Ack, ClientToServerEvents, ServerToClientEvents, SubscribeRequest, SubscribeResult } from '../../shared/events.js'
import type { IncidentInput } from '../../shared/schemas/incident.js'
import { packedIds, type ScopeDeltaWire, type ScopeSnapshotWire, type SubscribeResultWire, unpackDelta, unpackSnapshot, unpackSubscribeResult } from '../../shared/live-wire.js'
import { makeInput } from '../fixtures/incidents.js'

export type TestClient = Socket<ServerToClientEvents, ClientToServerEvents>

export interface Running {
  app: CityBrainApp
  url: string
  dataDir: string
  /** Stops and starts again on the same data; `samePort` keeps the URL (clients reconnect to it by themselves). */
  restart: (samePort?: boolean) => Promise<Running>
  stop: (opts?: { keepData?: boolean }) => Promise<void>
}

/** The whole server on port 0 with a fresh data folder (reused across `restart`). */
export async function startApp(config: Partial<AppConfig> = {}, deps: Partial<AppDeps> = {}, dataDir?: string, port = 0): Promise<Running> {
  const dir = dataDir ?? mkdtempSync(path.join(tmpdir(), 'citybrain-it-'))
  const app = await createApp(testConfig({ dataDir: dir, ...config }), deps)
  const bound = await app.listen(port, '127.0.0.1')
  const url = `http://127.0.0.1:${bound}`
  sessionCookies.set(url, await sessionFor(app, { username: TEST_ADMIN, role: 'admin', scope: 'city' }))
  const running: Running = {
    app,
    url,
    dataDir: dir,
    async restart(samePort = false) {
      await app.close()
      return startApp(config, deps, dir, samePort ? bound : 0)
    },
    async stop(opts = {}) {
      sessionCookies.delete(url)
      await app.close()
      if (!opts.keepData) rmSync(dir, { recursive: true, force: true })
    },
  }
  return running
}

/**
 * A socket as the test admin (default), as another user (`cookie` from `asUser`), or anonymous (`cookie: ''`);
 * `opts` adds to the defaults (e.g. a foreign `Origin` in `extraHeaders`, test/integration/hardening.test.ts).
 */
export function client(url: string, cookie: string | undefined = sessionCookies.get(url), opts: Partial<ManagerOptions & SocketOptions> = {}): TestClient {
  const extraHeaders = { ...(cookie && { cookie }), ...opts.extraHeaders }
  return connect(url, { transports: ['websocket'], forceNew: true, reconnection: false, ...opts, extraHeaders })
}

/** Subscribes, and answers with the result unpacked as the client unpacks it (shared/live-wire.ts). */
export async function subscribe(c: TestClient, req: SubscribeRequest): Promise<SubscribeResult> {
  const res: Ack<SubscribeResultWire> = await c.timeout(5000).emitWithAck('scope:subscribe', req)
  if (!res.ok) throw new Error(`subscribe failed: ${res.error} ${JSON.stringify(res.details)}`)
  return unpackSubscribeResult(res.data)
}

/** Live pushes as the client applies them: deltas and snapshots unpacked (the wire packs their incident lists). */
function unpacked(event: keyof ServerToClientEvents, x: unknown): unknown {
  if (event === 'scope:delta') return unpackDelta(x as ScopeDeltaWire)
  if (event === 'scope:snapshot') return unpackSnapshot(x as ScopeSnapshotWire)
  return x
}

/** POST /api/v1/events, as the test admin unless the headers carry their own credentials (or `cookie: ''`). */
export async function post(url: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const res = await fetch(`${url}/api/v1/events`, { method: 'POST', headers: withSession(url, headers), body: typeof body === 'string' ? body : JSON.stringify(body) })
  return { status: res.status, body: await res.json() as Record<string, unknown> }
}

const cellsByDistrict = new WeakMap<CityBrainApp, Map<string, CityBrainApp['geo']['cells'][number][]>>()

/** A point at the centre of some grid cell of the given district (from the city's own geo data). */
export function pointIn(app: CityBrainApp, district: string, nth = 0): { lon: number, lat: number } {
  let byDistrict = cellsByDistrict.get(app)
  if (!byDistrict) {
    byDistrict = new Map()
    for (const c of app.geo.cells) {
      const d = app.geo.units.get(app.geo.units.get(c.community)?.parent ?? '')?.parent
      if (!d) continue
      const list = byDistrict.get(d)
      if (list) list.push(c)
      else byDistrict.set(d, [c])
    }
    cellsByDistrict.set(app, byDistrict)
  }
  const cells = byDistrict.get(district) ?? []
  const cell = cells[nth % cells.length]
  if (!cell) throw new Error(`no cell in district ${district}`)
  const [lat, lon] = cellToLatLng(cell.h3)
  return { lon, lat }
}

export function inputIn(app: CityBrainApp, district: string, patch: Partial<IncidentInput> = {}): IncidentInput {
  // reported "now" on the app's clock: a test that fixes the clock must not depend on the real date (the reportedAt
  // window is checked against the app's clock)
  return makeInput({ ...pointIn(app, district), reportedAt: new Date(app.clock.now()).toISOString(), ...patch })
}

/**
 * How long a test waits for a push before calling it missing. A bound against hanging, not a speed claim: how fast a
 * push arrives is measured in bench/ (control-room, action-latency). The 1–3 s bounds this replaces also counted the
 * POST's own round trip, which a loaded machine does not promise (issue #12, item 6).
 */
export const PUSH_WAIT_MS = 10_000

/** Resolves with the first pushed delta/snapshot item matching `pred`, or rejects after `ms`. */
export function waitForIncident(c: TestClient, id: string, ms = PUSH_WAIT_MS): Promise<number> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      c.off('scope:delta', onDelta)
      reject(new Error(`incident ${id} not pushed within ${ms} ms`))
    }, ms)
    const onDelta = (d: ScopeDeltaWire) => {
      if (!packedIds(d.incidents).includes(id)) return
      clearTimeout(timer)
      c.off('scope:delta', onDelta)
      resolve(Date.now() - started)
    }
    c.on('scope:delta', onDelta)
  })
}

/**
 * A request to the running app. Tests reach the API through this (and `post`, `client`) rather than a bare fetch, so
 * that credentials are carried in one place: the test admin's session, unless the request brings its own
 * (`authorization`, `x-display-link` or `cookie` header; `cookie: ''` sends none).
 */
export function api(r: Pick<Running, 'url'>, pathAndQuery: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${r.url}${pathAndQuery}`, { ...init, headers: withSession(r.url, init.headers) })
}

/** The test admin every `startApp` creates through the user service (not an HTTP back door). */
export const TEST_ADMIN = 'it-admin'
const TEST_PASSWORD = 'test-password-1'
/** Session cookie (`cb_session=…`) of the test admin per running app's url. */
const sessionCookies = new Map<string, string>()

/** The test admin's session cookie for a running app (e.g. for a browser context). */
export function adminCookie(r: Pick<Running, 'url'>): string {
  const c = sessionCookies.get(r.url)
  if (!c) throw new Error(`no test session for ${r.url}`)
  return c
}

function withSession(url: string, headers: HeadersInit | undefined): Headers {
  const h = new Headers(headers)
  if (h.has('cookie')) {
    if (h.get('cookie') === '') h.delete('cookie')
    return h
  }
  const cookie = sessionCookies.get(url)
  if (cookie && !h.has('authorization') && !h.has('x-display-link')) h.set('cookie', cookie)
  return h
}

async function sessionFor(app: CityBrainApp, u: { username: string, role: Role, scope: string }): Promise<string> {
  const existing = await app.auth.users.list().then(list => list.find(x => x.username === u.username))
  const user = existing ?? await app.auth.users.add({ ...u, password: TEST_PASSWORD }, 'system:test')
  const { token } = await app.auth.sessions.create(user, '127.0.0.1')
  return `${SESSION_COOKIE}=${token}`
}

export interface AsUser {
  cookie: string
  api: (pathAndQuery: string, init?: RequestInit) => Promise<Response>
  post: (body: unknown, headers?: Record<string, string>) => Promise<{ status: number, body: Record<string, unknown> }>
  client: () => TestClient
}

function caller(r: Pick<Running, 'url'>, cookie: string): AsUser {
  const withCookie = (h?: HeadersInit) => {
    const headers = new Headers(h)
    if (!headers.has('cookie')) headers.set('cookie', cookie)
    return headers
  }
  return {
    cookie,
    api: (pathAndQuery, init = {}) => api(r, pathAndQuery, { ...init, headers: withCookie(init.headers) }),
    post: (body, headers = { 'content-type': 'application/json' }) => post(r.url, body, Object.fromEntries(withCookie(headers))),
    client: () => client(r.url, cookie),
  }
}

/** Requests and sockets as another user (created on first use, through the user service) with a fresh session. */
export async function asUser(r: Pick<Running, 'url' | 'app'>, u: { role: Role, scope?: string, username?: string }): Promise<AsUser> {
  const scope = u.scope ?? 'city'
  const username = u.username ?? `it-${u.role}-${scope.replace(/[^a-z0-9]/gi, '-')}`
  return caller(r, await sessionFor(r.app, { username, role: u.role, scope }))
}

/** Requests and sockets with no credentials at all. */
export function anonymous(r: Pick<Running, 'url'>): AsUser {
  return caller(r, '')
}

/** The next `event` on a socket for which `pred` holds; rejects naming the event after `ms`. */
export function nextEvent<T>(c: TestClient, event: keyof ServerToClientEvents, pred: (x: T) => boolean = () => true, ms = PUSH_WAIT_MS): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${event} not received within ${ms} ms`)), ms)
    const on = (wire: unknown) => {
      const x = unpacked(event, wire) as T
      if (!pred(x)) return
      clearTimeout(timer)
      c.off(event, on as never)
      resolve(x)
    }
    c.on(event, on as never)
  })
}

/** The first item matching `pred` of a push that carries a batch (the alarm pushes). */
export function nextInBatch<T>(c: TestClient, event: 'alarm:raised' | 'alarm:acked' | 'alarm:resolved', pred: (x: T) => boolean = () => true, ms = PUSH_WAIT_MS): Promise<T> {
  return nextEvent<T[]>(c, event, batch => batch.some(pred), ms).then(batch => batch.find(pred)!)
}
