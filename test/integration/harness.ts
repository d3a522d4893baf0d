import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { cellToLatLng } from 'h3-js'
import { io as connect, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client'
import { type AppDeps, type CityBrainApp, createApp } from '../../server/app.js'
import { type AppConfig, testConfig } from '../../server/config.js'
import type { Ack, ClientToServerEvents, ServerToClientEvents, SubscribeRequest, SubscribeResult } from '../../shared/events.js'
import type { IncidentInput } from '../../shared/schemas/incident.js'
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
  const running: Running = {
    app,
    url: `http://127.0.0.1:${bound}`,
    dataDir: dir,
    async restart(samePort = false) {
      await app.close()
      return startApp(config, deps, dir, samePort ? bound : 0)
    },
    async stop(opts = {}) {
      await app.close()
      if (!opts.keepData) rmSync(dir, { recursive: true, force: true })
    },
  }
  return running
}

/** A socket to the app; `opts` adds to the defaults (e.g. `extraHeaders`: a foreign Origin in the hardening tests). */
export function client(url: string, opts: Partial<ManagerOptions & SocketOptions> = {}): TestClient {
  return connect(url, { transports: ['websocket'], forceNew: true, reconnection: false, ...opts })
}

export async function subscribe(c: TestClient, req: SubscribeRequest): Promise<SubscribeResult> {
  const res: Ack<SubscribeResult> = await c.timeout(5000).emitWithAck('scope:subscribe', req)
  if (!res.ok) throw new Error(`subscribe failed: ${res.error} ${JSON.stringify(res.details)}`)
  return res.data
}

export async function post(url: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const res = await fetch(`${url}/api/v1/events`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) })
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
  return makeInput({ ...pointIn(app, district), ...patch })
}

/** Resolves with the first pushed delta/snapshot item matching `pred`, or rejects after `ms`. */
export function waitForIncident(c: TestClient, id: string, ms = 1000): Promise<number> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      c.off('scope:delta', onDelta)
      reject(new Error(`incident ${id} not pushed within ${ms} ms`))
    }, ms)
    const onDelta = (d: { incidents: { id: string }[] }) => {
      if (!d.incidents.some(i => i.id === id)) return
      clearTimeout(timer)
      c.off('scope:delta', onDelta)
      resolve(Date.now() - started)
    }
    c.on('scope:delta', onDelta)
  })
}

/**
 * A request to the running app. Tests reach the API through this (and `post`, `client`) rather than a bare fetch, so
 * that credentials can be carried in one place once users and roles exist (issue #14).
 */
export function api(r: Pick<Running, 'url'>, pathAndQuery: string, init?: RequestInit): Promise<Response> {
  return fetch(`${r.url}${pathAndQuery}`, init)
}
