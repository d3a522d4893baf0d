import type { Audit } from './audit.js'
import { DEFAULT_SCRYPT, hashPassword, verifyPassword } from './passwords.js'
import type { SessionRow, User } from '../store/auth-records.js'
import type { AuthStore } from '../store/auth-records.js'
import type { SessionService } from './sessions.js'
import { TokenBuckets } from './token-bucket.js'

export interface LoginThrottle {
  /** Failed attempts allowed per username, and per client IP, within `windowMinutes` before 429. */
  perUser: number
  perIp: number
  windowMinutes: number
}

export type LoginOutcome =
  | { ok: true, user: User, token: string, session: SessionRow }
  | { ok: false, status: 401, error: string }
  | { ok: false, status: 429, error: string, retryAfterS: number }

/** Compared against when the username is unknown, so an unknown name costs as much time as a wrong password. */
const decoy = hashPassword('not a password', { ...DEFAULT_SCRYPT, N: 1024 })

/**
 * Password login. Failures drain two token buckets — one per username, one per client IP — refilled over the
 * window; an empty bucket answers 429 + Retry-After before the password is even checked. A success empties nothing
 * and refills the username's bucket. Every attempt is audited (with the IP), successes and failures alike.
 */
export function createLogin(deps: { store: AuthStore, sessions: SessionService, audit: Audit, now: () => number, throttle: LoginThrottle }) {
  const windowMs = deps.throttle.windowMinutes * 60_000
  const byUser = new TokenBuckets(deps.throttle.perUser, windowMs / deps.throttle.perUser, deps.now)
  const byIp = new TokenBuckets(deps.throttle.perIp, windowMs / deps.throttle.perIp, deps.now)

  return async function login(username: string, password: string, ip: string | null): Promise<LoginOutcome> {
    const userKey = username.toLowerCase()
    const ipKey = ip ?? 'unknown'
    const wait = Math.max(byUser.waitS(userKey), byIp.waitS(ipKey))
    if (wait > 0) {
      await deps.audit.record({ action: 'login.throttled', actor: 'anonymous', target: username, ip })
      return { ok: false, status: 429, error: 'too many failed logins: try again later', retryAfterS: wait }
    }
    const found = await deps.store.userByName(username)
    const ok = found ? await verifyPassword(password, found.passwordHash) : (await verifyPassword(password, await decoy), false)
    if (!found || !ok || found.disabled) {
      byUser.take(userKey)
      byIp.take(ipKey)
      const reason = !found ? 'unknown user' : !ok ? 'wrong password' : 'disabled'
      await deps.audit.record({ action: 'login.failed', actor: 'anonymous', target: username, ip, detail: { reason } })
      return { ok: false, status: 401, error: 'wrong username or password' }
    }
    byUser.reset(userKey)
    const { passwordHash: _, ...user } = found
    const { token, session } = await deps.sessions.create(user, ip)
    await deps.audit.record({ action: 'login', actor: user.username, target: session.id, ip })
    return { ok: true, user, token, session }
  }
}

export type LoginFn = ReturnType<typeof createLogin>
