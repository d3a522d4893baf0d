import { describe, expect, it } from 'vitest'
import { createAuth } from '../../server/auth/index.js'
import { testConfig } from '../../server/config.js'
import { authQueries } from '../../server/store/sqlite/auth-queries.js'
import { openDatabase } from '../../server/store/sqlite/sqlite-repository.js'

const MIN = 60_000

function setup(overrides: Partial<ReturnType<typeof testConfig>['auth']> = {}) {
  let t = Date.parse('2026-12-07T08:00:00Z')
  const revoked: string[] = []
  const store = authQueries(openDatabase(':memory:'))
  const config = { ...testConfig().auth, sessionIdleMinutes: 30, sessionMaxHours: 2, ...overrides }
  const auth = createAuth({ store, config, now: () => t, scopeExists: s => s === 'city' || s === 'district:510104', onSessionsRevoked: ids => revoked.push(...ids) })
  return { auth, store, revoked, advance: (ms: number) => { t += ms } }
}

describe('sessions', () => {
  it('expire when idle, and absolutely however active', async () => {
    const { auth, advance } = setup()
    const user = await auth.users.add({ username: 'ops1', role: 'operator', password: 'password-ops1' }, 'test')
    const idle = await auth.sessions.create(user, null)
    advance(29 * MIN)
    expect(await auth.sessions.resolve(idle.token)).not.toBeNull() // used: the idle clock restarts
    advance(29 * MIN)
    expect(await auth.sessions.resolve(idle.token)).not.toBeNull()
    advance(31 * MIN)
    expect(await auth.sessions.resolve(idle.token)).toBeNull()

    const busy = await auth.sessions.create(user, null)
    for (let k = 0; k < 7; k++) {
      advance(17 * MIN)
      expect(await auth.sessions.resolve(busy.token)).not.toBeNull()
    }
    advance(2 * MIN) // 121 min after login
    expect(await auth.sessions.resolve(busy.token)).toBeNull()
  })

  it('are revoked by logout, by disabling the user, by a new role or password', async () => {
    const { auth, revoked } = setup()
    const user = await auth.users.add({ username: 'ops2', role: 'operator', password: 'password-ops2' }, 'test')
    const a = await auth.sessions.create(user, null)
    expect(await auth.sessions.revoke(a.session.id)).toBe(true)
    expect(await auth.sessions.resolve(a.token)).toBeNull()

    for (const change of [
      () => auth.users.setRole('ops2', 'analyst', 'test'),
      () => auth.users.setPassword('ops2', 'a new password', 'test'),
      () => auth.users.setDisabled('ops2', true, 'test'),
    ]) {
      const s = await auth.sessions.create(user, null)
      await change()
      expect(await auth.sessions.resolve(s.token)).toBeNull()
      expect(revoked).toContain(s.session.id)
    }
  })

  it('are looked up by the token\'s hash only', async () => {
    const { auth, store } = setup()
    const user = await auth.users.add({ username: 'ops3', role: 'operator', password: 'password-ops3' }, 'test')
    const s = await auth.sessions.create(user, null)
    expect(await store.sessionByTokenHash(s.token)).toBeNull()
    expect(await auth.sessions.resolve(`${s.token}x`)).toBeNull()
  })
})

describe('users', () => {
  it('refuse names with ":" (reserved for system actors), unknown roles and scopes, short passwords', async () => {
    const { auth } = setup()
    const add = (u: Partial<Parameters<typeof auth.users.add>[0]>) => auth.users.add({ username: 'u1', role: 'operator', password: 'long enough pw', ...u }, 'test')
    await expect(add({ username: 'system:dedupe' })).rejects.toMatchObject({ details: [{ path: 'username', message: expect.stringMatching(/reserved/) }] })
    await expect(add({ role: 'root' })).rejects.toMatchObject({ details: [{ path: 'role' }] })
    await expect(add({ scope: 'district:999999' })).rejects.toMatchObject({ details: [{ path: 'scope' }] })
    await expect(add({ password: 'short' })).rejects.toMatchObject({ details: [{ path: 'password' }] })
    await add({ scope: 'district:510104' })
    await expect(add({ username: 'U1' })).rejects.toMatchObject({ status: 409 }) // names are case-insensitive
  })

  it('first start creates one admin, with the given password or a random one', async () => {
    const { auth } = setup()
    const first = await auth.users.ensureFirstAdmin(null)
    expect(first).toMatchObject({ created: true, generated: true })
    expect(await auth.users.ensureFirstAdmin(null)).toEqual({ created: false })
    const login = await auth.login('admin', (first as { password: string }).password, '10.0.0.1')
    expect(login.ok && login.user.role).toBe('admin')
  })
})

describe('login throttle', () => {
  it('answers 429 with Retry-After after too many failures for one username, then lets it try again', async () => {
    const { auth, advance } = setup({ loginThrottle: { perUser: 3, perIp: 100, windowMinutes: 15 } })
    await auth.users.add({ username: 'ops4', role: 'operator', password: 'password-ops4' }, 'test')
    for (let k = 0; k < 3; k++) expect(await auth.login('ops4', 'wrong password', `10.0.0.${k}`)).toMatchObject({ ok: false, status: 401 })
    const throttled = await auth.login('OPS4', 'password-ops4', '10.0.0.9') // even the right password, from elsewhere
    expect(throttled).toMatchObject({ ok: false, status: 429, retryAfterS: 300 })
    advance(5 * MIN)
    expect((await auth.login('ops4', 'password-ops4', '10.0.0.9')).ok).toBe(true)
  })

  it('throttles one IP trying many usernames', async () => {
    const { auth } = setup({ loginThrottle: { perUser: 100, perIp: 4, windowMinutes: 10 } })
    for (let k = 0; k < 4; k++) expect((await auth.login(`nobody${k}`, 'guess guess', '10.9.9.9')).ok).toBe(false)
    expect(await auth.login('nobody9', 'guess guess', '10.9.9.9')).toMatchObject({ status: 429 })
    expect(await auth.login('nobody9', 'guess guess', '10.9.9.8')).toMatchObject({ status: 401 })
  })
})
