import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { inputIn, post } from '../integration/harness.js'
import { postRequest } from '../integration/open311-client.js'
import { openPage, SCREENSHOTS, useE2E } from './browser-harness.js'

// the simulator feeds it for real (at 30× the city's report rate, so a minute's window fills in seconds)
const env = useE2E({ simulator: { enabled: true, seed: 15, speed: 1, rate: 30 }, open311: { apiKeys: [{ key: 'platform-12345-key', source: 'hotline_12345' }] } })

describe('the sources page in Chromium', () => {
  it('lists every source with its counters, filters by kind, and switches to English', async () => {
    const e = env()
    const app = e.server.app
    const devices = app.sources.devices
    devices.onRegistered({ deviceId: 'wl-0042', kind: 'water-level', scope: 'district:510104', expectedIntervalSec: 300 })
    devices.onRegistered({ deviceId: 'mh-0007', kind: 'manhole', scope: 'district:510105', expectedIntervalSec: 600 })
    devices.onRegistered({ deviceId: 'cam-0311', kind: 'camera', scope: 'district:510106', expectedIntervalSec: 60 })
    devices.onAccepted('wl-0042', 12)
    for (let k = 0; k < 2; k++) devices.onRejected('wl-0042', 'bad-payload', 'level: 99 is outside 0–20 m')
    devices.onAccepted('mh-0007', 3)
    devices.onStatus('mh-0007', false) // its last will
    devices.onRejected('ghost-1', 'unknown-device')
    await post(e.server.url, { events: [inputIn(app, '510104', { source: 'grid_worker' }), { ...inputIn(app, '510104'), lat: 200 }] })
    await postRequest(e.server.url, 'json', { api_key: 'platform-12345-key', service_code: '0101', lat: '95', long: '104' })

    const page = await openPage(e, '/ops/sources', { width: 1920, height: 1080 })
    const rows = page.locator('[data-testid="source-row"]')
    await page.locator('[data-testid="source-row"][data-source="simulator"]').filter({ hasText: '在线' }).waitFor({ timeout: 15_000 })
    // the simulator has sent something by the time the page refreshes (every 5 s)
    await page.waitForFunction(() => {
      const cell = document.querySelector('[data-source="simulator"] td.num')
      return cell !== null && Number(cell.textContent?.replace(/\D/g, '')) > 0
    }, undefined, { timeout: 20_000 })
    expect(await rows.count()).toBeGreaterThanOrEqual(7)
    const mh = page.locator('[data-source="device:mh-0007"]')
    expect(await mh.locator('.badge').textContent()).toBe('离线')
    expect(await page.locator('[data-source="device:wl-0042"] .badge').textContent()).toBe('在线')
    expect(await page.locator('[data-source="device:cam-0311"] .badge').textContent()).toBe('未上线')
    expect(await page.locator('[data-source="device:wl-0042"]').textContent()).toContain('字段 level')
    expect(await page.locator('[data-source="device:ghost-1"]').textContent()).toContain('未注册设备')
    expect(await page.locator('[data-source="device:ghost-1"] .badge').textContent()).toBe('—')
    expect(await page.locator('[data-source="open311:1"]').textContent()).toContain('字段 lat')
    expect(await page.locator('[data-source="http:hand"]').textContent()).toContain('中心人工录入') // posted with a session: a call taken at the centre
    // offline first
    expect(await rows.first().getAttribute('data-source')).toBe('device:mh-0007')
    await page.screenshot({ path: path.join(SCREENSHOTS, 'ops-sources-zh.png') })

    await page.click('[data-testid="sources-kind-device"]')
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="source-row"]')].every(r => r.getAttribute('data-source')!.startsWith('device:')))
    expect(await rows.count()).toBe(4) // three registered and the unknown id that tried
    await page.click('[data-testid="sources-kind-api_key"]')
    await page.locator('[data-testid="sources-empty"]').waitFor()

    await page.click('[data-testid="sources-kind-all"]')
    await page.locator('.topbar__lang').click()
    await page.locator('[data-source="device:mh-0007"] .badge').filter({ hasText: 'Offline' }).waitFor()
    expect(await page.locator('h1').textContent()).toBe('Data sources')
    await page.screenshot({ path: path.join(SCREENSHOTS, 'ops-sources-en.png') })
    await page.close()

    // the manhole sensor's last will raised a 设备离线 alarm: the console shows it, naming the device
    const ops = await openPage(e, '/ops', { width: 1920, height: 1080 })
    // the banner shows the newest alarm and lists the others when opened; the simulator raises its own alarms
    // meanwhile, so the device's may be in the list: the banner loads every open alarm at once, so when the device's
    // is not the newest there are several and the list button is there
    const banner = ops.locator('[data-testid="alarm-banner"]')
    await banner.waitFor({ timeout: 15_000 })
    const more = banner.locator('.alarm__more')
    if (await more.isVisible()) await more.click()
    await banner.locator('.alarm__main, li').filter({ hasText: '设备离线' }).filter({ hasText: 'mh-0007' }).filter({ hasText: '井盖传感器' }).first().waitFor({ timeout: 15_000 })
    await ops.screenshot({ path: path.join(SCREENSHOTS, 'ops-device-offline-alarm.png') })
    // heard again: the alarm closes itself
    devices.onAccepted('mh-0007', 1)
    await ops.locator('[data-testid="alarm-banner"]').filter({ hasText: 'mh-0007' }).waitFor({ state: 'detached', timeout: 10_000 })
    await ops.close()
    expect(e.errors).toEqual([])
  })
})
