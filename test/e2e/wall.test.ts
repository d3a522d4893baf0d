import path from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { api, inputIn, post } from '../integration/harness.js'
import { openPage, renderedDistricts, SCREENSHOTS, useE2E, waitForMap } from './browser-harness.js'

const env = useE2E()

/** A few cases, one public report closed with a citizen's verdict, so every KPI tile has a figure. */
async function seed(): Promise<void> {
  const e = env()
  const feedback = inputIn(e.server.app, '510104', { source: 'hotline_12345', reporter: { name: '王先生', phone: '13800001111' } })
  await post(e.server.url, { events: [feedback, inputIn(e.server.app, '510105'), inputIn(e.server.app, '510181', { severity: 'critical', category: '0403' })] })
  let version = 1
  for (const action of ['file', 'dispatch', 'handle', 'verify-pass', 'close']) {
    const res = await e.server.app.cases.act(feedback.id, { action, version: version++, actor: 'op' })
    expect(res.ok).toBe(true)
  }
  expect((await e.server.app.cases.act(feedback.id, { action: 'feedback', version, actor: 'sim:citizen', satisfied: true })).ok).toBe(true)
}

async function checkWall(page: Page): Promise<void> {
  await waitForMap(page)
  expect(await renderedDistricts(page)).toBe(20)
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="kpi-value"]')].every(el => /\d/.test(el.textContent ?? '')), undefined, { timeout: 15_000 })
  const overflow = await page.evaluate(() => ({ w: document.documentElement.scrollWidth - innerWidth, h: document.documentElement.scrollHeight - innerHeight }))
  expect(overflow).toEqual({ w: 0, h: 0 })
  expect(await page.locator('canvas.maplibregl-canvas').count()).toBe(1)
}

const todayCount = (page: Page) => page.locator('[data-testid="kpi-value"]').first().textContent()

