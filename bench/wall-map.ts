/**
 * The wall's map under live points (issue #5): in headless Chromium at 1920×1080, N points of which 10 % move every
 * second, at N = 10,000 and 100,000. Measured on the real /wall (charts live: the simulator runs) and, in the same
 * run, on a bare MapLibre page doing a full `setData` of the same points at the same rate. Reports frame-time
 * p50/p95, the share of time in long tasks, update → drawn (the points source loaded the change and the next frame rendered)
 * and update → the map's `idle` (when it got there before the next update). Targets: at 10k, wall frame p95 ≤ 1.2× the bare
 * page's; at 100k, wall frame p95 < 100 ms.
 */
import type { Browser, Page } from 'playwright-core'
import { buildTestClient, TEST_CLIENT_DIR } from '../test/support/build-client.js'
import { launchChromium } from '../test/support/chromium.js'
import { logInBrowser } from './lib/bench-auth.js'
import { serveBareMapPage } from './lib/bare-map-page.js'
import { driveMap, type DriverResult } from './lib/map-driver.js'
import { startServerProcess } from './lib/server-process.js'
import { fmt, percentile, report } from './lib/stats.js'

const SECONDS = Number(process.env.MAP_BENCH_SECONDS ?? 15)
// the dense centre of Chengdu, where the wall's camera points
const BBOX: [number, number, number, number] = [103.85, 30.5, 104.3, 30.85]

interface Row { name: string, frameP50: number, frameP95: number, longShare: number, drawnP50: number, drawnP95: number, idleP50: number, idleP95: number, idleShare: number }

function summarise(name: string, r: DriverResult): Row {
  return {
    name, frameP50: percentile(r.frames, 50), frameP95: percentile(r.frames, 95), longShare: r.longTaskMs / r.elapsedMs,
    drawnP50: percentile(r.toDrawn, 50), drawnP95: percentile(r.toDrawn, 95),
    // NaN when the map never went idle between updates
    idleP50: r.toIdle.length > 0 ? percentile(r.toIdle, 50) : Number.NaN, idleP95: r.toIdle.length > 0 ? percentile(r.toIdle, 95) : Number.NaN,
    idleShare: r.toIdle.length / (r.toIdle.length + r.idleMissed),
  }
}

async function measure(browser: Browser, url: string, ready: (p: Page) => Promise<void>, n: number, mode: 'bare' | 'wall'): Promise<DriverResult & { motion: string }> {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
  await logInBrowser(page.context(), url)
  // tsx (esbuild keepNames) wraps functions in __name(); the serialised driver needs it in the page too
  await page.addInitScript({ content: 'window.__name = (f) => f' })
  try {
    await page.goto(url)
    await ready(page)
    const result = await page.evaluate(driveMap, { n, seconds: SECONDS, mode, bbox: BBOX })
    // the wall picks its motion from the renderer (client/motion.ts): say which one was measured
    const motion = await page.evaluate(() => document.documentElement.classList.contains('motion-calm') ? 'calm' : 'full')
    return { ...result, motion }
  } finally {
    await page.close()
  }
}

export async function benchWallMap(): Promise<void> {
  console.log(`\n== wall map: live points, ${SECONDS} s per case, 10 % of points move each second ==`)
  buildTestClient()
  const server = await startServerProcess({ SIMULATOR: 'on', SIM_SPEED: '60', STATIC_DIR: TEST_CLIENT_DIR })
  const districts = await (await fetch(`${server.url}/api/v1/geo/district`)).json()
  const bare = await serveBareMapPage(districts, BBOX)
  const browser = await launchChromium()
  const rows: Row[] = []
  try {
    const wallReady = (p: Page) => p.waitForFunction(() => Boolean(window.__citybrain?.map?.getLayer('incidents') && window.__citybrain.pushPoints), undefined, { timeout: 60_000 }).then(() => undefined)
    const bareReady = (p: Page) => p.waitForFunction(() => Boolean((window as unknown as { __bareMap?: unknown }).__bareMap), undefined, { timeout: 60_000 }).then(() => undefined)
    for (const n of [10_000, 100_000]) {
      rows.push(summarise(`bare setData ${fmt(n)}`, await measure(browser, bare.url, bareReady, n, 'bare')))
      const auto = await measure(browser, `${server.url}/wall?rotate=0`, wallReady, n, 'wall')
      rows.push(summarise(`wall ${fmt(n)} (${auto.motion})`, auto))
    }
    // for the record: the wall with full motion forced (pulsing rings, animated charts) on this renderer
    for (const n of [10_000, 100_000]) {
      rows.push(summarise(`wall ${fmt(n)} (full, forced)`, await measure(browser, `${server.url}/wall?rotate=0&motion=full`, wallReady, n, 'wall')))
    }
  } finally {
    await browser.close()
    await bare.close()
    await server.stop()
  }
  console.log('case                          frame p50  frame p95  long tasks  update→drawn p50    p95  update→idle p50    p95  (idle reached)')
  const ms = (v: number, width: number) => (Number.isNaN(v) ? '—' : `${fmt(v, 0)} ms`).padStart(width)
  for (const r of rows) {
    console.log(`${r.name.padEnd(29)} ${fmt(r.frameP50, 1).padStart(8)} ms ${fmt(r.frameP95, 1).padStart(7)} ms ${fmt(r.longShare * 100, 1).padStart(8)} % ${ms(r.drawnP50, 16)} ${ms(r.drawnP95, 9)} ${ms(r.idleP50, 15)} ${ms(r.idleP95, 9)}  ${fmt(r.idleShare * 100, 0)} %`)
  }
  const [bare10, wall10, , wall100] = rows
  const ratio10 = wall10!.frameP95 / bare10!.frameP95
  report('wall map 10k frame p95', `${fmt(wall10!.frameP95, 1)} ms`, `bare ${fmt(bare10!.frameP95, 1)} ms`, ratio10, '≤ 1.2× bare', ratio10 <= 1.2)
  report('wall map 100k frame p95', `${fmt(wall100!.frameP95, 1)} ms`, 'limit 100 ms', wall100!.frameP95 / 100, '< 100 ms', wall100!.frameP95 < 100)
}
