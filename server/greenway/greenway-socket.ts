import { GREENWAY_ROOM, type GreenwaySnapshot } from '../../shared/greenway/types.js'
import type { Logger } from '../log.js'
// eslint-disable-next-line no-restricted-imports -- removed by the event bus (issue #12)
import type { IoServer } from '../realtime/types.js'

/**
 * `greenway:subscribe` joins the one greenway room, then answers with a snapshot taken after joining, so no push
 * falls between the two; pushes follow (greenway-publisher.ts).
 */
export function registerGreenwayHandlers(io: IoServer, snapshot: () => GreenwaySnapshot, log: Logger): void {
  io.on('connection', (socket) => {
    socket.on('greenway:subscribe', (_req, ack) => {
      if (typeof ack !== 'function') return
      Promise.resolve(socket.join(GREENWAY_ROOM)).then(() => ack({ ok: true, data: snapshot() })).catch((err: unknown) => {
        log.error('greenway subscribe failed', { error: String(err) })
        ack({ ok: false, error: 'internal error' })
      })
    })
    socket.on('greenway:unsubscribe', (_req, ack) => {
      void Promise.resolve(socket.leave(GREENWAY_ROOM)).then(() => { if (typeof ack === 'function') ack({ ok: true, data: null }) })
    })
  })
}
