import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { childLevel, type DrillLevel, type AnalysisPoints, type AnalysisSummary } from '../../shared/analysis.js'
import { loadCityGeo } from '../../server/geo/city-geo.js'
import { seedHistory } from '../../server/seed/history.js'
import { createSqliteRepository } from '../../server/store/sqlite/sqlite-repository.js'
import { api, type Running, startApp } from '../integration/harness.js'
import { closePages, logIn, recordErrors } from './browser-harness.js'
import { TEST_CLIENT_DIR } from '../support/build-client.js'
import { launchChromium } from '../support/chromium.js'
import { SCREENSHOTS } from './browser-harness.js'

// A day and a half of seeded history, viewed as the two local days it covers.
const END = Date.parse('2026-11-28T12:00:00+08:00')
const FROM_DAY = '2026-11-27'
const TO_DAY = '2026-11-28'
const API_RANGE = `from=${encodeURIComponent('2026-11-27T00:00:00+08:00')}&to=${encodeURIComponent('2026-11-29T00:00:00+08:00')}`
const dir = mkdtempSync(path.join(tmpdir(), 'citybrain-e2e-drill-'))
let server: Running
let browser: Browser
const errors: string[] = []

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const repo = createSqliteRepository({ dataDir: dir })
  await seedHistory({ geo: loadCityGeo('chengdu'), repo, seed: 42, fromMs: END - 36 * 3_600_000, toMs: END, duplicateRule: { radiusM: 100, windowMinutes: 60 } })
  await repo.close()
  server = await startApp({ staticDir: TEST_CLIENT_DIR }, {}, dir)
  browser = await launchChromium()
})

// a page left by a failed test is closed before the next one; its errors were that test's, reported with its failure
afterEach(async (ctx) => {
  if (browser) await closePages(browser)
  if (ctx.task.result?.state === 'fail') errors.length = 0
})

afterAll(async () => {
  await browser?.close()
  await server?.stop({ keepData: true })
  rmSync(dir, { recursive: true, force: true })
})

async function getJson<T>(p: string): Promise<T> {
  const res = await api(server, `${p}`)
  expect(res.status, p).toBe(200)
  return await res.json() as T
}

const summaryOf = (level: DrillLevel, code: string) => getJson<AnalysisSummary>(`/api/v1/analysis/summary?level=${level}&code=${code}&${API_RANGE}`)

async function openPage(route: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true })
  await logIn(page.context(), server)
  recordErrors(page, errors, route)
  await page.goto(`${server.url}${route}`)
  return page
}

/** Waits until the drill map has drawn the children of `code` and gone idle. */
async function waitForArea(page: Page, code: string): Promise<void> {
  await page.waitForFunction(c => window.__citybrain?.analysisMap?.area === (c.length <= 4 ? 'city' : c), code, { timeout: 45_000 })
  await page.evaluate(() => new Promise<void>((resolve) => {
    const m = window.__citybrain!.analysisMap!.map
    void m.once('idle', () => resolve())
    m.triggerRepaint()
    setTimeout(resolve, 4000)
  }))
}

/** A pixel of the map canvas where the child `code` is drawn (found by asking the map what is rendered where). */
async function pixelOf(page: Page, code: string): Promise<{ x: number, y: number }> {
  const hit = await page.evaluate((c) => {
    const m = window.__citybrain!.analysisMap!.map
    const canvas = m.getCanvas()
    const w = canvas.clientWidth
    const h = canvas.clientHeight
    const hits: [number, number][] = []
    for (let y = 8; y < h; y += 6) {
      for (let x = 8; x < w; x += 6) {
        const f = m.queryRenderedFeatures([x, y], { layers: ['children-fill'] })[0]
        if (f?.properties?.code === c) hits.push([x, y])
      }
    }
    if (hits.length === 0) return null
    // the hit nearest the middle of all hits: well inside the shape, away from its border and labels
    const cx = hits.reduce((a, p) => a + p[0], 0) / hits.length
    const cy = hits.reduce((a, p) => a + p[1], 0) / hits.length
    const best = hits.sort((a, b) => Math.hypot(a[0] - cx, a[1] - cy) - Math.hypot(b[0] - cx, b[1] - cy))[0]!
    const r = canvas.getBoundingClientRect()
    return { x: r.left + best[0], y: r.top + best[1] }
  }, code)
  if (!hit) throw new Error(`child ${code} is not drawn on the map`)
  return hit
}

