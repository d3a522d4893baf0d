import { rmSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { HOUR_MS } from '../../shared/analysis.js'
import type { IncidentRepository } from '../../server/store/repository.js'
import { createSqliteRepository } from '../../server/store/sqlite/sqlite-repository.js'
import { api, inputIn, post, startApp } from './harness.js'

const DAY_MS = 24 * HOUR_MS
const NOW = Date.parse('2026-11-29T12:00:00+08:00')
const DAYS = 60

describe('drill-down while its history is still loading (a start without the cube snapshot)', () => {
  it('answers a long range 503 with Retry-After and the progress, a short one at once, and the long one once loaded', async () => {
    // one report a day for 60 days, stored through the live path
    const first = await startApp({}, { now: () => NOW })
    const events = Array.from({ length: DAYS }, (_, k) => inputIn(first.app, '510104', { reportedAt: new Date(NOW - (k + 1) * DAY_MS).toISOString() }))
    expect((await post(first.url, { events })).status).toBe(200)
    const dir = first.dataDir
    await first.stop({ keepData: true })

    // the same database, its rollup rows held back until the test lets them through (a slow, cold read)
    const store = createSqliteRepository({ dataDir: dir })
    let release!: () => void
    const gate = new Promise<void>((resolve) => { release = resolve })
    const held = new Set<number>()
    const repo = new Proxy(store, {
      get(target, key, receiver) {
        if (key !== 'eachRollupRow') return Reflect.get(target, key, receiver) as unknown
        const each: IncidentRepository['eachRollupRow'] = async (fromHour, toHour, visit) => {
          held.add(fromHour)
          await gate
          return target.eachRollupRow(fromHour, toHour, visit)
        }
        return each
      },
    })
    // a repository passed in: no snapshot file is used, so the cube reads the store
    const run = await startApp({}, { now: () => NOW, repo }, dir)
    try {
      const year = `from=${new Date(NOW - 365 * DAY_MS).toISOString()}&to=${new Date(NOW).toISOString()}&parts=categories`
      const res = await api(run, `/api/v1/analysis/summary?${year}`)
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toBe('2')
      const body = await res.json() as { error: string, warming: { loadedDays: number, totalDays: number } }
      expect(body.warming.totalDays).toBeGreaterThanOrEqual(DAYS)
      expect(body.warming.loadedDays).toBeLessThan(body.warming.totalDays)
      expect(body.error).toMatch(/still loading/)
      expect(held.size).toBeGreaterThan(0) // the background reading had started, newest day first

      release()
      const day = `from=${new Date(NOW - 2 * DAY_MS).toISOString()}&to=${new Date(NOW).toISOString()}&parts=categories`
      const short = await api(run, `/api/v1/analysis/summary?${day}`)
      expect(short.status).toBe(200)
      expect((await short.json() as { total: number }).total).toBe(2)

      // the background reading finishes by itself; the client asks again after Retry-After
      let full = await api(run, `/api/v1/analysis/summary?${year}`)
      for (let tries = 0; full.status === 503 && tries < 100; tries++) {
        await new Promise(resolve => setTimeout(resolve, 100))
        full = await api(run, `/api/v1/analysis/summary?${year}`)
      }
      expect(full.status).toBe(200)
      expect((await full.json() as { total: number }).total).toBe(DAYS)
    } finally {
      await run.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