describe('the wall (大屏) in Chromium', () => {
  beforeAll(seed)

  // one test per size: each is a whole wall drawn in software (4K most of all), one test's worth of work on a loaded
  // machine (issue #12, item 6: the two in one test ran out of its time)
  for (const [width, height] of [[1920, 1080], [3840, 2160]] as const) {
    it(`fits ${width}×${height} without scroll bars, every KPI tile a number`, async () => {
      const e = env()
      const page = await openPage(e, '/wall?rotate=0', { width, height })
      await checkWall(page)
      const tiles = await page.locator('[data-testid="kpi-value"]:visible').allTextContents()
      expect(tiles).toHaveLength(6)
      expect(tiles[5]).toBe('100.00%')
      await page.waitForTimeout(800) // let numerals finish their animation
      await page.screenshot({ path: path.join(SCREENSHOTS, `wall-${width}.png`) })
      await page.close()
      expect(e.errors).toEqual([])
    })
  }

  it('rotates scenes on its interval, pins one by URL, and shows one district', async () => {
    const e = env()
    const page = await openPage(e, '/wall?rotate=10')
    const stage = page.locator('[data-testid="wall-stage"]')
    expect(await stage.getAttribute('data-scene')).toBe('overview')
    await page.waitForFunction(() => document.querySelector('[data-testid="wall-stage"]')?.getAttribute('data-scene') === 'incidents', undefined, { timeout: 15_000 })
    await page.goto(`${e.server.url}/wall?scene=incidents&district=510104`)
    await waitForMap(page)
    expect(await stage.getAttribute('data-scene')).toBe('incidents')
    expect(await page.locator('.wall__title').textContent()).toContain('锦江区')
    await page.screenshot({ path: path.join(SCREENSHOTS, 'wall-district-incidents.png') })
    await page.close()
  })

  for (const scene of ['greenway', 'coverage']) {
    it(`shows the ${scene} scene on the same single map`, async () => {
      const e = env()
      const page = await openPage(e, `/wall?scene=${scene}`, { width: 1920, height: 1080 })
      await waitForMap(page)
      await page.waitForFunction(() => Boolean(window.__citybrain?.map?.getLayer('gw-lines-built')), undefined, { timeout: 30_000 })
      await page.waitForFunction(() => [...document.querySelectorAll('.wall__gwkpis [data-testid="kpi-value"]')].every(el => /\d/.test(el.textContent ?? '')), undefined, { timeout: 30_000 })
      expect(await page.locator('canvas.maplibregl-canvas').count()).toBe(1)
      const lines = await page.evaluate(() => window.__citybrain!.map!.queryRenderedFeatures({ layers: ['gw-lines-built'] }).length)
      expect(lines).toBeGreaterThan(0)
      // the scene's own legend, not the incidents' severity legend (regression)
      await page.waitForSelector('[data-testid="greenway-legend"]', { timeout: 10_000 })
      expect(await page.locator('.city-map .legend').count()).toBe(0)
      expect(await page.locator('[data-testid="greenway-legend"]').textContent()).toContain(scene === 'greenway' ? '500米内' : '全部类型')
      await page.waitForTimeout(1000)
      await page.screenshot({ path: path.join(SCREENSHOTS, `wall-${scene}.png`) })
      await page.close()
      expect(e.errors).toEqual([])
    })
  }

  it('clusters the coverage scene\'s facilities at city zoom and draws them one by one closer in (regression)', async () => {
    const e = env()
    const page = await openPage(e, '/wall?scene=coverage', { width: 1920, height: 1080 })
    await waitForMap(page)
    const rendered = () => page.evaluate(() => {
      const m = window.__citybrain!.map!
      const clusters = m.queryRenderedFeatures({ layers: ['gw-facility-clusters'] })
      return { clusters: clusters.length, inClusters: clusters.reduce((n, f) => n + Number(f.properties.point_count), 0), single: m.queryRenderedFeatures({ layers: ['gw-facilities'] }).length }
    })
    await page.waitForFunction(() => window.__citybrain!.map!.queryRenderedFeatures({ layers: ['gw-facility-clusters'] }).length > 0, undefined, { timeout: 30_000 })
    // city zoom: most facilities are inside a few bubbles, not thousands of dots
    const city = await rendered()
    expect(city.inClusters).toBeGreaterThan(city.single * 3)
    expect(city.clusters + city.single).toBeLessThan((city.inClusters + city.single) / 4)
    await page.screenshot({ path: path.join(SCREENSHOTS, 'wall-coverage-clusters.png') })
    await page.evaluate(() => window.__citybrain!.map!.jumpTo({ center: [104.07, 30.66], zoom: 12.5 }))
    await page.waitForFunction(() => window.__citybrain!.map!.queryRenderedFeatures({ layers: ['gw-facilities'] }).length > 0, undefined, { timeout: 30_000 })
    expect((await rendered()).clusters).toBe(0)
    await page.close()
    expect(e.errors).toEqual([])
  })

  it('lists 最新事件 newest report first, even when an older report changes status (regression)', async () => {
    const e = env()
    const now = Date.now()
    const reports = [40, 30, 20].map(min => inputIn(e.server.app, '510106', { reportedAt: new Date(now - min * 60_000).toISOString() }))
    const page = await openPage(e, '/wall?scene=incidents&rotate=0', { width: 1920, height: 1080 })
    // readiness first (on a busy machine loading the page is what takes long); the late reports then arrive live.
    // (Posted before the page opened, the oldest was at times missing from the list when another e2e file ran
    // first in the same run: not root-caused yet, noted on issue #12.)
    await page.waitForSelector('[data-testid="connection"].is-connected', { timeout: 45_000 })
    await post(e.server.url, { events: reports })
    await page.waitForSelector(`[data-testid="incident-list"] [data-id="${reports[0]!.id}"]`, { timeout: 15_000 })
    // the oldest of the three is filed: the latest change of all, but still the oldest report
    expect((await e.server.app.cases.act(reports[0]!.id, { action: 'file', version: 1, actor: 'op' })).ok).toBe(true)
    await page.waitForFunction(id => document.querySelector(`[data-testid="incident-list"] [data-id="${id}"] [data-testid="row-status"]`)?.textContent !== '已上报', reports[0]!.id, { timeout: 15_000 })
    const times = await page.locator('[data-testid="incident-list"] time').evaluateAll(els => els.map(el => Date.parse(el.getAttribute('datetime') ?? '')))
    expect(times.length).toBeGreaterThanOrEqual(3)
    expect(times).toEqual([...times].sort((a, b) => b - a))
    await page.close()
  })

  it('gets its map back by itself after a WebGL context loss, with still one map', async () => {
    const e = env()
    const page = await openPage(e, '/wall?rotate=0', { width: 1920, height: 1080 })
    await checkWall(page)
    await page.evaluate(() => {
      const gl = document.querySelector<HTMLCanvasElement>('canvas.maplibregl-canvas')!.getContext('webgl2')!
      const ext = gl.getExtension('WEBGL_lose_context')!
      ext.loseContext()
      setTimeout(() => ext.restoreContext(), 500)
    })
    await page.waitForSelector('.city-map__overlay', { timeout: 3000 })
    await page.waitForSelector('.city-map__overlay', { state: 'detached', timeout: 20_000 })
    await checkWall(page)
    expect(e.errors.filter(m => !/context/i.test(m))).toEqual([])
    e.errors.length = 0
    await page.close()
  })

  it('recovers from a server restart without a reload and without a gap in the counts', async () => {
    const e = env()
    const page = await openPage(e, '/wall?rotate=0')
    await checkWall(page)
    await page.evaluate(() => { (window as unknown as { marker: number }).marker = 42 })
    const before = Number(((await todayCount(page)) ?? '').replace(/,/g, ''))
    e.server = await e.server.restart(true)
    // reported while the wall was reconnecting, and after
    await post(e.server.url, { events: [inputIn(e.server.app, '510106'), inputIn(e.server.app, '510107')] })
    await page.waitForSelector('[data-testid="connection"].is-connected', { timeout: 20_000 })
    await post(e.server.url, { events: [inputIn(e.server.app, '510108')] })
    await page.waitForFunction(n => document.querySelector('[data-testid="kpi-value"]')?.textContent?.replace(/,/g, '') === String(n), before + 3, { timeout: 10_000 })
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42)
    await page.close()
    // Refused reconnects while the server was down are this test's point. On a busy machine the restart takes long
    // enough for the page to try (and log) them; left in the suite's list they failed the next test's check.
    expect(e.errors.filter(m => !/ERR_CONNECTION_REFUSED|WebSocket connection|socket\.io/i.test(m))).toEqual([])
    e.errors.length = 0
  })

  it('runs calm on a software renderer: still rings, per-cell counts at city zoom, points loaded on zoom-in', async () => {
    const e = env()
    const page = await openPage(e, '/wall?rotate=0', { width: 1920, height: 1080 })
    await waitForMap(page)
    // this machine draws WebGL with SwiftShader (client/motion.ts)
    expect(await page.evaluate(() => document.documentElement.classList.contains('motion-calm'))).toBe(true)
    // the first report the page sees is its baseline; the next one is an arrival and gets a ring
    await post(e.server.url, { events: [inputIn(e.server.app, '510105')] })
    await page.waitForFunction(() => /[1-9]/.test(document.querySelector('[data-testid="kpi-value"]')?.textContent ?? ''), undefined, { timeout: 10_000 })
    await post(e.server.url, { events: [inputIn(e.server.app, '510104', { severity: 'critical' })] })
    await page.waitForFunction(() => window.__citybrain!.map!.querySourceFeatures('overlay', { filter: ['==', ['get', 'kind'], 'ring'] }).length > 0, undefined, { timeout: 10_000 })
    expect(await page.evaluate(() => window.__citybrain!.map!.getPaintProperty('pulses', 'circle-radius'))).toBe(12)

    // what reaches the individual points' source, counted at the source
    await page.evaluate(() => {
      const src = window.__citybrain!.map!.getSource('incidents') as unknown as { setData: (d: GeoJSON.FeatureCollection) => unknown, updateData: (d: { add?: unknown[] }) => unknown }
      const sent = { full: 0, added: 0 }
      Object.assign(window, { sent })
      const setData = src.setData.bind(src)
      const updateData = src.updateData.bind(src)
      src.setData = (d) => { sent.full = d.features.length; return setData(d) }
      src.updateData = (d) => { sent.added += d.add?.length ?? 0; return updateData(d) }
    })
    const sent = () => page.evaluate(() => (window as unknown as { sent: { full: number, added: number } }).sent)
    // 6,000 points (over the aggregate threshold) around the centre, as a socket batch would carry them
    await page.evaluate(() => {
      const ids = Array.from({ length: 6000 }, (_, k) => `bulk-${k}`)
      window.__citybrain!.pushPoints!({ ids, lon: ids.map((_, k) => 104.0 + (k % 80) * 0.002), lat: ids.map((_, k) => 30.6 + Math.floor(k / 80) * 0.002), severity: ids.map(() => 1) })
    })
    await page.waitForFunction(() => {
      const m = window.__citybrain!.map!
      const counted = m.querySourceFeatures('overlay', { filter: ['==', ['get', 'kind'], 'cell'] }).reduce((s, f) => s + Number(f.properties?.count ?? 0), 0)
      return m.getLayoutProperty('incident-cells', 'visibility') === 'visible' && counted >= 6000
    }, undefined, { timeout: 10_000 })
    // at city zoom nothing shows individual points, so their source is not sent the 6,000
    expect(await sent()).toEqual({ full: 0, added: 0 })
    await page.evaluate(() => window.__citybrain!.map!.jumpTo({ center: [104.08, 30.63], zoom: 12 }))
    await page.waitForFunction(() => window.__citybrain!.map!.querySourceFeatures('incidents').length >= 6000, undefined, { timeout: 10_000 })
    expect((await sent()).full).toBeGreaterThanOrEqual(6000)
    await page.close()

    const full = await openPage(e, '/wall?rotate=0&motion=full', { width: 1920, height: 1080 })
    await waitForMap(full)
    expect(await full.evaluate(() => document.documentElement.classList.contains('motion-calm'))).toBe(false)
    await full.close()
    expect(e.errors).toEqual([])
  })

  it('opens through a display link for one district, read-only; a revoked link says so', async () => {
    const e = env()
    const res = await api(e.server, `/api/v1/display-links`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scope: 'district:510104', label: 'wall-1' }) })
    const link = await res.json() as { id: string, url: string }
    const page = await openPage(e, link.url)
    await waitForMap(page)
    await page.waitForSelector('[data-testid="connection"].is-connected')
    expect(await page.locator('.wall__title').textContent()).toContain('锦江区')
    await api(e.server, `/api/v1/display-links/${link.id}`, { method: 'DELETE', headers: { 'x-requested-with': 'test' } })
    await page.reload()
    await page.waitForSelector('[data-testid="link-refused"]', { timeout: 10_000 })
    await page.screenshot({ path: path.join(SCREENSHOTS, 'wall-link-revoked.png') })
    await page.close()
    // the refused socket and requests are the point of this test
    e.errors.length = 0
  })
})
