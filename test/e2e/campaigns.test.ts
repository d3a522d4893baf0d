import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { localDate } from '../../shared/campaigns/progress.js'
import { api, inputIn, post } from '../integration/harness.js'
import { openPage, SCREENSHOTS, useE2E, waitForMap } from './browser-harness.js'

const env = useE2E()
const DAY = 86_400_000

/** A live drive on 露天烧烤 in 锦江区 from two days ago: four reports in it, three of them closed (75 %). */
async function seedCampaign(): Promise<string> {
  const e = env()
  // the reports first: a campaign's count is then right from its creation (it is recounted at most every 30 s)
  const reports = [0, 1, 2, 3].map(n => inputIn(e.server.app, '510104', { category: '0510', reportedAt: new Date(Date.now() - (n + 1) * 60_000).toISOString() }))
  await post(e.server.url, { events: [...reports, inputIn(e.server.app, '510105', { category: '0510' })] })
  for (const r of reports.slice(0, 3)) {
    let version = 1
    for (const action of ['file', 'dispatch', 'handle', 'verify-pass', 'close']) expect((await e.server.app.cases.act(r.id, { action, version: version++, actor: 'op' })).ok).toBe(true)
  }
  const res = await api(e.server, `/api/v1/campaigns`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: '夜间露天烧烤整治', nameEn: 'Night barbecue drive', categories: ['0510'], scope: 'district:510104', startDate: localDate(Date.now() - 2 * DAY, 480), endDate: localDate(Date.now() + 27 * DAY, 480), targetRate: 0.9 }),
  })
  expect(res.status).toBe(201)
  const { campaign } = await res.json() as { campaign: { id: string } }
  return campaign.id
}

describe('campaigns (专项行动) in Chromium', () => {
  it('the wall\'s campaign scene shows the running drive against its target and the recorded 2019 campaign', async () => {
    const id = await seedCampaign()
    const e = env()
    const page = await openPage(e, '/wall?scene=campaign', { width: 1920, height: 1080 })
    await waitForMap(page)
    expect(await page.locator('[data-testid="wall-stage"]').getAttribute('data-scene')).toBe('campaign')
    const live = page.locator(`[data-testid="campaign-card"][data-campaign="${id}"]`)
    await live.waitFor({ timeout: 15_000 })
    expect(await live.locator('h3').textContent()).toBe('夜间露天烧烤整治')
    expect(await live.locator('[data-testid="campaign-found"]').textContent()).toBe('4')
    expect(await live.locator('[data-testid="campaign-resolved"]').textContent()).toBe('3')
    expect(await live.locator('[data-testid="campaign-rate"]').textContent()).toBe('75.00%')
    expect(await live.locator('[data-testid="campaign-when"]').textContent()).toBe('剩余 27 天')
    const recorded = page.locator('[data-testid="campaign-card"][data-campaign="chengdu-2019-safe-community-100-days"]')
    expect(await recorded.locator('[data-testid="campaign-rate"]').textContent()).toBe('98.78%')
    expect(await recorded.locator('[data-testid="campaign-found"]').textContent()).toBe('≈194,675')
    expect(await recorded.textContent()).toContain('人民网四川频道')
    await page.locator('[data-testid="wall-campaign-breakdown"] canvas').first().waitFor({ timeout: 10_000 })
    const overflow = await page.evaluate(() => ({ w: document.documentElement.scrollWidth - innerWidth, h: document.documentElement.scrollHeight - innerHeight }))
    expect(overflow).toEqual({ w: 0, h: 0 })
    await page.waitForTimeout(800)
    await page.screenshot({ path: path.join(SCREENSHOTS, 'wall-campaign-1920.png') })
    // the English switch (remembered per browser)
    await page.evaluate(() => localStorage.setItem('citybrain.locale', 'en'))
    await page.reload()
    await waitForMap(page)
    await live.waitFor({ timeout: 15_000 })
    expect(await live.locator('h3').textContent()).toBe('Night barbecue drive')
    expect(await live.locator('[data-testid="campaign-when"]').textContent()).toBe('27 days left')
    await page.waitForTimeout(800)
    await page.screenshot({ path: path.join(SCREENSHOTS, 'wall-campaign-en-1920.png') })
    await page.evaluate(() => localStorage.removeItem('citybrain.locale'))
    await page.close()

    // /analysis: the detail of the live drive, then the recorded campaign with its source
    const analysis = await openPage(e, `/analysis/campaigns/${id}`, { width: 1920, height: 1080 })
    await analysis.locator('[data-testid="detail-rate"] [data-testid="kpi-value"]').waitFor({ timeout: 15_000 })
    expect(await analysis.locator('[data-testid="detail-rate"] [data-testid="kpi-value"]').textContent()).toBe('75.00%')
    await analysis.locator('[data-testid="campaign-daily"] canvas').first().waitFor()
    expect(await analysis.locator('.camp-view__table tbody tr').count()).toBeGreaterThan(0)
    await analysis.waitForTimeout(500)
    await analysis.screenshot({ path: path.join(SCREENSHOTS, 'analysis-campaign-1920.png') })
    await analysis.locator('[data-testid="pick-chengdu-2019-safe-community-100-days"]').click()
    await analysis.locator('[data-testid="campaign-sources"]').waitFor()
    expect(await analysis.locator('[data-testid="detail-rate"] [data-testid="kpi-value"]').textContent()).toBe('98.78%')
    expect(await analysis.locator('[data-testid="campaign-sources"]').textContent()).toContain('解决率98.78%')
    await analysis.screenshot({ path: path.join(SCREENSHOTS, 'analysis-campaign-recorded-1920.png') })
    await analysis.close()
    expect(e.errors).toEqual([])
  })
})
