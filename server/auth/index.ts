import type { Logger } from '../log.js'
import { createApiKeyService } from './api-keys.js'
import { createAudit } from './audit.js'
import { createLogin } from './login.js'
import { DEFAULT_SCRYPT } from './passwords.js'
import { createSessionService } from './sessions.js'
import type { AuthStore } from '../store/auth-records.js'
import { createUserService } from './users.js'

/** Users, sessions, login throttle and API keys: this feature's part of the app's configuration (server/config.ts). */
export interface AuthConfig {
  /** The first admin's password (null: a random one, printed once to the log). */
  readonly adminPassword: string | null
  readonly sessionIdleMinutes: number
  readonly sessionMaxHours: number
  readonly loginThrottle: { readonly perUser: number, readonly perIp: number, readonly windowMinutes: number }
  /** Default rate limit of a new API key (reports per minute). */
  readonly apiKeyRatePerMin: number
  readonly scryptN: number
  readonly cookieSecure: 'auto' | boolean
}

export interface AuthDeps {
  store: AuthStore
  config: AuthConfig
  now: () => number
  scopeExists: (scope: string) => boolean
  /** Disconnects the sockets of sessions that were revoked. */
  onSessionsRevoked: (ids: string[]) => void
}

/** Users, sessions, login, API keys and the access audit, wired together (the CLI builds the same). */
export function createAuth(deps: AuthDeps) {
  const { store, config, now } = deps
  const audit = createAudit(store, now)
  const sessions = createSessionService(store, { idleMs: config.sessionIdleMinutes * 60_000, absoluteMs: config.sessionMaxHours * 3_600_000 }, now, deps.onSessionsRevoked)
  const users = createUserService({ store, audit, now, scrypt: { ...DEFAULT_SCRYPT, N: config.scryptN }, scopeExists: deps.scopeExists, onSessionsRevoked: deps.onSessionsRevoked })
  const keys = createApiKeyService({ store, audit, now, scopeExists: deps.scopeExists, defaultRatePerMin: config.apiKeyRatePerMin })
  const login = createLogin({ store, sessions, audit, now, throttle: config.loginThrottle })
  return { audit, sessions, users, keys, login, config }
}

export type Auth = ReturnType<typeof createAuth>

/** First start: make sure an admin exists; a generated password is printed once, here, and stored only hashed. */
export async function ensureFirstAdmin(auth: Auth, log: Logger): Promise<void> {
  const first = await auth.users.ensureFirstAdmin(auth.config.adminPassword)
  if (!first.created) return
  if (first.generated) log.warn('first start: created user "admin" with this one-time password; log in and change it (npm run user -- passwd admin)', { username: 'admin', password: first.password })
  else log.info('first start: created user "admin" with the password from ADMIN_PASSWORD', { username: 'admin' })
}
