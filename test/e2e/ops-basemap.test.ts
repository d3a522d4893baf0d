import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { post, startApp } from '../integration/harness.js'
import { makeInput } from '../fixtures/incidents.js'
import { TIANFU_SQUARE } from '../fixtures/basemap/build-fixture.js'
import { TEST_CLIENT_DIR } from '../support/build-client.js'
import { logIn, openPage, SCREENSHOTS, useE2E, waitForMap } from './browser-harness.js'

const FIXTURE = fileURLToPath(new URL('../fixtures/basemap/tianfu.pmtiles', import.meta.url))
const ARCHIVE_PATH = '/api/v1/basemap/tiles.pmtiles'
const BASEMAP_LAYERS = ['basemap-road', 'basemap-water', 'basemap-park', 'basemap-building', 'basemap-place-label', 'basemap-road-label']

const env = useE2E({ basemapPmtiles: FIXTURE })

/** Case zoom at Tianfu Square; resolves when the base map's tiles are in and the map is idle. */
async function zoomToSquare(page: Page): Promise<void> {
  await page.evaluate(([lon, lat]) => new Promise<void>((resolve, reject) => {
    const m = window.__citybrain!.map!
    const timer = setTimeout(() => reject(new Error('base map tiles did not load')), 30_000)
    const check = () => {
      if (m.isSourceLoaded('basemap') && m.areTilesLoaded()) {
        clearTimeout(timer)
        m.off('idle', check)
        resolve()
      }
    }
    m.on('idle', check)
    m.jumpTo({ center: [lon!, lat!], zoom: 14 }) // the zoom of "定位" (flyTo)
  }), TIANFU_SQUARE)
}

const countByLayer = (page: Page) => page.evaluate((layers) => {
  const m = window.__citybrain!.map!
  return Object.fromEntries(layers.map(id => [id, m.queryRenderedFeatures({ layers: [id] }).length]))
}, BASEMAP_LAYERS)

