import { randomBytes } from 'node:crypto'
import { type Role, ROLES, USERNAME_PATTERN } from '../../shared/access.js'
import type { Audit } from './audit.js'
import { invalid } from './errors.js'
import { hashPassword, passwordProblem, randomPassword, type ScryptParams } from './passwords.js'
import type { AuthStore, User } from '../store/auth-records.js'

export interface UserServiceDeps {
  store: AuthStore
  audit: Audit
  now: () => number
  scrypt: ScryptParams
  /** Is this `city` / `district:<code>` / `street:<code>` a unit of this city? */
  scopeExists: (scope: string) => boolean
  /** Called with the ids of sessions just revoked (their sockets are disconnected). */
  onSessionsRevoked: (ids: string[]) => void
}

export interface NewUser { username: string, displayName?: string, role: string, scope?: string, password: string }

function checkUsername(username: string): void {
  if (username.includes(':')) throw invalid('username', '":" is reserved for system actors (e.g. system:dedupe)')
  if (!USERNAME_PATTERN.test(username)) throw invalid('username', '2–32 letters, digits, ".", "_" or "-"')
}

function checkRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role)) throw invalid('role', `one of ${ROLES.join(', ')}`)
  return role as Role
}

/**
 * Users: who they are, their role and scope. Any change that alters what a user may do — disable, role, scope,
 * password — revokes their sessions, so it takes effect at once rather than at the next login.
 */
export function createUserService(deps: UserServiceDeps) {
  const iso = () => new Date(deps.now()).toISOString()
  const checkScope = (scope: string) => {
    if (!deps.scopeExists(scope)) throw invalid('scope', '"city" or "district:<code>" / "street:<code>" of this city')
  }
  const checkPassword = (password: string) => {
    const problem = passwordProblem(password)
    if (problem) throw invalid('password', problem.replace(/^password: /, ''))
  }
  async function mustGet(username: string): Promise<User> {
    const u = await deps.store.userByName(username)
    if (!u) throw invalid('username', `no user ${username}`, 404)
    const { passwordHash: _, ...user } = u
    return user
  }
  async function revokeSessions(user: User): Promise<void> {
    const ids = await deps.store.revokeUserSessions(user.id, iso())
    if (ids.length > 0) deps.onSessionsRevoked(ids)
  }

  return {
    async add(input: NewUser, by: string): Promise<User> {
      checkUsername(input.username)
      const role = checkRole(input.role)
      const scope = input.scope ?? 'city'
      checkScope(scope)
      checkPassword(input.password)
      const displayName = (input.displayName ?? input.username).trim()
      if (!displayName || displayName.length > 64) throw invalid('displayName', '1–64 characters')
      if (await deps.store.userByName(input.username)) throw invalid('username', `${input.username} exists`, 409)
      const at = iso()
      const user: User = { id: randomBytes(8).toString('hex'), username: input.username, displayName, role, scope, disabled: false, createdAt: at, updatedAt: at }
      await deps.store.insertUser(user, await hashPassword(input.password, deps.scrypt))
      await deps.audit.record({ action: 'user.add', actor: by, target: user.username, detail: { role, scope } })
      return user
    },
    list: () => deps.store.listUsers(),
    get: (id: string) => deps.store.userById(id),
    byName: (username: string) => mustGet(username),
    async setRole(username: string, role: string, by: string, scope?: string): Promise<User> {
      const user = await mustGet(username)
      const next = checkRole(role)
      if (scope !== undefined) checkScope(scope)
      await deps.store.updateUser(user.id, { role: next, ...(scope !== undefined && { scope }) }, iso())
      await revokeSessions(user)
      await deps.audit.record({ action: 'user.role', actor: by, target: username, detail: { from: user.role, to: next, ...(scope !== undefined && { fromScope: user.scope, scope }) } })
      return (await deps.store.userById(user.id))!
    },
    async setDisabled(username: string, disabled: boolean, by: string): Promise<User> {
      const user = await mustGet(username)
      await deps.store.updateUser(user.id, { disabled }, iso())
      if (disabled) await revokeSessions(user)
      await deps.audit.record({ action: disabled ? 'user.disable' : 'user.enable', actor: by, target: username })
      return (await deps.store.userById(user.id))!
    },
    async setPassword(username: string, password: string, by: string): Promise<void> {
      const user = await mustGet(username)
      checkPassword(password)
      await deps.store.updateUser(user.id, { passwordHash: await hashPassword(password, deps.scrypt) }, iso())
      await revokeSessions(user)
      await deps.audit.record({ action: 'user.passwd', actor: by, target: username })
    },
    /**
     * First start: with no enabled admin, creates `admin` (password from ADMIN_PASSWORD, else a random one returned
     * for the caller to print once). An existing but disabled `admin` is enabled with the new password instead.
     */
    async ensureFirstAdmin(adminPassword: string | null): Promise<{ created: false } | { created: true, password: string, generated: boolean }> {
      if (await deps.store.countAdmins() > 0) return { created: false }
      const password = adminPassword ?? randomPassword()
      const existing = await deps.store.userByName('admin')
      if (existing) {
        await deps.store.updateUser(existing.id, { role: 'admin', disabled: false, passwordHash: await hashPassword(password, deps.scrypt) }, iso())
        await deps.audit.record({ action: 'user.first-admin', actor: 'system:auth', target: 'admin', detail: { reset: true } })
      } else {
        const at = iso()
        const user: User = { id: randomBytes(8).toString('hex'), username: 'admin', displayName: '系统管理员', role: 'admin', scope: 'city', disabled: false, createdAt: at, updatedAt: at }
        await deps.store.insertUser(user, await hashPassword(password, deps.scrypt))
        await deps.audit.record({ action: 'user.first-admin', actor: 'system:auth', target: 'admin' })
      }
      return { created: true, password, generated: adminPassword === null }
    },
  }
}

export type UserService = ReturnType<typeof createUserService>
