import type { Server as HttpServer } from 'node:http'
import { Server } from 'socket.io'
import { actorName, ANONYMOUS, type Principal } from '../../shared/access.js'
import type { Alarm } from '../../shared/alarms.js'
import type { Ack, ActRequest, ActResult } from '../../shared/events.js'
import { parseScope, type Scope } from '../../shared/scope.js'
import type { AlarmService } from '../alarms/alarm-service.js'
import { toSummary } from '../../shared/incident.js'
import type { CaseService } from '../workflow/case-service.js'
import type { Logger } from '../log.js'
import { type SubscriptionDeps, subscribe, unsubscribe } from './subscriptions.js'
import type { IoServer } from './types.js'

/**
 * Cross-site WebSocket hijacking (issue #14): a browser opening a socket from a page of another site sends that site's
 * `Origin`, and the page would act with the user's cookies. The handshake is accepted only from our own origin (the
 * request's Host, http or https) or one listed in ALLOWED_ORIGINS. Without an Origin header (non-browser clients,
 * same-origin long-polling GETs) it is accepted: a browser always sends one across sites.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true
  if (host !== undefined && (origin === `http://${host}` || origin === `https://${host}`)) return true
  return allowed.includes(origin)
}

export function createSocketServer(httpServer: HttpServer, allowedOrigins: readonly string[] = []): IoServer {
  return new Server(httpServer, {
    serveClient: false, pingInterval: 10_000, pingTimeout: 10_000,
    allowRequest: (req, callback) => {
      const ok = originAllowed(req.headers.origin, req.headers.host, allowedOrigins)
      callback(ok ? null : 'origin not allowed', ok)
    },
  })
}

/** Runs a request handler and always answers its ack, even when the handler throws. */
function answer<R extends { ok: boolean }>(ack: unknown, work: () => Promise<R>, log: Logger): void {
  if (typeof ack !== 'function') return // a request without ack gets no answer and does nothing
  work().then(res => ack(res), (err: unknown) => {
    log.error('socket request failed', { error: String(err) })
    ack({ ok: false, error: 'internal error' })
  })
}

/** Thin handlers: each delegates to subscriptions.ts. Who connects is settled before (server/auth/authenticate.ts). */
export function registerSubscriptionHandlers(io: IoServer, deps: SubscriptionDeps & { cases: CaseService, alarms: AlarmService }, log: Logger): void {
  io.on('connection', (socket) => {
    socket.data.scopes = new Map()
    socket.data.principal ??= ANONYMOUS
    socket.on('scope:subscribe', (req, ack) => answer<Ack<unknown>>(ack, () => subscribe(socket, req, deps), log))
    socket.on('scope:unsubscribe', (req, ack) => answer<Ack<null>>(ack, () => unsubscribe(socket, String(req?.scope)), log))
    // who may act, and on which cases, is checked before these run (server/realtime/socket-authorize.ts)
    socket.on('incident:act', (req, ack) => answer<ActResult>(ack, () => act(deps.cases, req, socket.data.principal), log))
    socket.on('alarm:list', (req, ack) => answer<Ack<Alarm[]>>(ack, () => listAlarms(socket.data.scopes, deps.alarms, req), log))
    socket.on('alarm:ack', (req, ack) => answer<Ack<Alarm>>(ack, () => ackAlarm(deps.alarms, req, socket.data.principal), log))
  })
}

/** Only scopes the socket has joined: what it may see is decided at subscribe time. */
async function listAlarms(scopes: Map<Scope, unknown>, alarms: AlarmService, req: { scope: string }): Promise<Ack<Alarm[]>> {
  const scope = String(req?.scope)
  const parsed = parseScope(scope)
  if (!parsed || !scopes.has(scope as Scope)) return { ok: false, error: 'not subscribed', details: [{ path: 'scope', message: `scope: subscribe to ${scope} first` }] }
  return { ok: true, data: await alarms.open(parsed) }
}

/** The acknowledgement is recorded under the socket's user; an `actor` in the request is ignored. */
async function ackAlarm(alarms: AlarmService, req: { id: number }, p: Principal): Promise<Ack<Alarm>> {
  if (!Number.isInteger(req?.id)) return { ok: false, error: 'invalid request', details: [{ path: 'id', message: 'id: an alarm id (integer) is required' }] }
  const outcome = await alarms.ack(req.id, actorName(p))
  if (outcome.kind === 'not-found') return { ok: false, error: `no alarm with id ${req.id}` }
  return { ok: true, data: outcome.alarm }
}

/**
 * Same service as POST /api/v1/incidents/:id/actions; the ack carries the committed case or the refusal. The step is
 * recorded under the socket's user: an `actor` in the request is ignored.
 */
async function act(cases: CaseService, req: ActRequest, p: Principal): Promise<ActResult> {
  const { id, ...action } = req ?? {}
  if (typeof id !== 'string') return { ok: false, status: 400, error: 'invalid action', details: [{ path: 'id', message: 'id: required' }] }
  const outcome = await cases.act(id, { ...action, actor: actorName(p) })
  if (outcome.ok) return { ok: true, data: toSummary(outcome.incident) }
  return outcome
}
