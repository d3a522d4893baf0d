import type { Server as HttpServer } from 'node:http'
import { Server } from 'socket.io'
import type { Ack, ActRequest, ActResult } from '../../shared/events.js'
import { toSummary } from '../../shared/incident.js'
import type { CaseService } from '../workflow/case-service.js'
import type { Logger } from '../log.js'
import { type SubscriptionDeps, subscribe, unsubscribe } from './subscriptions.js'
import type { IoServer } from './types.js'

export function createSocketServer(httpServer: HttpServer): IoServer {
  return new Server(httpServer, { serveClient: false, pingInterval: 10_000, pingTimeout: 10_000 })
}

/** Runs a request handler and always answers its ack, even when the handler throws. */
function answer<R extends { ok: boolean }>(ack: unknown, work: () => Promise<R>, log: Logger): void {
  if (typeof ack !== 'function') return // a request without ack gets no answer and does nothing
  work().then(res => ack(res), (err: unknown) => {
    log.error('socket request failed', { error: String(err) })
    ack({ ok: false, error: 'internal error' })
  })
}

/** Thin handlers: each delegates to subscriptions.ts. */
export function registerSubscriptionHandlers(io: IoServer, deps: SubscriptionDeps & { cases: CaseService }, log: Logger): void {
  io.on('connection', (socket) => {
    socket.data.scopes = new Map()
    socket.on('scope:subscribe', (req, ack) => answer<Ack<unknown>>(ack, () => subscribe(socket, req, deps), log))
    socket.on('scope:unsubscribe', (req, ack) => answer<Ack<null>>(ack, () => unsubscribe(socket, String(req?.scope)), log))
    socket.on('incident:act', (req, ack) => answer<ActResult>(ack, () => act(deps.cases, req), log))
  })
}

/** Same service as POST /api/v1/incidents/:id/actions; the ack carries the committed case or the refusal. */
async function act(cases: CaseService, req: ActRequest): Promise<ActResult> {
  const { id, ...action } = req ?? {}
  if (typeof id !== 'string') return { ok: false, status: 400, error: 'invalid action', details: [{ path: 'id', message: 'id: required' }] }
  const outcome = await cases.act(id, action)
  if (outcome.ok) return { ok: true, data: toSummary(outcome.incident) }
  return outcome
}