/** What the charts draw, read from ECharts itself. */
async function chartData(page: Page, chart: string): Promise<unknown[]> {
  return page.evaluate((name) => {
    const el = document.querySelector(`[data-chart="${name}"] .chart-panel__chart`) as HTMLElement
    const option = window.__citybrain!.echarts!.getInstanceByDom(el)!.getOption() as { series: { data: unknown[] }[] }
    return option.series.map(s => s.data)
  }, chart)
}

async function expectViewMatchesApi(page: Page, s: AnalysisSummary): Promise<void> {
  await page.waitForFunction(total => document.querySelector('[data-kpi="total"] dd')?.textContent === total, s.total.toLocaleString('zh-CN'))
  const [current] = await chartData(page, 'trend')
  expect(current).toEqual(s.trend!.current)
  const [funnel] = await chartData(page, 'funnel') as { value: number }[][]
  expect(funnel!.map(d => d.value)).toEqual(s.funnel)
  const [heat] = await chartData(page, 'heatmap') as [number, number, number][][]
  expect(heat!.reduce((a, d) => a + d[2], 0)).toBe(s.total)
  const [inner] = await chartData(page, 'categories') as { value: number }[][]
  expect(inner!.reduce((a, d) => a + d.value, 0)).toBe(s.total)
}

