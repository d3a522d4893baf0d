import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, TestRunner } from 'vitest'
import { TEST_CLIENT_DIR } from '../support/build-client.js'
import { launchChromium } from '../support/chromium.js'
import type { AppConfig } from '../../server/config.js'
import { adminCookie, type Running, startApp } from '../integration/harness.js'

export const SCREENSHOTS = path.resolve('test-results/screenshots')

export interface E2E {
  server: Running
  browser: Browser
  errors: string[]
  /** The test this handle was taken in (`useE2E`'s getter): `openPage` refuses once that test has ended. */
  test?: ReturnType<typeof TestRunner.getCurrentTest>
}

/** The real server serving the built client, and Debian's Chromium. */
export async function startE2E(config: Partial<AppConfig> = {}): Promise<E2E> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const server = await startApp({ staticDir: TEST_CLIENT_DIR, ...config })
  const browser = await launchChromium()
  return { server, browser, errors: [] }
}

/**
 * Registers a suite's server + browser; the getter is valid inside tests. Pages never outlive their test: a test
 * that failed before its own `page.close()` would leave a page that keeps reconnecting (and logging refused
 * WebSockets into the next test's error check) until the server it talks to is gone.
 */
export function useE2E(config: Partial<AppConfig> = {}): () => E2E {
  let e: E2E | undefined
  beforeAll(async () => { e = await startE2E(config) })
  afterEach(async (ctx) => {
    if (!e) return
    await closePages(e.browser)
    // a failed test has reported its own errors; the next test starts without them
    if (ctx.task.result?.state === 'fail') e.errors.length = 0
  })
  afterAll(async () => {
    if (!e) return
    await closePages(e.browser)
    await e.browser.close()
    await e.server.stop()
  })
  // A test that timed out keeps running in the background (Vitest cannot stop it): bound to its test, its handle opens
  // no page after that, where it would render beside the next test's pages and slow them on a loaded machine.
  return () => {
    const shared = e!
    return {
      get server() { return shared.server },
      set server(s: Running) { shared.server = s },
      browser: shared.browser,
      errors: shared.errors,
      test: TestRunner.getCurrentTest(),
    }
  }
}

/** Closes every page the test opened, through `openPage` or its own contexts (each `newPage` has a context). */
export async function closePages(browser: Browser): Promise<void> {
  await Promise.all(browser.contexts().map(c => c.close()))
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
  const refuseIfEnded = () => {
    const state = e.test?.result?.state
    if (state && state !== 'run') throw new Error(`${route}: not opened, its test "${e.test!.name}" has already ended (${state})`)
  }
  refuseIfEnded()
  const page = await e.browser.newPage({ viewport })
  // the test may have ended while the page was made, after its pages were closed
  await Promise.resolve().then(refuseIfEnded).catch(async (err: unknown) => {
    await page.context().close()
    throw err
  })
  await logIn(page.context(), e.server, as.cookie)
  recordErrors(page, e.errors, route)
  await page.goto(`${e.server.url}${route}`)
  return page
}

/** Collects a page's uncaught errors and console errors, prefixed with its route, while the page is open. */
export function recordErrors(page: Page, into: string[], route: string): void {
  const push = (text: string) => { if (!page.isClosed()) into.push(`${route}: ${text}`) }
  page.on('pageerror', err => push(err.message))
  page.on('console', (m) => { if (m.type() === 'error') push(m.text()) })
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