describe('the base map in /ops', () => {
  it('draws the city\'s PMTiles archive at case zoom, read with range requests, under our layers', async () => {
    const e = env()
    const ranges: number[] = []
    const page = await openPage(e, '/ops', { width: 1920, height: 1080 })
    page.on('response', (r) => { if (r.url().endsWith(ARCHIVE_PATH)) ranges.push(r.status()) })
    await waitForMap(page)
    await post(e.server.url, { events: [makeInput({ severity: 'critical', lon: TIANFU_SQUARE[0], lat: TIANFU_SQUARE[1], description: '天府广场井盖缺失' })] })
    await zoomToSquare(page)

    await page.screenshot({ path: path.join(SCREENSHOTS, 'ops-basemap-tianfu.png') })
    const counts = await countByLayer(page)
    for (const id of ['basemap-road', 'basemap-water', 'basemap-park', 'basemap-building']) expect(counts[id], `${id} in ${JSON.stringify(counts)}`).toBeGreaterThan(0)
    // labels need the browser's fonts (no glyph server): the square's own name is placed
    const names = await page.evaluate(() => window.__citybrain!.map!.queryRenderedFeatures({ layers: ['basemap-place-label'] }).map(f => f.properties.name as string))
    expect(names).toContain('天府广场')
    expect(ranges.length).toBeGreaterThan(0)
    expect(ranges.every(s => s === 206)).toBe(true)

    // ours above: every base-map layer comes before the districts, incidents and overlays in the style
    const order = await page.evaluate(() => window.__citybrain!.map!.getStyle().layers.map(l => l.id))
    const lastBasemap = Math.max(...order.map((id, i) => (id.startsWith('basemap-') ? i : -1)))
    for (const ours of ['district-fill', 'district-line', 'incidents', 'incident-cells', 'pulses']) expect(order.indexOf(ours), ours).toBeGreaterThan(lastBasemap)
    // and at the incident's pixel the topmost feature is ours, with the base map's road under it
    await page.waitForFunction(() => window.__citybrain!.map!.queryRenderedFeatures({ layers: ['incidents'] }).length > 0, undefined, { timeout: 10_000 })
    const stack = await page.evaluate(([lon, lat]) => {
      const m = window.__citybrain!.map!
      const p = m.project([lon!, lat!])
      return m.queryRenderedFeatures([[p.x - 4, p.y - 4], [p.x + 4, p.y + 4]]).map(f => f.layer.id)
    }, TIANFU_SQUARE)
    // a report that arrived while the page was open also wears its arrival ring (pulses), ours too and drawn above
    expect(['incidents', 'pulses']).toContain(stack[0])
    expect(stack).toContain('incidents')
    expect(stack).toContain('basemap-road')

    expect(await page.locator('[data-testid="offline-basemap-note"]').count()).toBe(0)
    expect(await page.locator('.maplibregl-ctrl-attrib').textContent()).toContain('citybrain test fixture')
    await page.close()
    expect(e.errors).toEqual([])
  })

  it('without an archive or style keeps the offline style and says so in a corner (zh-CN, then English)', async () => {
    const e = env()
    const offline = await startApp({ staticDir: TEST_CLIENT_DIR })
    const errors: string[] = []
    const page = await e.browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await logIn(page.context(), offline) // cookies ignore the port: the session of the server this page opens
    page.on('pageerror', err => errors.push(err.message))
    const archiveRequests: string[] = []
    page.on('request', (r) => { if (r.url().includes('/basemap/')) archiveRequests.push(r.url()) })
    try {
      await page.goto(`${offline.url}/ops`)
      await waitForMap(page)
      const note = page.locator('[data-testid="offline-basemap-note"]')
      await note.waitFor({ timeout: 5000 })
      expect(await note.textContent()).toBe('离线底图 · 仅行政边界')
      const box = (await note.boundingBox())!
      const map = (await page.locator('.city-map').first().boundingBox())!
      expect(box.x + box.width).toBeGreaterThan(map.x + map.width - 20) // the bottom-right corner of the map
      expect(box.y + box.height).toBeGreaterThan(map.y + map.height - 20)
      expect(await page.evaluate(() => window.__citybrain!.map!.getStyle().layers.some(l => l.id.startsWith('basemap-')))).toBe(false)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'ops-basemap-offline.png') })
      await page.evaluate(() => localStorage.setItem('citybrain.locale', 'en'))
      await page.reload()
      await waitForMap(page)
      await note.filter({ hasText: 'Offline base map: boundaries only' }).waitFor({ timeout: 5000 })
      await page.evaluate(() => localStorage.removeItem('citybrain.locale'))
      expect(archiveRequests).toEqual([])
      expect(errors).toEqual([])
    } finally {
      await page.close()
      await offline.stop()
    }
  })

  it('starts from the city\'s own style (BASEMAP_STYLE_URL), which may draw our archive, with our layers on top', async () => {
    const e = env()
    // the city's tile service: another origin serving a style whose source is our archive, as `pmtiles://`
    let archiveOrigin = ''
    const styleServer = createServer((req, res) => {
      res.setHeader('access-control-allow-origin', '*')
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({
        version: 8,
        sources: { city: { type: 'vector', url: `pmtiles://${archiveOrigin}${ARCHIVE_PATH}` } },
        layers: [
          { id: 'city-background', type: 'background', paint: { 'background-color': '#101820' } },
          { id: 'city-roads', type: 'line', source: 'city', 'source-layer': 'transportation', paint: { 'line-color': '#887755', 'line-width': 3 } },
        ],
      }))
    })
    await new Promise<void>(resolve => styleServer.listen(0, '127.0.0.1', resolve))
    const styleUrl = `http://127.0.0.1:${(styleServer.address() as AddressInfo).port}/style.json`
    const app = await startApp({ staticDir: TEST_CLIENT_DIR, basemapStyleUrl: styleUrl, basemapPmtiles: FIXTURE })
    archiveOrigin = app.url
    const errors: string[] = []
    const page = await e.browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await logIn(page.context(), app)
    page.on('pageerror', err => errors.push(err.message))
    try {
      await page.goto(`${app.url}/ops`)
      await waitForMap(page)
      await page.evaluate(([lon, lat]) => new Promise<void>((resolve, reject) => {
        const m = window.__citybrain!.map!
        const timer = setTimeout(() => reject(new Error('city style tiles did not load')), 30_000)
        const check = () => {
          if (m.isSourceLoaded('city') && m.areTilesLoaded()) {
            clearTimeout(timer)
            m.off('idle', check)
            resolve()
          }
        }
        m.on('idle', check)
        m.jumpTo({ center: [lon!, lat!], zoom: 14 })
      }), TIANFU_SQUARE)
      const result = await page.evaluate(() => {
        const m = window.__citybrain!.map!
        return { roads: m.queryRenderedFeatures({ layers: ['city-roads'] }).length, order: m.getStyle().layers.map(l => l.id) }
      })
      expect(result.roads).toBeGreaterThan(0)
      expect(result.order.slice(0, 2)).toEqual(['city-background', 'city-roads'])
      expect(result.order).toContain('incidents')
      expect(result.order.some(id => id.startsWith('basemap-'))).toBe(false) // the city's style, not ours
      expect(await page.locator('[data-testid="offline-basemap-note"]').count()).toBe(0)
      expect(errors).toEqual([])
    } finally {
      await page.close()
      await app.stop()
      await new Promise(resolve => styleServer.close(resolve))
    }
  })
})
