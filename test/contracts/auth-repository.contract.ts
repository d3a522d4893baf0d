import { describe, expect, it } from 'vitest'
import type { AuthRepository } from '../../server/store/repository.js'
import type { SessionRow, User } from '../../server/store/auth-records.js'
import { type Open, useStore } from './support.js'

const user = (id: string, patch: Partial<User> = {}): User => ({
  id, username: `u-${id}`, displayName: `用户 ${id}`, role: 'operator', scope: 'city', disabled: false, createdAt: '2026-11-24T01:00:00.000Z',
  updatedAt: '2026-11-24T01:00:00.000Z', ...patch,
})
const session = (id: string, userId: string, createdMs: number): SessionRow => ({ id, userId, createdMs, lastSeenMs: createdMs, expiresMs: createdMs + 1e6, ip: null, revokedAt: null })

/** Users, sessions, API keys and the access audit (server/auth/), reached as `repo.auth`. */
export function describeAuthContract(name: string, open: Open<AuthRepository>): void {
  describe(`AuthStore contract: ${name}`, () => {
    const store = useStore(open)

    it('stores users with their hash, updates them, counts enabled admins; null for unknown ones', async () => {
      const { auth } = store.repo
      await auth.insertUser(user('1', { role: 'admin' }), 'h1')
      await auth.insertUser(user('2'), 'h2')
      expect(await auth.userByName('u-1')).toEqual({ ...user('1', { role: 'admin' }), passwordHash: 'h1' })
      expect(await auth.userById('missing')).toBeNull()
      expect(await auth.userByName('missing')).toBeNull()
      expect(await auth.countAdmins()).toBe(1)
      await auth.updateUser('2', { role: 'admin', passwordHash: 'h2b' }, '2026-11-24T02:00:00.000Z')
      await auth.updateUser('1', { disabled: true }, '2026-11-24T02:00:00.000Z')
      expect(await auth.countAdmins()).toBe(1)
      expect(await auth.userByName('u-2')).toMatchObject({ role: 'admin', passwordHash: 'h2b', updatedAt: '2026-11-24T02:00:00.000Z' })
      expect((await auth.listUsers()).map(u => u.id)).toEqual(['1', '2'])
    })

    it('lists live sessions newest first; revoking is once, and a user\'s revocation answers the ids it revoked', async () => {
      const { auth } = store.repo
      await auth.insertUser(user('1'), 'h')
      await auth.insertSession(session('s1', '1', 1000), 't1')
      await auth.insertSession(session('s2', '1', 2000), 't2')
      await auth.insertSession(session('s3', '1', 3000), 't3')
      expect(await auth.sessionByTokenHash('t1')).toEqual(session('s1', '1', 1000))
      expect(await auth.sessionByTokenHash('missing')).toBeNull()
      await auth.touchSession('s1', 1500)
      expect((await auth.sessionById('s1'))?.lastSeenMs).toBe(1500)
      expect((await auth.listSessions('1')).map(s => s.id)).toEqual(['s3', 's2', 's1'])
      expect(await auth.revokeSession('s3', 'now')).toBe(true)
      expect(await auth.revokeSession('s3', 'later')).toBe(false)
      expect((await auth.revokeUserSessions('1', 'now')).sort()).toEqual(['s1', 's2'])
      expect(await auth.listSessions()).toEqual([])
    })

    it('keeps API keys by token hash, revokes once; lists the audit newest first, by action', async () => {
      const { auth } = store.repo
      const key = { id: 'k1', name: '12345-platform', sources: ['hotline_12345'], scope: 'city', ratePerMin: 60, createdAt: 'c', createdBy: 'user:1', revokedAt: null }
      await auth.insertApiKey(key, 'kh')
      expect(await auth.apiKeyByTokenHash('kh')).toEqual(key)
      expect(await auth.revokeApiKey('k1', 'r1')).toMatchObject({ revokedAt: 'r1' })
      expect(await auth.revokeApiKey('k1', 'r2')).toMatchObject({ revokedAt: 'r1' })
      expect(await auth.revokeApiKey('missing', 'r')).toBeNull()
      for (const action of ['login', 'logout', 'login']) await auth.insertAudit({ at: 'a', action, actor: 'user:1', target: null, ip: null, detail: { n: 1 } })
      const all = await auth.listAudit({ limit: 10 })
      expect(all.map(e => e.action)).toEqual(['login', 'logout', 'login'])
      expect(all[0]!.id).toBeGreaterThan(all[2]!.id)
      expect(all[0]!.detail).toEqual({ n: 1 })
      expect(await auth.listAudit({ action: 'login', limit: 1 })).toHaveLength(1)
    })
  })
}
