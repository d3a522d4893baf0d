import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { inputIn, post } from '../integration/harness.js'
import { logIn, SCREENSHOTS, useE2E, waitForMap } from './browser-harness.js'

const env = useE2E()

describe('operators move a case in Chromium', () => {
  it('files and dispatches in one context; a second context sees each change live', async () => {
    const e = env()
    const incident = inputIn(e.server.app, '510106', { category: '0102', reporter: { name: '张三丰', phone: '13812345678' }, description: '小区门口暴露垃圾，已堆积一天' })
    await post(e.server.url, { events: [incident] })

    const [ctxA, ctxB] = await Promise.all([e.browser.newContext({ viewport: { width: 1600, height: 900 } }), e.browser.newContext({ viewport: { width: 1600, height: 900 } })])
    await Promise.all([logIn(ctxA, e.server), logIn(ctxB, e.server)])
    const [a, b] = await Promise.all([ctxA.newPage(), ctxB.newPage()])
    for (const p of [a, b]) {
      p.on('pageerror', err => e.errors.push(err.message))
      await p.goto(`${e.server.url}/ops`)
      await p.waitForSelector(`[data-id="${incident.id}"]`)
    }
    await waitForMap(a)
    await a.click(`[data-id="${incident.id}"]`)
    await a.waitForSelector('[data-testid="case-detail"] [data-action="file"]')
    // personal data is masked in the console
    const detailText = await a.locator('[data-testid="case-detail"]').textContent()
    expect(detailText).toContain('张**')
    expect(detailText).toContain('138****5678')
    expect(detailText).not.toContain('13812345678')

    const rowStatus = b.locator(`[data-id="${incident.id}"] [data-testid="row-status"]`)
    await a.keyboard.press('f') // shortcut for 立案
    await a.waitForFunction(() => document.querySelector('[data-testid="case-status"]')?.textContent === '已立案')
    // live, without a reload; how fast is bench/action-latency.ts's measure, not this test's (test/README.md)
    await rowStatus.filter({ hasText: '已立案' }).waitFor()

    await a.click('[data-testid="case-detail"] [data-action="dispatch"]')
    await a.waitForFunction(() => document.querySelector('[data-testid="case-status"]')?.textContent === '已派遣')
    await rowStatus.filter({ hasText: '已派遣' }).waitFor()
    expect(await a.locator('[data-testid="case-detail"]').textContent()).toContain('环卫')
    await a.screenshot({ path: path.join(SCREENSHOTS, 'ops-case-detail.png') })
    await Promise.all([ctxA.close(), ctxB.close()])
    expect(e.errors).toEqual([])
  })
})
