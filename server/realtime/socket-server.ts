import type { Server as HttpServer } from 'node:http'
import { Server } from 'socket.io'
import type { Ack } from '../../shared/events.js'
import type { Logger } from '../log.js'
import { type SubscriptionDeps, subscribe, unsubscribe } from './subscriptions.js'
import type { IoServer } from './types.js'

export function createSocketServer(httpServer: HttpServer): IoServer {
  return new Server(httpServer, { serveClient: false, pingInterval: 10_000, pingTimeout: 10_000 })
}

/** Runs a request handler and always answers its ack, even when the handler throws. */
function answer<T>(ack: unknown, work: () => Promise<Ack<T>>, log: Logger): void {
  if (typeof ack !== 'function') return // a request without ack gets no answer and does nothing
  work().then(res => ack(res), (err: unknown) => {
    log.error('socket request failed', { error: String(err) })
    ack({ ok: false, error: 'internal error' })
  })
}

/** Thin handlers: each delegates to subscriptions.ts. */
export function registerSubscriptionHandlers(io: IoServer, deps: SubscriptionDeps, log: Logger): void {
  io.on('connection', (socket) => {
    socket.data.scopes = new Map()
    socket.on('scope:subscribe', (req, ack) => answer(ack, () => subscribe(socket, req, deps), log))
    socket.on('scope:unsubscribe', (req, ack) => answer(ack, () => unsubscribe(socket, String(req?.scope)), log))
  })
}