describe('drill-down in Chromium', () => {
  it('drills from the city to a grid cell by clicking the map; URL, breadcrumbs and charts follow the API', async () => {
    const geo = loadCityGeo('chengdu')
    const page = await openPage(`/analysis?from=${FROM_DAY}&to=${TO_DAY}`)
    await page.waitForURL(/\/analysis\/city\?from=2026-11-27&to=2026-11-28$/)
    let level: DrillLevel = 'city'
    let code = geo.info.code
    const names = [geo.info.name]
    for (;;) {
      const s = await summaryOf(level, code)
      await waitForArea(page, code)
      await expectViewMatchesApi(page, s)
      const crumbs = await page.locator('[data-testid="area-breadcrumbs"] li').allTextContents()
      expect(crumbs.slice(0, names.length)).toEqual(names)
      const next = childLevel(level)
      if (!next) break
      // the busiest child, ranked first in the table with the API's count
      const busiest = [...s.children!].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))[0]!
      await expect.poll(() => page.locator('[data-testid="children-table"] tbody tr').first().getAttribute('data-code')).toBe(busiest.code)
      expect(await page.locator(`[data-testid="children-table"] tr[data-code="${busiest.code}"] [data-col="count"]`).textContent()).toBe(busiest.count.toLocaleString('zh-CN'))
      const { x, y } = await pixelOf(page, busiest.code)
      await page.mouse.move(x, y)
      await page.waitForSelector('[data-testid="map-tooltip"]')
      expect(await page.locator('[data-testid="map-tooltip"]').textContent()).toContain(busiest.count.toLocaleString('zh-CN'))
      await page.mouse.click(x, y)
      await page.waitForURL(new RegExp(`/analysis/${next}/${busiest.code}\\?from=${FROM_DAY}&to=${TO_DAY}$`))
      level = next
      code = busiest.code
      if (next !== 'cell') names.push(busiest.name)
    }
    // at the cell: five crumbs (成都市 › district › street › community › cell) and the incidents as points
    expect(await page.locator('[data-testid="area-breadcrumbs"] li').count()).toBe(5)
    const points = await getJson<AnalysisPoints>(`/api/v1/analysis/points?level=cell&code=${code}&${API_RANGE}`)
    expect(points.ids.length).toBeGreaterThan(0)
    await expect.poll(() => page.evaluate(() => window.__citybrain!.analysisMap!.points)).toBe(points.ids.length)
    await page.screenshot({ path: path.join(SCREENSHOTS, 'analysis-cell.png') })
    // back goes up one level, forward down again
    await page.goBack()
    await page.waitForURL(/\/analysis\/community\//)
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="area-breadcrumbs"] li').length === 4)
    await page.goForward()
    await page.waitForURL(/\/analysis\/cell\//)
    await page.close()
  })

  it('a copied link reopens the same view, and the keyboard drills too', async () => {
    const s = await summaryOf('district', '510106')
    const page = await openPage(`/analysis/district/510106?from=${FROM_DAY}&to=${TO_DAY}&source=grid_worker&metric=count`)
    await waitForArea(page, '510106')
    const filtered = await getJson<AnalysisSummary>(`/api/v1/analysis/summary?level=district&code=510106&${API_RANGE}&source=grid_worker`)
    expect(filtered.total).toBeLessThan(s.total)
    await page.waitForFunction(total => document.querySelector('[data-kpi="total"] dd')?.textContent === total, filtered.total.toLocaleString('zh-CN'))
    expect(await page.locator('[data-testid="filter-source"]').inputValue()).toBe('grid_worker')
    expect(await page.locator('[data-testid="metric"]').inputValue()).toBe('count')
    await page.screenshot({ path: path.join(SCREENSHOTS, 'analysis-district.png') })
    const first = page.locator('[data-testid="children-table"] tbody tr').first()
    const street = await first.getAttribute('data-code')
    await first.focus()
    await page.keyboard.press('Enter')
    await page.waitForURL(new RegExp(`/analysis/street/${street}\\?.*source=grid_worker`))
    await page.close()
  })

  it('exports the ranking as a UTF-8 CSV with a BOM, one row per child', async () => {
    const s = await summaryOf('district', '510106')
    const page = await openPage(`/analysis/district/510106?from=${FROM_DAY}&to=${TO_DAY}`)
    await page.waitForFunction(total => document.querySelector('[data-kpi="total"] dd')?.textContent === total, s.total.toLocaleString('zh-CN'))
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-csv"]')])
    const file = path.join(dir, 'export.csv')
    await download.saveAs(file)
    const bytes = readFileSync(file)
    expect([...bytes.subarray(0, 3)]).toEqual([0xEF, 0xBB, 0xBF])
    const lines = bytes.toString('utf8').slice(1).trimEnd().split('\r\n')
    expect(lines).toHaveLength(s.children!.length + 1)
    expect(lines[0]).toContain('名称')
    expect(lines.some(l => l.includes(s.children![0]!.name))).toBe(true)
    // codes as ="…" text, so Excel does not turn street and community codes into 5.10106E+08
    expect(lines[1]).toMatch(/^"=""\d{9}""",/)
    await page.close()
  })

  it('pages the incident table on the server and opens a case', async () => {
    const page = await openPage(`/analysis/district/510106?from=${FROM_DAY}&to=${TO_DAY}`)
    const first = page.locator('[data-testid="incident-table"] tbody tr').first()
    await first.waitFor()
    const firstId = await first.getAttribute('data-id')
    await page.click('[data-testid="next-page"]')
    await page.waitForURL(/page=2/)
    await expect.poll(() => page.locator('[data-testid="incident-table"] tbody tr').first().getAttribute('data-id')).not.toBe(firstId)
    const id = await page.locator('[data-testid="incident-table"] tbody tr').first().getAttribute('data-id')
    await page.locator('[data-testid="incident-table"] tbody tr').first().click()
    await page.waitForURL(new RegExp(`case=${id}`))
    await page.waitForSelector('[data-testid="case-drawer"] .drawer__id')
    expect(await page.locator('[data-testid="case-drawer"] .drawer__id').textContent()).toBe(id)
    await page.keyboard.press('Escape')
    await page.waitForFunction(() => !location.search.includes('case='))
    await page.close()
  })

  it('logged no page errors', () => {
    expect(errors).toEqual([])
  })
})
