import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { activeCalendar, createWorkingCalendar, installCalendar } from '../../server/calendar/index.js'
import { parseOfficeHours } from '../../server/calendar/office-hours.js'
import { loadCityGeo } from '../../server/geo/city-geo.js'
import { seedHistory } from '../../server/seed/history.js'
import { createSqliteRepository } from '../../server/store/sqlite/sqlite-repository.js'
import { getCategory } from '../../shared/categories.js'

const geo = loadCityGeo('chengdu')
const END = Date.parse('2026-11-25T12:00:00+08:00')
const dirs: string[] = []
const standard = activeCalendar()
afterAll(() => {
  installCalendar(standard)
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

async function seedDeadlines(worker: boolean) {
  const dir = mkdtempSync(path.join(tmpdir(), 'citybrain-calseed-'))
  dirs.push(dir)
  const repo = createSqliteRepository({ dataDir: dir, bulk: true })
  await seedHistory({ geo, repo, seed: 5, fromMs: END - 2 * 3_600_000, toMs: END, duplicateRule: { radiusM: 100, windowMinutes: 60 }, chunkMs: 3_600_000, worker, workers: 1 })
  await repo.close()
  const db = new Database(path.join(dir, 'citybrain.sqlite'), { readonly: true })
  const rows = db.prepare('SELECT id, category, dispatched_at AS dispatchedAt, deadline FROM incidents WHERE deadline IS NOT NULL AND postponed_count = 0 ORDER BY id')
    .all() as { id: string, category: string, dispatchedAt: string, deadline: string }[]
  db.close()
  return rows
}

describe('the seed\'s deadlines follow the configured calendar', () => {
  it('in worker threads as in the main thread (office hours 08:00–20:00)', async () => {
    const long = createWorkingCalendar({ officeHours: parseOfficeHours('08:00-20:00') })
    installCalendar(long)
    const inline = await seedDeadlines(false)
    expect(inline.length).toBeGreaterThan(100)
    expect(await seedDeadlines(true)).toEqual(inline)
    let differs = 0
    for (const r of inline) {
      const limit = getCategory(r.category)!.timeLimit
      expect(r.deadline).toBe(new Date(long.deadlineFor(Date.parse(r.dispatchedAt), limit, 480)).toISOString())
      if (standard.deadlineFor(Date.parse(r.dispatchedAt), limit, 480) !== Date.parse(r.deadline)) differs++
    }
    expect(differs, 'a 12-hour office day moves working-hour deadlines').toBeGreaterThan(0)
  }, 60_000)
})
