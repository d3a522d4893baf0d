import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { api, inputIn, post } from '../integration/harness.js'
import { logIn, SCREENSHOTS, useE2E, waitForMap } from './browser-harness.js'

const env = useE2E()

async function act(url: string, id: string, body: Record<string, unknown>): Promise<number> {
  const res = await api({ url }, `/api/v1/incidents/${id}/actions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ actor: 'dept:test', ...body }) })
  expect(res.status, await res.clone().text()).toBe(200)
  return (await res.json() as { version: number }).version
}

describe('the centre\'s workflow steps in the console', () => {
  it('self-handles a grid worker\'s report with evidence (S), and approves a department\'s extension request (A)', async () => {
    const e = env()
    const own = inputIn(e.server.app, '510106', { category: '0102', description: '人行道上一袋生活垃圾' })
    // a compound case: 燃气公司 leads, 应急管理局 assists; the department has asked for more time
    const gas = inputIn(e.server.app, '510107', { category: '0403', severity: 'critical', source: 'hotline_12345', requestType: 'help', description: '小区门口闻到很重的燃气味' })
    await post(e.server.url, { events: [own, gas] })
    let v = await act(e.server.url, gas.id, { action: 'file', version: 1 })
    v = await act(e.server.url, gas.id, { action: 'dispatch', version: v })
    await act(e.server.url, gas.id, { action: 'request-postpone', version: v, reason: '需停气更换主管道', deadline: new Date(Date.now() + 30 * 3_600_000).toISOString() })

    const ctx = await e.browser.newContext({ viewport: { width: 1920, height: 1080 } })
    await logIn(ctx, e.server)
    const page = await ctx.newPage()
    page.on('pageerror', err => e.errors.push(err.message))
    await page.goto(`${e.server.url}/ops`)
    await page.waitForSelector(`[data-id="${own.id}"]`)
    await waitForMap(page)
    const detail = page.locator('[data-testid="case-detail"]')

    // 自行处置: the form asks for the evidence and says so when it is missing
    await page.click(`[data-id="${own.id}"]`)
    await page.waitForSelector('[data-testid="case-detail"] [data-action="self-handle"]')
    await page.keyboard.press('s')
    await page.waitForSelector('[data-form="self-handle"]')
    await page.click('[data-form="self-handle"] button[type="submit"]')
    expect(await page.locator('#act-evidence-error').textContent()).toBe('请填写现场处置情况')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-field'))).toBe('evidence')
    await page.fill('[data-field="evidence"]', '已现场清理并装袋<b>转运</b>')
    await page.fill('[data-field="photoUrl"]', 'ftp://photo')
    await page.click('[data-form="self-handle"] button[type="submit"]')
    expect(await page.locator('#act-photo-error').textContent()).toContain('http')
    await page.screenshot({ path: path.join(SCREENSHOTS, 'ops-self-handle-form.png') })
    await page.fill('[data-field="photoUrl"]', 'https://evidence.example/p/1.jpg')
    await page.click('[data-form="self-handle"] button[type="submit"]')
    await page.waitForFunction(() => document.querySelector('[data-testid="case-status"]')?.textContent === '已结案')
    await detail.locator('.case__trail', { hasText: '自行处置' }).waitFor()
    // what a user typed is text, never markup
    expect(await detail.locator('.case__trail b').count()).toBe(0)
    expect(await detail.textContent()).toContain('已现场清理并装袋<b>转运</b>')
    expect(await detail.textContent()).toContain('网格员自行处置')

    // the pending request, the 协办 department and the 12345 request type are on the case; A approves it
    await page.click(`[data-id="${gas.id}"]`)
    await page.waitForSelector('[data-testid="case-postpone-request"]')
    expect(await page.locator('[data-testid="case-postpone-request"]').textContent()).toContain('需停气更换主管道')
    expect(await page.locator('[data-testid="case-assisting"]').textContent()).toBe('应急管理局')
    expect(await page.locator('[data-testid="case-request-type"]').textContent()).toBe('求助')
    for (const a of ['approve-postpone', 'refuse-postpone', 'return', 'handle']) expect(await detail.locator(`[data-action="${a}"]`).count(), a).toBe(1)
    expect(await detail.locator('[data-action="request-postpone"]').count()).toBe(0)
    await page.screenshot({ path: path.join(SCREENSHOTS, 'ops-centre-workflow.png') })
    await page.keyboard.press('a')
    await page.waitForFunction(() => document.querySelector('[data-testid="case-status"]')?.textContent === '缓办')
    expect(await page.locator('[data-testid="case-postpone-request"]').count()).toBe(0)
    await ctx.close()
    expect(e.errors).toEqual([])
  })
})
