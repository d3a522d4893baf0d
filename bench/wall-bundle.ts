/**
 * The JavaScript /wall loads, minified and gzipped, as the browser fetches it. Target ≤ 650 KB gzipped
 * (echarts/core with only the charts used ≈ 208 KB + maplibre-gl ≈ 282 KB leave room for the app).
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { launchChromium } from '../test/support/chromium.js'
import { startServerProcess } from './lib/server-process.js'
import { fmt, report } from './lib/stats.js'

const LIMIT_KB = 650

export async function benchWallBundle(): Promise<void> {
  console.log('\n## JS loaded by /wall (minified, gzip -6)')
  if (!existsSync('dist/client/index.html')) execFileSync('npx', ['vite', 'build'], { stdio: 'inherit' })
  const server = await startServerProcess()
  const browser = await launchChromium()
  try {
    const page = await browser.newPage()
    const scripts = new Map<string, number>()
    page.on('response', (res) => {
      const url = res.url()
      if (!/\.m?js(\?|$)/.test(url)) return
      void res.body().then(body => scripts.set(url, gzipSync(body, { level: 6 }).length), () => undefined)
    })
    await page.goto(`${server.url}/wall`, { waitUntil: 'networkidle' })
    await page.waitForTimeout(1000)
    const total = [...scripts.values()].reduce((a, b) => a + b, 0) / 1024
    for (const [url, bytes] of [...scripts].sort((a, b) => b[1] - a[1])) console.log(`  ${fmt(bytes / 1024, 1).padStart(8)} KB  ${new URL(url).pathname}`)
    report('wall JS gzipped', `${fmt(total, 1)} KB`, `limit ${LIMIT_KB} KB`, total / LIMIT_KB, '≤ 1.00', total <= LIMIT_KB)
  } finally {
    await browser.close()
    await server.stop()
  }
}
