import type Database from 'better-sqlite3'
import type { Role } from '../../../shared/access.js'
import type { ApiKey, AuditEntry, AuthStore, SessionRow, User } from '../auth-records.js'

interface UserRow { id: string, username: string, display_name: string, role: string, scope: string, password_hash: string, disabled: number, created_at: string, updated_at: string }
interface SessRow { id: string, user_id: string, created_ms: number, last_seen_ms: number, expires_ms: number, ip: string | null, revoked_at: string | null }
interface KeyRow { id: string, name: string, sources: string, scope: string, rate_per_min: number, created_at: string, created_by: string, revoked_at: string | null }
interface AuditRow { id: number, at: string, action: string, actor: string, target: string | null, ip: string | null, detail: string | null }

const toUser = (r: UserRow): User => ({ id: r.id, username: r.username, displayName: r.display_name, role: r.role as Role, scope: r.scope, disabled: r.disabled === 1, createdAt: r.created_at, updatedAt: r.updated_at })
const toSession = (r: SessRow): SessionRow => ({ id: r.id, userId: r.user_id, createdMs: r.created_ms, lastSeenMs: r.last_seen_ms, expiresMs: r.expires_ms, ip: r.ip, revokedAt: r.revoked_at })
const toKey = (r: KeyRow): ApiKey => ({ id: r.id, name: r.name, sources: JSON.parse(r.sources) as string[], scope: r.scope, ratePerMin: r.rate_per_min, createdAt: r.created_at, createdBy: r.created_by, revokedAt: r.revoked_at })
const toAudit = (r: AuditRow): AuditEntry => ({ ...r, detail: r.detail === null ? null : JSON.parse(r.detail) as Record<string, unknown> })

/** Users, sessions, API keys and the access audit (migration 12). */
export function authQueries(db: Database.Database): AuthStore {
  const s = {
    insertUser: db.prepare('INSERT INTO users (id, username, display_name, role, scope, password_hash, disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    userById: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
    userByName: db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?'),
    users: db.prepare<[], UserRow>('SELECT * FROM users ORDER BY username'),
    admins: db.prepare("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0").pluck(),
    insertSession: db.prepare('INSERT INTO sessions (id, token_hash, user_id, created_ms, last_seen_ms, expires_ms, ip) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    sessionByHash: db.prepare<[string], SessRow>('SELECT * FROM sessions WHERE token_hash = ?'),
    sessionById: db.prepare<[string], SessRow>('SELECT * FROM sessions WHERE id = ?'),
    liveSessions: db.prepare<[], SessRow>('SELECT * FROM sessions WHERE revoked_at IS NULL ORDER BY created_ms DESC LIMIT 1000'),
    liveSessionsOf: db.prepare<[string], SessRow>('SELECT * FROM sessions WHERE revoked_at IS NULL AND user_id = ? ORDER BY created_ms DESC LIMIT 1000'),
    touch: db.prepare('UPDATE sessions SET last_seen_ms = ? WHERE id = ?'),
    revokeSession: db.prepare('UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
    liveOfUser: db.prepare<[string], { id: string }>('SELECT id FROM sessions WHERE user_id = ? AND revoked_at IS NULL'),
    revokeOfUser: db.prepare('UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL'),
    insertKey: db.prepare('INSERT INTO api_keys (id, token_hash, name, sources, scope, rate_per_min, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    keyByHash: db.prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE token_hash = ?'),
    keyById: db.prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE id = ?'),
    keys: db.prepare<[], KeyRow>('SELECT * FROM api_keys ORDER BY created_at DESC, id'),
    revokeKey: db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
    insertAudit: db.prepare('INSERT INTO access_audit (at, action, actor, target, ip, detail) VALUES (?, ?, ?, ?, ?, ?)'),
    audit: db.prepare<[number], AuditRow>('SELECT * FROM access_audit ORDER BY id DESC LIMIT ?'),
    auditOf: db.prepare<[string, number], AuditRow>('SELECT * FROM access_audit WHERE action = ? ORDER BY id DESC LIMIT ?'),
  }
  const revokeUserSessions = db.transaction((userId: string, at: string) => {
    const ids = s.liveOfUser.all(userId).map(r => r.id)
    s.revokeOfUser.run(at, userId)
    return ids
  })
  return {
    async insertUser(u, hash) {
      s.insertUser.run(u.id, u.username, u.displayName, u.role, u.scope, hash, u.disabled ? 1 : 0, u.createdAt, u.updatedAt)
    },
    async userById(id) {
      const r = s.userById.get(id)
      return r ? toUser(r) : null
    },
    async userByName(username) {
      const r = s.userByName.get(username)
      return r ? { ...toUser(r), passwordHash: r.password_hash } : null
    },
    async listUsers() {
      return s.users.all().map(toUser)
    },
    async updateUser(id, patch, at) {
      // column names come from this fixed map only, never from input
      const columns: Record<string, string> = { displayName: 'display_name', role: 'role', scope: 'scope', disabled: 'disabled', passwordHash: 'password_hash' }
      const sets: string[] = []
      const values: unknown[] = []
      for (const [k, v] of Object.entries(patch)) {
        if (v === undefined || !columns[k]) continue
        sets.push(`${columns[k]} = ?`)
        values.push(typeof v === 'boolean' ? (v ? 1 : 0) : v)
      }
      if (sets.length === 0) return
      db.prepare(`UPDATE users SET ${sets.join(', ')}, updated_at = ? WHERE id = ?`).run(...values, at, id)
    },
    async countAdmins() {
      return s.admins.get() as number
    },
    async insertSession(r, hash) {
      s.insertSession.run(r.id, hash, r.userId, r.createdMs, r.lastSeenMs, r.expiresMs, r.ip)
    },
    async sessionByTokenHash(hash) {
      const r = s.sessionByHash.get(hash)
      return r ? toSession(r) : null
    },
    async sessionById(id) {
      const r = s.sessionById.get(id)
      return r ? toSession(r) : null
    },
    async listSessions(userId) {
      return (userId ? s.liveSessionsOf.all(userId) : s.liveSessions.all()).map(toSession)
    },
    async touchSession(id, ms) {
      s.touch.run(ms, id)
    },
    async revokeSession(id, at) {
      return s.revokeSession.run(at, id).changes > 0
    },
    async revokeUserSessions(userId, at) {
      return revokeUserSessions(userId, at)
    },
    async insertApiKey(k: ApiKey, hash) {
      s.insertKey.run(k.id, hash, k.name, JSON.stringify(k.sources), k.scope, k.ratePerMin, k.createdAt, k.createdBy)
    },
    async apiKeyByTokenHash(hash) {
      const r = s.keyByHash.get(hash)
      return r ? toKey(r) : null
    },
    async listApiKeys() {
      return s.keys.all().map(toKey)
    },
    async revokeApiKey(id, at) {
      s.revokeKey.run(at, id)
      const r = s.keyById.get(id)
      return r ? toKey(r) : null
    },
    async insertAudit(e) {
      s.insertAudit.run(e.at, e.action, e.actor, e.target, e.ip, e.detail === null ? null : JSON.stringify(e.detail))
    },
    async listAudit(q) {
      return (q.action ? s.auditOf.all(q.action, q.limit) : s.audit.all(q.limit)).map(toAudit)
    },
  }
}
