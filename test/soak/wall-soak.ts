/**
 * `npm run soak`: the wall against the simulator at high speed for several simulated days, in headless Chromium.
 * Samples, after a forced GC: JS heap, DOM nodes, WebGL contexts ever created; prints them and the verdict
 * (issue #5, tightened by issue #12): heap growth < 0.5 MB per simulated day after the first simulated hour (a wall
 * left for three months then carries < 45 MB more), DOM nodes within ±5 %, exactly one WebGL context throughout.
 * Not part of `npm test`: it runs for minutes by design.
 *
 * SOAK_DAYS (3), SOAK_SPEED (simulated seconds per real second, 720 = a day in 2 min), SOAK_RATE (report-rate
 * multiplier, 7 ≈ 100k reports a simulated day), SOAK_SAMPLE_S (10), SOAK_STATIC_DIR (a client already built, e.g. from
 * another commit for a before/after comparison: served instead of building this tree's).
 */
import { buildTestClient, TEST_CLIENT_DIR } from '../support/build-client.js'
import { launchChromium } from '../support/chromium.js'
import { logInBrowser, sessionCookie } from '../../bench/lib/bench-auth.js'
import { startServerProcess } from '../../bench/lib/server-process.js'
import { spreadFromMedian, slope } from './trend.js'

const DAYS = Number(process.env.SOAK_DAYS ?? 3)
const SPEED = Number(process.env.SOAK_SPEED ?? 720)
const RATE = Number(process.env.SOAK_RATE ?? 7)
const SAMPLE_MS = Number(process.env.SOAK_SAMPLE_S ?? 10) * 1000
const SIM_DAY_MS = 86_400_000 / SPEED
const MB = 1 << 20
/** The verdict's bound on heap growth (issue #12: a wall runs for weeks). */
const MAX_MB_PER_DAY = 0.5

interface Sample { simHours: number, heapMb: number, nodes: number, counterNodes: number, contexts: number, events: number, scene: string }

const STATIC_DIR = process.env.SOAK_STATIC_DIR
if (!STATIC_DIR) buildTestClient()
const server = await startServerProcess({ SIMULATOR: 'on', SIM_SPEED: String(SPEED), SIM_RATE: String(RATE), STATIC_DIR: STATIC_DIR ?? TEST_CLIENT_DIR })
const browser = await launchChromium()
const samples: Sample[] = []
try {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
  await logInBrowser(page.context(), server.url)
  // count every WebGL context the page ever creates (a leak or a second map would show up here)
  await page.addInitScript(() => {
    const w = window as unknown as { __glContexts: number }
    w.__glContexts = 0
    const original = HTMLCanvasElement.prototype.getContext
    const seen = new WeakSet<object>()
    HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, type: string, ...rest: unknown[]) {
      const ctx = (original as (...a: unknown[]) => unknown).call(this, type, ...rest)
      if (ctx && /webgl/.test(type) && !seen.has(ctx)) {
        seen.add(ctx)
        w.__glContexts += 1
      }
      return ctx
    } as typeof original
  })
  const errors: string[] = []
  page.on('pageerror', e => errors.push(e.message))
  // a loaded machine (other builds, tests) may take long to serve and parse the bundle: the soak measures later
  await page.goto(`${server.url}/wall?rotate=60`, { timeout: 120_000 })
  await page.waitForFunction(() => document.querySelectorAll('canvas.maplibregl-canvas').length === 1, undefined, { timeout: 60_000 })
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('HeapProfiler.enable')
  const started = Date.now()
  const end = started + DAYS * SIM_DAY_MS
  console.log(`soak: ${DAYS} simulated days at ×${SPEED} (rate ×${RATE}), ${((end - started) / 60_000).toFixed(1)} min, sampling every ${SAMPLE_MS / 1000} s`)
  while (Date.now() < end) {
    await new Promise(r => setTimeout(r, SAMPLE_MS))
    await cdp.send('HeapProfiler.collectGarbage')
    const heap = await cdp.send('Runtime.getHeapUsage') as { usedSize: number }
    const dom = await cdp.send('Memory.getDOMCounters') as { nodes: number }
    // nodes in the document (what the wall shows); Blink's counter also holds detached nodes awaiting collection
    const { contexts, nodes, scene } = await page.evaluate(() => ({
      contexts: (window as unknown as { __glContexts: number }).__glContexts,
      nodes: document.getElementsByTagName('*').length,
      scene: document.querySelector('[data-testid="wall-stage"]')?.getAttribute('data-scene') ?? '',
    }))
    // the server needs a session (issue #14): the bench admin's, as the browser has
    const kpis = await fetch(`${server.url}/api/v1/kpis?from=${encodeURIComponent(new Date(started - 86_400_000 * 400).toISOString())}`, { headers: { cookie: sessionCookie(server.url) ?? '' } })
    // the server sheds analytics under load (503): the count is informational, the last one stands
    const events = kpis.ok ? await kpis.json() as { counts: { reported: number } } : { counts: { reported: samples.at(-1)?.events ?? 0 } }
    const s = { simHours: (Date.now() - started) / (SIM_DAY_MS / 24), heapMb: heap.usedSize / MB, nodes, counterNodes: dom.nodes, contexts, events: events.counts.reported, scene }
    samples.push(s)
    console.log(`  sim ${s.simHours.toFixed(1).padStart(5)} h  heap ${s.heapMb.toFixed(1).padStart(6)} MB  DOM ${String(s.nodes).padStart(5)} (Blink ${String(s.counterNodes).padStart(5)})  WebGL contexts ${s.contexts}  reports ${s.events}  ${s.scene}`)
  }
  const settled = samples.filter(s => s.simHours >= 1)
  const perDay = slope(settled.map(s => s.simHours / 24), settled.map(s => s.heapMb))
  // scenes hold different panels (the greenway ones more): first and last are compared within the last sample's scene
  const last = settled.at(-1)!
  const firstSame = settled.find(s => s.scene === last.scene)!
  const growthPerDay = last === firstSame ? 0 : (last.heapMb - firstSame.heapMb) / ((last.simHours - firstSame.simHours) / 24)
  // scenes lay out different panels: DOM size is compared within each scene
  const domSpread = Math.max(...[...new Set(settled.map(s => s.scene))].map(sc => spreadFromMedian(settled.filter(s => s.scene === sc).map(s => s.nodes))))
  const oneContext = samples.every(s => s.contexts === 1)
  const reports = samples.at(-1)!.events
  const checks: [string, boolean][] = [
    [`heap growth ${growthPerDay.toFixed(2)} MB per simulated day (first to last sample of the ${last.scene} scene after the first hour) < ${MAX_MB_PER_DAY}`, growthPerDay < MAX_MB_PER_DAY],
    [`heap trend after the first hour ${perDay.toFixed(2)} MB per simulated day < ${MAX_MB_PER_DAY}`, perDay < MAX_MB_PER_DAY],
    [`DOM nodes within ±${(domSpread * 100).toFixed(1)} % of their median per scene (≤ 5 %)`, domSpread <= 0.05],
    [`exactly one WebGL context throughout (${[...new Set(samples.map(s => s.contexts))].join(', ')})`, oneContext],
    [`${reports} reports stored (≥ 300,000 for the full soak)`, reports >= 300_000 || DAYS < 3],
    [`no page errors (${errors.length})`, errors.length === 0],
  ]
  for (const [text, ok] of checks) console.log(`${ok ? 'PASS' : 'FAIL'}  ${text}`)
  if (errors.length) console.log(errors.slice(0, 5).join('\n'))
  process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1
} finally {
  await browser.close()
  await server.stop()
}
