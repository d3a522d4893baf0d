import type { Request, RequestHandler, Response } from 'express'
import { ANONYMOUS, DISPLAY_HEADER, type Principal, SESSION_COOKIE } from '../../shared/access.js'
import { type Authenticators, bearerToken, readCookie, userPrincipal } from '../auth/authenticate.js'
import { sendError } from './errors.js'

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
