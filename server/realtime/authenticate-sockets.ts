import { ANONYMOUS, SESSION_COOKIE } from '../../shared/access.js'
import { type Authenticators, displayRoom, readCookie, sessionRoom, userPrincipal } from '../auth/authenticate.js'
import type { SessionService } from '../auth/sessions.js'
import type { IoServer } from './types.js'

/** A socket re-checks its session at most this often as it is used (a revoked or expired session is cut off). */
const SOCKET_RECHECK_MS = 30_000

/**
 * Disconnects every user socket whose session is no longer valid (revoked from another process such as the CLI,
 * expired, or its user disabled): revocations made in this process disconnect at once; this catches the rest.
 */
export async function sweepSockets(io: IoServer, sessions: SessionService): Promise<number> {
  let dropped = 0
  for (const socket of io.sockets.sockets.values()) {
    const p = socket.data.principal
    if (p?.kind !== 'user' || await sessions.byId(p.sessionId)) continue
    socket.disconnect(true)
    dropped++
  }
  return dropped
}

/**
 * The same for sockets, into `socket.data.principal`: a display token from the handshake's `auth.display`, else the
 * session cookie from its headers, else anonymous. An invalid display token refuses the connection. A user's
 * socket re-checks its session as it is used and is disconnected once it is revoked or expired.
 */
export function authenticateSockets(io: IoServer, a: Omit<Authenticators, 'keys'>, now: () => number = Date.now): void {
  io.use((socket, next) => {
    const display = (socket.handshake.auth as { display?: unknown } | undefined)?.display
    if (display !== undefined) {
      if (typeof display !== 'string') return next(new Error('display link: invalid token'))
      a.displayLinks.resolve(display).then((link) => {
        if (!link) return next(new Error('display link invalid or revoked'))
        socket.data.principal = { kind: 'display', linkId: link.id, scope: link.scope }
        void socket.join(displayRoom(link.id))
        next()
      }, (err: unknown) => next(err instanceof Error ? err : new Error(String(err))))
      return
    }
    const token = readCookie(socket.handshake.headers.cookie, SESSION_COOKIE)
    if (!token) {
      socket.data.principal = ANONYMOUS
      return next()
    }
    a.sessions.resolve(token).then((live) => {
      if (!live) {
        socket.data.principal = ANONYMOUS
        return next()
      }
      socket.data.principal = userPrincipal(live.user, live.session.id)
      void socket.join(sessionRoom(live.session.id))
      let checkedAt = now()
      socket.use((_packet, nextPacket) => {
        if (now() - checkedAt < SOCKET_RECHECK_MS) return nextPacket()
        checkedAt = now()
        a.sessions.byId(live.session.id).then((still) => {
          if (still) return nextPacket()
          socket.disconnect(true)
        }, (err: unknown) => nextPacket(err instanceof Error ? err : new Error(String(err))))
      })
      next()
    }, (err: unknown) => next(err instanceof Error ? err : new Error(String(err))))
  })
}
