// Records of users, sessions, API keys and audit entries as the store keeps them; server/auth/ works on them.
import type { Role } from '../../shared/access.js'

/** A user as stored (the password hash never leaves server/auth/). */
export interface User {
  id: string
  username: string
  displayName: string
  role: Role
  /** `city`, `district:<code>` or `street:<code>` of this city. */
  scope: string
  disabled: boolean
  createdAt: string
  updatedAt: string
}

export interface SessionRow {
  id: string
  userId: string
  createdMs: number
  lastSeenMs: number
  /** The absolute end: a session is never valid after it, however active. */
  expiresMs: number
  ip: string | null
  revokedAt: string | null
}

export interface ApiKey {
  id: string
  /** The source system it belongs to (e.g. "12345-platform"). */
  name: string
  /** The incident `source` values it may post. */
  sources: string[]
  scope: string
  /** Its own rate limit: reports per minute (token bucket of this size, refilled at this rate). */
  ratePerMin: number
  createdAt: string
  createdBy: string
  revokedAt: string | null
}

export interface AuditEntry {
  id: number
  at: string
  /** e.g. `login`, `login.failed`, `logout`, `user.add`, `user.role`, `user.disable`, `key.add`, `key.use`. */
  action: string
  actor: string
  target: string | null
  ip: string | null
  detail: Record<string, unknown> | null
}

/** What server/auth/ needs from the store (SQLite: server/store/sqlite/auth-queries.ts). Synchronous-fast reads. */
export interface AuthStore {
  insertUser: (user: User, passwordHash: string) => Promise<void>
  userById: (id: string) => Promise<User | null>
  userByName: (username: string) => Promise<(User & { passwordHash: string }) | null>
  listUsers: () => Promise<User[]>
  updateUser: (id: string, patch: Partial<Pick<User, 'displayName' | 'role' | 'scope' | 'disabled'>> & { passwordHash?: string }, at: string) => Promise<void>
  countAdmins: () => Promise<number>
  insertSession: (row: SessionRow, tokenHash: string) => Promise<void>
  sessionByTokenHash: (tokenHash: string) => Promise<SessionRow | null>
  sessionById: (id: string) => Promise<SessionRow | null>
  /** Live (unrevoked) sessions, newest first. */
  listSessions: (userId?: string) => Promise<SessionRow[]>
  touchSession: (id: string, lastSeenMs: number) => Promise<void>
  revokeSession: (id: string, at: string) => Promise<boolean>
  /** Revokes every live session of a user; returns their ids. */
  revokeUserSessions: (userId: string, at: string) => Promise<string[]>
  insertApiKey: (key: ApiKey, tokenHash: string) => Promise<void>
  apiKeyByTokenHash: (tokenHash: string) => Promise<ApiKey | null>
  listApiKeys: () => Promise<ApiKey[]>
  revokeApiKey: (id: string, at: string) => Promise<ApiKey | null>
  insertAudit: (entry: Omit<AuditEntry, 'id'>) => Promise<void>
  /** Newest first. */
  listAudit: (q: { action?: string, limit: number }) => Promise<AuditEntry[]>
}
