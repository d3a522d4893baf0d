import express, { type Request, type Response, Router } from 'express'
import { z } from 'zod'
import { type Principal, SESSION_COOKIE } from '../../shared/access.js'
import { issuesToDetails } from '../../shared/schemas/errors.js'
import { principal } from '../auth/authenticate.js'
import { AuthInputError } from '../auth/errors.js'
import type { Auth } from '../auth/index.js'
import { sendError } from './errors.js'

const loginBody = z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(256) }).strict()

/** What GET /auth/me answers (and login): never the password hash, never the session token. */
export interface Me { username: string, displayName: string, role: string, scope: string, sessionExpiresAt: string }

function setCookie(req: Request, res: Response, auth: Auth, token: string | null): void {
  const secure = auth.config.cookieSecure === 'auto' ? req.secure : auth.config.cookieSecure
  res.cookie(SESSION_COOKIE, token ?? '', { httpOnly: true, sameSite: 'strict', path: '/', secure, ...(token ? { maxAge: auth.sessions.maxAgeMs() } : { expires: new Date(0) }) })
}

/** Admin-only routes: 401 without a login, 403 for other roles. Returns the admin's name, or null (answered). */
function adminOnly(res: Response): string | null {
  const p: Principal = principal(res)
  if (p.kind === 'user' && p.role === 'admin') return p.username
  sendError(res, p.kind === 'anonymous' ? 401 : 403, p.kind === 'anonymous' ? 'not logged in' : 'admins only')
  return null
}

/** Login, logout, who am I; and an admin's session revocation. */
export function authRouter(auth: Auth): Router {
  const router = Router()
  router.post('/auth/login', express.json({ limit: '4kb' }), async (req, res) => {
    const body = loginBody.safeParse(req.body)
    if (!body.success) return sendError(res, 400, 'invalid body', issuesToDetails(body.error))
    const outcome = await auth.login(body.data.username, body.data.password, req.ip ?? null)
    if (!outcome.ok) {
      if (outcome.status === 429) res.set('Retry-After', String(outcome.retryAfterS))
      return sendError(res, outcome.status, outcome.error)
    }
    setCookie(req, res, auth, outcome.token)
    const u = outcome.user
    res.json({ username: u.username, displayName: u.displayName, role: u.role, scope: u.scope, sessionExpiresAt: new Date(outcome.session.expiresMs).toISOString() } satisfies Me)
  })
  router.post('/auth/logout', async (req, res) => {
    const p = principal(res)
    if (p.kind === 'user') {
      await auth.sessions.revoke(p.sessionId)
      await auth.audit.record({ action: 'logout', actor: p.username, target: p.sessionId, ip: req.ip ?? null })
    }
    setCookie(req, res, auth, null)
    res.status(204).end()
  })
  router.get('/auth/me', async (_req, res) => {
    const p = principal(res)
    if (p.kind === 'display') return res.json({ kind: 'display', role: 'display', scope: p.scope })
    if (p.kind !== 'user') return sendError(res, 401, 'not logged in')
    const user = await auth.users.get(p.id)
    if (!user) return sendError(res, 401, 'not logged in')
    res.json({ username: user.username, displayName: user.displayName, role: user.role, scope: user.scope })
  })
  // an admin ends a session (e.g. a lost laptop) or all of a user's sessions
  router.delete('/auth/sessions/:id', async (req, res) => {
    const admin = adminOnly(res)
    if (!admin) return
    if (!await auth.sessions.revoke(req.params.id)) return sendError(res, 404, `no live session ${req.params.id}`)
    await auth.audit.record({ action: 'session.revoke', actor: admin, target: req.params.id, ip: req.ip ?? null })
    res.status(204).end()
  })
  router.post('/auth/users/:username/revoke-sessions', async (req, res) => {
    const admin = adminOnly(res)
    if (!admin) return
    try {
      const user = await auth.users.byName(req.params.username)
      const ids = await auth.sessions.revokeUser(user.id)
      await auth.audit.record({ action: 'session.revoke', actor: admin, target: user.username, ip: req.ip ?? null, detail: { sessions: ids.length } })
      res.json({ revoked: ids.length })
    } catch (err) {
      if (err instanceof AuthInputError) return sendError(res, err.status, err.message, err.details)
      throw err
    }
  })
  return router
}
