import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testConfig } from '../../server/config.js'
import { runUserCli } from '../../server/cli/user.js'
import { sweepSockets } from '../../server/realtime/authenticate-sockets.js'
import { anonymous, api, asUser, client, type Running, startApp } from './harness.js'

let s: Running
let t = Date.parse('2026-12-07T08:00:00Z')
const MIN = 60_000
const auth = { ...testConfig().auth, adminPassword: 'first-admin-password', sessionIdleMinutes: 30, sessionMaxHours: 4, loginThrottle: { perUser: 3, perIp: 50, windowMinutes: 15 } }
beforeAll(async () => { s = await startApp({ auth }, { now: () => t }) })
afterAll(async () => { await s.stop() })

const json = { 'content-type': 'application/json' }
async function login(username: string, password: string) {
  const res = await api(s, '/api/v1/auth/login', { method: 'POST', headers: { ...json, cookie: '' }, body: JSON.stringify({ username, password }) })
  const setCookie = res.headers.get('set-cookie') ?? ''
  return { res, body: await res.json() as Record<string, unknown>, cookie: setCookie.split(';')[0]!, setCookie }
}
const me = (cookie: string) => api(s, '/api/v1/auth/me', { headers: { cookie } })

async function cli(...argv: string[]): Promise<{ code: number, out: string, err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await runUserCli(argv, { DATA_DIR: s.dataDir }, l => out.push(l), l => err.push(l), async () => 'cli-set-password\n')
  return { code, out: out.join('\n'), err: err.join('\n') }
}

describe('login, logout, me', () => {
  it('the first admin logs in with ADMIN_PASSWORD; the cookie is HttpOnly and SameSite; logout ends the session', async () => {
    const wrong = await login('admin', 'not the password')
    expect(wrong.res.status).toBe(401)
    expect(wrong.body).toEqual({ error: 'wrong username or password' })
    const ok = await login('admin', 'first-admin-password')
    expect(ok.res.status).toBe(200)
    expect(ok.body).toMatchObject({ username: 'admin', role: 'admin', scope: 'city' })
    expect(ok.setCookie).toMatch(/^cb_session=[\w-]{43}; /)
    expect(ok.setCookie).toMatch(/HttpOnly/)
    expect(ok.setCookie).toMatch(/SameSite=Strict/)
    expect(ok.setCookie).toMatch(/Path=\//)
    expect(await (await me(ok.cookie)).json()).toMatchObject({ username: 'admin', role: 'admin' })
    expect((await anonymous(s).api('/api/v1/auth/me')).status).toBe(401)

    const out = await api(s, '/api/v1/auth/logout', { method: 'POST', headers: { cookie: ok.cookie, 'x-requested-with': 'test' } })
    expect(out.status).toBe(204)
    expect(out.headers.get('set-cookie')).toMatch(/cb_session=;.*Expires=Thu, 01 Jan 1970/)
    expect((await me(ok.cookie)).status).toBe(401)

    const audit = await s.app.auth.audit.list({ limit: 20 })
    expect(audit.find(a => a.action === 'login.failed' && a.target === 'admin')).toMatchObject({ actor: 'anonymous', ip: expect.stringMatching(/127\.0\.0\.1/), detail: { reason: 'wrong password' } })
    expect(audit.find(a => a.action === 'login' && a.actor === 'admin')).toMatchObject({ ip: expect.stringMatching(/127\.0\.0\.1/) })
    expect(audit.find(a => a.action === 'logout')).toMatchObject({ actor: 'admin' })
  })

  it('refuses a bad body with 400 naming the field, and never says whether the name exists', async () => {
    const res = await api(s, '/api/v1/auth/login', { method: 'POST', headers: json, body: JSON.stringify({ username: 'admin' }) })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ details: [{ path: 'password' }] })
    expect((await login('no-such-user', 'whatever password')).body).toEqual({ error: 'wrong username or password' })
  })

  it('sessions expire after idling and at their absolute end', async () => {
    await s.app.auth.users.add({ username: 'idle-op', role: 'operator', password: 'idle-op-password' }, 'test')
    const a = await login('idle-op', 'idle-op-password')
    t += 29 * MIN
    expect((await me(a.cookie)).status).toBe(200)
    t += 31 * MIN
    expect((await me(a.cookie)).status).toBe(401)
    const b = await login('idle-op', 'idle-op-password')
    for (let k = 0; k < 9; k++) {
      t += 25 * MIN
      expect((await me(b.cookie)).status).toBe(200)
    }
    t += 16 * MIN // 241 min after login
    expect((await me(b.cookie)).status).toBe(401)
  })

  it('throttles failed logins per username with 429 + Retry-After', async () => {
    await s.app.auth.users.add({ username: 'target', role: 'analyst', password: 'target-password' }, 'test')
    for (let k = 0; k < 3; k++) expect((await login('target', `guess ${k} guess`)).res.status).toBe(401)
    const throttled = await login('target', 'target-password')
    expect(throttled.res.status).toBe(429)
    expect(Number(throttled.res.headers.get('retry-after'))).toBeGreaterThan(0)
    t += 6 * MIN
    expect((await login('target', 'target-password')).res.status).toBe(200)
  })
})

