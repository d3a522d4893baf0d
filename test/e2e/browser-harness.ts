import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { TEST_CLIENT_DIR } from '../support/build-client.js'
import { launchChromium } from '../support/chromium.js'
import type { AppConfig } from '../../server/config.js'
import { adminCookie, type Running, startApp } from '../integration/harness.js'

export const SCREENSHOTS = path.resolve('test-results/screenshots')

export interface E2E { server: Running, browser: Browser, errors: string[] }

/** The real server serving the built client, and Debian's Chromium. */
export async function startE2E(config: Partial<AppConfig> = {}): Promise<E2E> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const server = await startApp({ staticDir: TEST_CLIENT_DIR, ...config })
  const browser = await launchChromium()
  return { server, browser, errors: [] }
}

/** Registers a suite's server + browser; the getter is valid inside tests. */
export function useE2E(config: Partial<AppConfig> = {}): () => E2E {
  let e: E2E | undefined
  beforeAll(async () => { e = await startE2E(config) })
  afterAll(async () => {
    await e?.browser.close()
    await e?.server.stop()
  })
  return () => e!
}

/** Puts a session cookie (default: the test admin's; '' none) into a browser context, as a login would. */
export async function logIn(context: BrowserContext, server: Pick<Running, 'url'>, cookie: string = adminCookie(server)): Promise<void> {
  const eq = cookie.indexOf('=')
  if (eq > 0) await context.addCookies([{ name: cookie.slice(0, eq), value: cookie.slice(eq + 1), url: server.url, httpOnly: true, sameSite: 'Strict' }])
}

/**
 * A new page (own browser context) on `route`, logged in as the test admin; `as.cookie` from `asUser` opens it as
 * another user, `as.cookie: ''` anonymously (the login page, or a display link's wall).
 */
export async function openPage(e: E2E, route: string, viewport = { width: 1600, height: 900 }, as: { cookie?: string } = {}): Promise<Page> {
  const page = await e.browser.newPage({ viewport })
  await logIn(page.context(), e.server, as.cookie)
  page.on('pageerror', err => e.errors.push(`${route}: ${err.message}`))
  page.on('console', (m) => { if (m.type() === 'error') e.errors.push(`${route}: ${m.text()}`) })
  await page.goto(`${e.server.url}${route}`)
  return page
}

/** Waits until the map has loaded our layers and gone idle; fails with a clear message instead of hanging. */
export async function waitForMap(page: Page, timeout = 45_000): Promise<void> {
  await page.waitForFunction(() => {
    const m = window.__citybrain?.map
    return Boolean(m && m.loaded() && m.getLayer('district-fill'))
  }, undefined, { timeout }).catch(async () => {
    const overlay = await page.locator('.city-map__overlay').textContent().catch(() => null)
    throw new Error(`map did not load within ${timeout} ms (overlay: ${overlay ?? 'none'})`)
  })
  await page.evaluate(() => new Promise<void>((resolve) => {
    const m = window.__citybrain!.map!
    void m.once('idle', () => resolve())
    m.triggerRepaint()
    setTimeout(resolve, 5000)
  }))
}

export async function renderedDistricts(page: Page): Promise<number> {
  return page.evaluate(() => {
    const features = window.__citybrain!.map!.queryRenderedFeatures({ layers: ['district-fill'] })
    return new Set(features.map(f => f.properties.code as string)).size
  })
}
