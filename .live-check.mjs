import { chromium } from 'playwright-core'
const base = 'http://localhost:3100'
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'] })
const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } })
const page = await ctx.newPage()
await page.goto(base + '/login')
await page.fill('input[autocomplete="username"], input[name="username"]', 'admin')
await page.fill('input[type="password"]', 'admin-pass-123')
await page.keyboard.press('Enter')
await page.waitForURL(u => !u.pathname.startsWith('/login'), { timeout: 20000 })
for (const [p, f] of [['/wall?rotate=0', 'wall'], ['/ops', 'ops'], ['/analysis', 'analysis']]) {
  await page.goto(base + p)
  await page.waitForTimeout(8000)
  await page.screenshot({ path: `/tmp/live-${f}.png` })
}
await browser.close()
