import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { asUser, inputIn, post } from '../integration/harness.js'
import { openPage, SCREENSHOTS, useE2E, waitForMap } from './browser-harness.js'

/** A district user's console and wall show its district, live, and ask the server for nothing it refuses (issue #14). */
const env = useE2E()

describe('a district user in Chromium', () => {
  it('a district operator\'s console and a district leader\'s wall load their district without a refusal', async () => {
    const e = env()
    await post(e.server.url, { events: [inputIn(e.server.app, '510104'), inputIn(e.server.app, '510106')] })
    const refused: string[] = []
    for (const [role, route, shot] of [['operator', '/ops', 'access-district-ops.png'], ['leader', '/wall?rotate=0', 'access-district-wall.png']] as const) {
      const u = await asUser(e.server, { role, scope: 'district:510104' })
      const page = await openPage(e, route, { width: 1920, height: 1080 }, { cookie: u.cookie })
      page.on('response', (r) => { if (r.status() === 401 || r.status() === 403) refused.push(`${role} ${r.status()} ${r.url()}`) })
      await waitForMap(page)
      await page.waitForSelector('[data-testid="connection"].is-connected', { timeout: 20_000 })
      await page.screenshot({ path: path.join(SCREENSHOTS, shot) })
      await page.close()
    }
    expect(refused).toEqual([])
    expect(e.errors).toEqual([])
  })
})
