import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { HealthReport } from '../../shared/calendar.js'
import { api, inputIn, post } from '../integration/harness.js'
import { openPage, SCREENSHOTS, useE2E, waitForMap } from './browser-harness.js'

const env = useE2E()

describe('working-calendar banner in /ops', () => {
  it('shows which years are statutory-only (zh-CN, then English) until official schedules are loaded', async () => {
    const e = env()
    // which years warn depends on today's date and the chinese-days release: ask the server, then check the page says so
    const health = await (await api(e.server, `/api/v1/health`)).json() as HealthReport
    const years = health.calendar.warnings.map(w => w.year)
    expect(years.length, 'chinese-days 1.5.7 has no year after 2026, so next year at least is statutory-only').toBeGreaterThan(0)

    const page = await openPage(e, '/ops', { width: 1920, height: 1080 })
    await waitForMap(page)
    const banner = page.locator('[data-testid="calendar-banner"]')
    await banner.waitFor({ timeout: 5000 })
    expect(await banner.textContent()).toContain(`工作日历：${years.join('、')} 年尚未载入国务院节假日安排通知`)
    expect(await banner.getAttribute('role')).toBe('status')
    // an alarm banner stacks above it: both readable, neither hides the other (nor the map legend at the bottom)
    await post(e.server.url, { events: [inputIn(e.server.app, '510105', { severity: 'critical', category: '0403', description: '燃气管道泄漏' })] })
    const alarm = page.locator('[data-testid="alarm-banner"]')
    await alarm.waitFor({ timeout: 5000 })
    const [a, c] = [(await alarm.boundingBox())!, (await banner.boundingBox())!]
    expect(c.y).toBeGreaterThanOrEqual(a.y + a.height)
    await page.screenshot({ path: path.join(SCREENSHOTS, 'ops-calendar-banner.png') })

    await page.evaluate(() => localStorage.setItem('citybrain.locale', 'en'))
    await page.reload()
    await banner.filter({ hasText: `no State Council holiday notice loaded for ${years.join(', ')}` }).waitFor({ timeout: 10_000 })
    await waitForMap(page)
    await page.screenshot({ path: path.join(SCREENSHOTS, 'ops-calendar-banner-en.png') })

    // an admin drops in the official schedules and reloads: the banner is gone on the next look
    const dir = path.join(e.server.dataDir, 'calendar')
    mkdirSync(dir, { recursive: true })
    for (const year of years) writeFileSync(path.join(dir, `${year}.json`), JSON.stringify({ year, source: 'test notice', holidays: [`${year}-01-01`] }))
    const reload = await api(e.server, `/api/v1/calendar/reload`, { method: 'POST', headers: { 'x-requested-with': 'test' } })
    expect(await reload.json()).toMatchObject({ files: years, warnings: [] })
    const answered = page.waitForResponse(r => r.url().endsWith('/api/v1/health'))
    await page.reload()
    expect(((await (await answered).json()) as HealthReport).calendar.warnings).toEqual([])
    await waitForMap(page) // rendered long after the answer: the banner would be there by now
    expect(await banner.count()).toBe(0)
    await page.evaluate(() => localStorage.removeItem('citybrain.locale'))
    await page.close()
    expect(e.errors).toEqual([])
  })
})
