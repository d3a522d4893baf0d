import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { openPage, SCREENSHOTS, useE2E } from './browser-harness.js'
import { api } from '../integration/harness.js'

const env = useE2E()

describe('the greenway tab of /analysis in Chromium', () => {
  it('opens from the analysis tabs and shows the network, the coverage figures and the charts', async () => {
    const e = env()
    const page = await openPage(e, '/analysis')
    await page.click('[data-testid="tab-greenway"]')
    await page.waitForURL(/\/analysis\/greenway$/)
    await page.waitForSelector('[data-testid="greenway-panel"] canvas.maplibregl-canvas', { timeout: 30_000 })
    await page.waitForSelector('.gw-map__overlay', { state: 'detached', timeout: 60_000 })
    const network = await (await api(e.server, `/api/v1/greenways`)).json() as { features: unknown[] }
    expect(network.features.length).toBeGreaterThan(100)
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="kpi-value"]')].every(el => /\d/.test(el.textContent ?? '')), undefined, { timeout: 30_000 })
    expect(await page.locator('text=示意数据').count()).toBeGreaterThan(0)
    await page.waitForTimeout(1000)
    await page.screenshot({ path: path.join(SCREENSHOTS, 'analysis-greenway.png') })
    await page.close()
    expect(e.errors).toEqual([])
  })
})
