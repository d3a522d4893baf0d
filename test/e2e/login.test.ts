import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Role } from '../../shared/access.js'
import { openPage, SCREENSHOTS, useE2E } from './browser-harness.js'

// Logging in (issue #14): a page without a session goes to the login page and comes back after; each role lands on
// its own view; the user menu names the user, role and scope, and logs out.
const e2e = useE2E()
const PASSWORD = 'e2e-password-1'

async function addUser(username: string, role: Role, scope = 'city', displayName?: string) {
  await e2e().server.app.auth.users.add({ username, role, scope, password: PASSWORD, ...(displayName && { displayName }) }, 'test')
}

describe('login', () => {
  it('sends an anonymous visitor to the login page, explains a wrong password, and lands back where they were', async () => {
    const e = e2e()
    await addUser('wang.op', 'operator', 'district:510104', '王值班')
    const page = await openPage(e, '/analysis', { width: 1920, height: 1080 }, { cookie: '' })
    await page.waitForURL(url => url.pathname === '/login' && url.searchParams.get('next') === '/analysis')
    await page.getByTestId('login-username').waitFor()
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('username')
    await page.screenshot({ path: path.join(SCREENSHOTS, 'login-zh.png') })

    // keyboard only: type, Tab, type, Enter
    await page.keyboard.type('wang.op')
    await page.keyboard.press('Tab')
    await page.keyboard.type('not the password')
    await page.keyboard.press('Enter')
    expect(await page.getByTestId('login-error').textContent()).toBe('用户名或密码错误')

    await page.getByRole('button', { name: 'English' }).click()
    await page.getByTestId('login-submit').click()
    expect(await page.getByTestId('login-error').textContent()).toBe('Enter your username and password')
    await page.screenshot({ path: path.join(SCREENSHOTS, 'login-en-error.png') })
    await page.getByTestId('login-password').fill(PASSWORD)
    const answer = page.waitForResponse(r => r.url().endsWith('/api/v1/auth/login') && r.request().method() === 'POST')
    await page.getByTestId('login-password').press('Enter')
    expect((await answer).status()).toBe(200)
    // by path: the login page's own URL, /login?next=/analysis, also ends in "/analysis". Matched by a pattern, the wait
    // returned at once, and the page was closed while the login's navigation committed: Chromium then never finished
    // closing it (the 90 s timeout with no error, 1 run in 3 here; traced with DEBUG=pw:api)
    await page.waitForURL(url => url.pathname === '/analysis')
    await page.close()
  })

  it('lands each role on its view; the menu shows name, role and scope, and logs out', async () => {
    const e = e2e()
    await addUser('li.leader', 'leader', 'city', '李领导')
    await addUser('zhao.analyst', 'analyst', 'district:510104', '赵分析')
    await addUser('chen.admin', 'admin', 'city', '陈管理')
    for (const [username, landing] of [['wang.op', '/ops'], ['li.leader', '/wall'], ['zhao.analyst', '/analysis'], ['chen.admin', '/ops']] as const) {
      const page = await openPage(e, '/login', { width: 1920, height: 1080 }, { cookie: '' })
      await page.getByTestId('login-username').fill(username)
      await page.getByTestId('login-password').fill(PASSWORD)
      await page.getByTestId('login-submit').click()
      await page.waitForURL(url => url.pathname === landing, { timeout: 20_000 })
      await page.close()
    }

    const page = await openPage(e, '/login', { width: 1920, height: 1080 }, { cookie: '' })
    await page.getByTestId('login-username').fill('wang.op')
    await page.getByTestId('login-password').fill(PASSWORD)
    await page.getByTestId('login-password').press('Enter')
    await page.waitForURL(/\/ops$/)
    await page.getByTestId('user-menu').click()
    expect(await page.getByTestId('user-role').textContent()).toBe('值班员')
    // the scope's name arrives with the city's units (the code shows until then): wait for it, not a fixed time
    await page.getByTestId('user-scope').filter({ hasText: '锦江区' }).waitFor({ timeout: 10_000 })
    expect(await page.getByTestId('user-scope').textContent()).toBe('锦江区')
    await page.screenshot({ path: path.join(SCREENSHOTS, 'user-menu-zh.png') })
    await page.keyboard.press('Escape')
    await page.getByRole('button', { name: 'English' }).click()
    await page.getByTestId('user-menu').click()
    expect(await page.getByTestId('user-role').textContent()).toBe('Operator')
    await page.screenshot({ path: path.join(SCREENSHOTS, 'user-menu-en.png') })
    await page.getByTestId('logout').click()
    await page.waitForURL(/\/login$/)
    const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status)
    expect(me).toBe(401)
    await page.close()
  })

  it('a revoked session sends the open page to the login page, and back after logging in again', async () => {
    const e = e2e()
    await addUser('sun.analyst', 'analyst', 'city', '孙分析')
    const page = await openPage(e, '/login', { width: 1600, height: 900 }, { cookie: '' })
    await page.getByTestId('login-username').fill('sun.analyst')
    await page.getByTestId('login-password').fill(PASSWORD)
    await page.getByTestId('login-submit').click()
    await page.waitForURL(url => url.pathname === '/analysis')
    await e.server.app.auth.users.setRole('sun.analyst', 'analyst', 'test', 'district:510104') // revokes the session
    await page.goto(`${e.server.url}/analysis/district/510104`)
    await page.waitForURL(url => url.pathname === '/login' && url.searchParams.get('next') === '/analysis/district/510104')
    await page.getByTestId('login-username').fill('sun.analyst')
    await page.getByTestId('login-password').fill(PASSWORD)
    await page.getByTestId('login-submit').click()
    await page.waitForURL(url => url.pathname === '/analysis/district/510104') // not the login URL naming it as next
    await page.close()
  })
})
