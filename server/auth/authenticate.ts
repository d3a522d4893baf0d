import type { Request, RequestHandler, Response } from 'express'
import { ANONYMOUS, DISPLAY_HEADER, type Principal, SESSION_COOKIE } from '../../shared/access.js'
import type { DisplayLinkService } from '../access/display-links.js'
import { sendError } from '../http/errors.js'
import type { IoServer } from '../realtime/types.js'
import type { ApiKeyService } from './api-keys.js'
import type { SessionService } from './sessions.js'
import type { ApiKey, User } from './types.js'

/** Rooms a socket joins so that revoking a session or a display link disconnects exactly its sockets. */
export const sessionRoom = (sessionId: string) => `session:${sessionId}`
export const displayRoom = (linkId: string) => `display:${linkId}`

/** A socket re-checks its session at most this often as it is used (a revoked or expired session is cut off). */
const SOCKET_RECHECK_MS = 30_000

/** One cookie's value from a Cookie header (no dependency for one cookie; values are base64url tokens). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim())
  }
  return undefined
}

export const userPrincipal = (user: User, sessionId: string): Principal => ({ kind: 'user', id: user.id, username: user.username, role: user.role, scope: user.scope, sessionId })

export function bearerToken(header: string | undefined): string | undefined {
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null
  return m?.[1]
}

export interface Authenticators { sessions: SessionService, keys: ApiKeyService, displayLinks: DisplayLinkService }

/** Who sent this request: the first credential presented decides; a presented but invalid key or link is 401. */
async function principalOf(req: Request, res: Response, a: Authenticators): Promise<Principal | { refused: string }> {
  const authorization = req.get('authorization')
  if (authorization !== undefined) {
    const token = bearerToken(authorization)
    const key = token ? await a.keys.resolve(token) : null
    if (!key) return { refused: 'API key invalid or revoked' }
    res.locals.apiKey = key // its rate limit, for the ingest route
    return { kind: 'key', id: key.id, name: key.name, scope: key.scope, sources: key.sources }
  }
  const display = req.get(DISPLAY_HEADER)
  if (display !== undefined) {
    const link = await a.displayLinks.resolve(display)
    if (!link) return { refused: 'display link invalid or revoked' }
    return { kind: 'display', linkId: link.id, scope: link.scope }
  }
  const token = readCookie(req.get('cookie'), SESSION_COOKIE)
  if (token) {
    const live = await a.sessions.resolve(token)
    // an expired or revoked session is simply no session: the request goes on anonymous (and may log in again)
    if (live) return userPrincipal(live.user, live.session.id)
  }
  return ANONYMOUS
}

/**
 * Sets `res.locals.principal` for every request. It authenticates only: what a principal may do is the access
 * table's decision (shared/access.ts), not this middleware's.
 */
export function authenticate(a: Authenticators): RequestHandler {
  return (req, res, next) => {
    principalOf(req, res, a).then((p) => {
      if ('refused' in p) return sendError(res, 401, p.refused)
      res.locals.principal = p
      next()
    }, next)
  }
}

/** The principal of a request that went through `authenticate` (anonymous if it did not). */
export function principal(res: { locals: Record<string, unknown> }): Principal {
  return (res.locals.principal as Principal | undefined) ?? ANONYMOUS
}

/** The API key a request was authenticated with, if any. */
export function apiKeyOf(res: { locals: Record<string, unknown> }): ApiKey | null {
  return (res.locals.apiKey as ApiKey | undefined) ?? null
}

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