describe('revocation and the CLI', () => {
  it('npm run user manages users; a role change, a disable or a new password revokes sessions at once (sockets too)', async () => {
    const added = await cli('add', 'cli-op', '--role', 'operator', '--scope', 'district:510104', '--name', '锦江值班员')
    expect(added.code).toBe(0)
    const password = /password \(shown once\): (\S+)/.exec(added.out)![1]!
    const a = await login('cli-op', password)
    expect(a.body).toMatchObject({ role: 'operator', scope: 'district:510104', displayName: '锦江值班员' })
    expect((await cli('list')).out).toMatch(/cli-op\s+锦江值班员\s+operator\s+district:510104\s+active/)
    expect((await cli('add', 'bad:name', '--role', 'operator')).err).toMatch(/reserved/)
    expect((await cli('add', 'x2', '--role', 'operator', '--scope', 'district:123456')).code).toBe(2)

    const other = (await asUser(s, { role: 'operator' })).client() // another user: unaffected
    const mine = client(s.url, a.cookie)
    await Promise.all([mine, other].map(c => new Promise<void>(r => c.once('connect', r))))
    const dropped = new Promise<string>(r => mine.once('disconnect', reason => r(reason)))
    expect((await cli('role', 'cli-op', 'analyst')).code).toBe(0)
    expect((await me(a.cookie)).status).toBe(401) // HTTP: at once
    expect(await sweepSockets(s.app.io, s.app.auth.sessions)).toBe(1) // sockets: at the server's next sweep (30 s)
    expect(await dropped).toBe('io server disconnect')
    expect(other.connected).toBe(true)
    other.disconnect()

    const b = await login('cli-op', password)
    expect(b.body).toMatchObject({ role: 'analyst' })
    // a change made in the server's own process disconnects the user's sockets at once
    const socketB = client(s.url, b.cookie)
    await new Promise<void>(r => socketB.once('connect', r))
    const droppedB = new Promise<string>(r => socketB.once('disconnect', reason => r(reason)))
    await s.app.auth.users.setRole('cli-op', 'leader', 'test')
    expect(await droppedB).toBe('io server disconnect')
    await s.app.auth.users.setRole('cli-op', 'analyst', 'test')
    expect((await cli('passwd', 'cli-op', '--password-stdin')).code).toBe(0)
    expect((await me(b.cookie)).status).toBe(401)
    const c = await login('cli-op', 'cli-set-password')
    expect(c.res.status).toBe(200)
    expect((await cli('disable', 'cli-op')).code).toBe(0)
    expect((await me(c.cookie)).status).toBe(401)
    expect((await login('cli-op', 'cli-set-password')).res.status).toBe(401)

    const audit = (await cli('audit', '--limit', '200')).out
    expect(audit).toMatch(/user\.role\s+system:cli\s+cli-op/)
    expect(audit).toMatch(/user\.disable\s+system:cli\s+cli-op/)
    const roleRow = (await s.app.auth.audit.list({ action: 'user.role', limit: 10 })).find(r => r.actor === 'system:cli')
    expect(roleRow?.detail).toEqual({ from: 'operator', to: 'analyst' })
  })

  it('an admin revokes another user\'s sessions over HTTP; others may not', async () => {
    const admin = await asUser(s, { role: 'admin', username: 'second-admin' }) // the harness admin's session idled out above
    const victim = await asUser(s, { role: 'leader', username: 'leader-x' })
    expect((await victim.api('/api/v1/auth/me')).status).toBe(200)
    const analyst = await asUser(s, { role: 'analyst' })
    expect((await analyst.api('/api/v1/auth/users/leader-x/revoke-sessions', { method: 'POST', headers: { 'x-requested-with': 'test' } })).status).toBe(403)
    expect((await anonymous(s).api('/api/v1/auth/users/leader-x/revoke-sessions', { method: 'POST', headers: { 'x-requested-with': 'test' } })).status).toBe(401)
    const res = await admin.api('/api/v1/auth/users/leader-x/revoke-sessions', { method: 'POST', headers: { 'x-requested-with': 'test' } })
    expect(await res.json()).toEqual({ revoked: 1 })
    expect((await victim.api('/api/v1/auth/me')).status).toBe(401)
  })
})
