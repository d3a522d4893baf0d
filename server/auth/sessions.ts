import { createHash, randomBytes } from 'node:crypto'
import type { AuthStore, SessionRow, User } from '../store/auth-records.js'

export interface SessionTimes {
  /** A session unused this long ends. */
  idleMs: number
  /** A session ends this long after login, however active. */
  absoluteMs: number
}

/** last_seen is written at most this often per session: idle expiry needs minutes, not every request. */
const TOUCH_EVERY_MS = 60_000

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex')

export interface LiveSession { session: SessionRow, user: User }

/**
 * Login sessions: a 256-bit random token in the cookie, only its SHA-256 in the store. A session is valid while not
 * revoked, within its absolute lifetime, used within the idle window, and its user exists and is enabled.
 */
export function createSessionService(store: AuthStore, times: SessionTimes, now: () => number, onRevoked: (ids: string[]) => void) {
  async function check(session: SessionRow | null): Promise<LiveSession | null> {
    if (!session || session.revokedAt) return null
    const t = now()
    if (t >= session.expiresMs || t - session.lastSeenMs >= times.idleMs) return null
    const user = await store.userById(session.userId)
    if (!user || user.disabled) return null
    if (t - session.lastSeenMs >= TOUCH_EVERY_MS) {
      await store.touchSession(session.id, t)
      session = { ...session, lastSeenMs: t }
    }
    return { session, user }
  }
  return {
    async create(user: User, ip: string | null): Promise<{ token: string, session: SessionRow }> {
      const token = randomBytes(32).toString('base64url')
      const t = now()
      const session: SessionRow = { id: randomBytes(8).toString('hex'), userId: user.id, createdMs: t, lastSeenMs: t, expiresMs: t + times.absoluteMs, ip, revokedAt: null }
      await store.insertSession(session, tokenHash(token))
      return { token, session }
    },
    /** The live session a cookie's token opens (and refreshes its idle clock), or null. */
    resolve: async (token: string) => check(await store.sessionByTokenHash(tokenHash(token))),
    /** Still valid? (sockets re-check their session by id as they are used). */
    byId: async (id: string) => check(await store.sessionById(id)),
    async revoke(id: string): Promise<boolean> {
      const done = await store.revokeSession(id, new Date(now()).toISOString())
      if (done) onRevoked([id])
      return done
    },
    async revokeUser(userId: string): Promise<string[]> {
      const ids = await store.revokeUserSessions(userId, new Date(now()).toISOString())
      if (ids.length > 0) onRevoked(ids)
      return ids
    },
    /** When the cookie of a session made now should expire (the absolute end; the idle end is checked server-side). */
    maxAgeMs: () => times.absoluteMs,
  }
}

export type SessionService = ReturnType<typeof createSessionService>
