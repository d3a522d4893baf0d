import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AnalysisFilters, type AnalysisIncidentPage, type DrillLevel, type AnalysisSummary, HOUR_MS } from '../../shared/analysis.js'
import { CATEGORIES } from '../../shared/categories.js'
import { SOURCES } from '../../shared/enums.js'
import { mulberry32 } from '../../shared/random.js'
import { loadCityGeo } from '../../server/geo/city-geo.js'
import { seedHistory } from '../../server/seed/history.js'
import { createSqliteRepository } from '../../server/store/sqlite/sqlite-repository.js'
import { rawParts, type RawQuery } from '../support/analysis-raw.js'
import { testConfig } from '../../server/config.js'
import { api, inputIn, post, type Running, startApp } from './harness.js'

const END = Date.parse('2026-11-29T00:00:00+08:00')
const START = END - 30 * HOUR_MS
const NOW = END + 2 * HOUR_MS
const geo = loadCityGeo('chengdu')
const dir = mkdtempSync(path.join(tmpdir(), 'citybrain-analysis-'))
let run: Running
let raw: Database.Database
let clock = NOW

async function act(url: string, id: string, action: string, version: number, extra: Record<string, unknown> = {}) {
  const res = await api({ url }, `/api/v1/incidents/${id}/actions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action, version, actor: 'analyst-test', ...extra }) })
  expect(res.status, await res.clone().text()).toBe(200)
  return await res.json() as { version: number }
}

async function summary(q: Record<string, string | undefined>): Promise<AnalysisSummary> {
  const res = await api(run, `/api/v1/analysis/summary?${new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined))}`)
  expect(res.status, await res.clone().text()).toBe(200)
  return await res.json() as AnalysisSummary
}

beforeAll(async () => {
  // ~30 h of simulated history through the bulk path, in 6 h transactions
  const repo = createSqliteRepository({ dataDir: dir })
  const outcome = await seedHistory({ geo, repo, seed: 7, fromMs: START, toMs: END, duplicateRule: { radiusM: 100, windowMinutes: 60 }, chunkMs: 6 * HOUR_MS })
  expect(outcome.kind).toBe('seeded')
  await repo.close()
  // a report a year and a few hours back (for 同比) is older than live ingest's default window (issue #14): widened here
  const base = testConfig().security
  run = await startApp({ security: { ...base, reportedAtWindow: { ...base.reportedAtWindow, backMs: 400 * 86_400_000 } } }, { now: () => clock }, dir)
  // live changes after start-up go through the rollup listener: new reports (one a year back, for 同比) and a workflow
  const fresh = [inputIn(run.app, '510106', { reportedAt: new Date(NOW - HOUR_MS).toISOString(), category: '0301' }),
    inputIn(run.app, '510106', { reportedAt: new Date(END - 3 * HOUR_MS).toISOString(), source: 'citizen_app' }),
    inputIn(run.app, '510104', { reportedAt: new Date(END - 365 * 86_400_000 - 3 * HOUR_MS).toISOString() })]
  expect((await post(run.url, { events: fresh })).status).toBe(200)
  // rollup upkeep is batched: after this fold the steps of fresh[1] move a counted case (through rollup_log); the
  // report after it is rejected before any fold, and counted in its new state when the fold comes
  await run.app.repo.flushRollup()
  let v = (await act(run.url, fresh[1]!.id, 'file', 1)).version
  v = (await act(run.url, fresh[1]!.id, 'dispatch', v)).version
  clock = NOW + 10 * 60_000
  await act(run.url, fresh[1]!.id, 'handle', v)
  await act(run.url, fresh[0]!.id, 'reject', 1, { reason: '不属于受理范围' })
  const late = inputIn(run.app, '510107', { reportedAt: new Date(NOW - 2 * HOUR_MS).toISOString(), category: '0301' })
  expect((await post(run.url, { events: [late] })).status).toBe(200)
  await act(run.url, late.id, 'reject', 1, { reason: '不属于受理范围' })
  // a failed verification clears the handled time (on-time class back to "not handled") and a return clears the
  // department: both move the case's rollup key, and the GROUP BY below must still agree
  const reworked = inputIn(run.app, '510104', { reportedAt: new Date(END - 4 * HOUR_MS).toISOString(), category: '0102' })
  expect((await post(run.url, { events: [reworked] })).status).toBe(200)
  await run.app.repo.flushRollup()
  let w = 1
  for (const [action, extra] of [['file', {}], ['dispatch', {}], ['handle', {}], ['verify-fail', { reason: '未整改到位' }], ['return', { reason: '错派' }]] as const) {
    w = (await act(run.url, reworked.id, action, w, extra)).version
  }
  raw = new Database(path.join(dir, 'citybrain.sqlite'), { readonly: true })
}, 180_000)

afterAll(async () => {
  raw?.close()
  await run?.stop({ keepData: true })
  rmSync(dir, { recursive: true, force: true })
})

function pick<T>(rng: () => number, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)]!
}

function nonZero(o: Record<string, number> | undefined): Record<string, number> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, n]) => n > 0))
}

describe('drill-down rollups', () => {
  it('keep rollup_hour equal to a GROUP BY over the incidents', async () => {
    // upkeep is batched: the store owes the latest changes until its next fold
    await run.app.repo.flushRollup()
    const fromRollup = raw.prepare(`SELECT hour, cell, category, source, status, department, on_time, SUM(n) AS n FROM rollup_hour
      GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING SUM(n) != 0 ORDER BY 1, 2, 3, 4, 5, 6, 7`).raw().all()
    const fromIncidents = raw.prepare(`SELECT reported_ms / 3600000, cell, category, source, status, COALESCE(department, ''),
      CASE WHEN handled_at IS NULL THEN 0 WHEN handled_at <= deadline THEN 1 ELSE 2 END, COUNT(*) FROM incidents GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7`).raw().all()
    expect(fromRollup.length).toBeGreaterThan(1000)
    expect(fromRollup).toEqual(fromIncidents)
  })

  it('answer random drill-downs exactly as raw scans do (property test, 120 cases)', async () => {
    const rng = mulberry32(20261129)
    const located = raw.prepare('SELECT cell, community, street, district FROM incidents ORDER BY seq').all() as { cell: string, community: string, street: string, district: string }[]
    const bigClasses = [...new Set(CATEGORIES.map(c => c.bigClass))]
    for (let k = 0; k < 120; k++) {
      const level = pick(rng, ['city', 'district', 'street', 'community', 'cell'] as const satisfies readonly DrillLevel[])
      const at = pick(rng, located)
      const code = level === 'city' ? geo.info.code : at[level === 'cell' ? 'cell' : level]
      const fromMs = Math.floor((START - 6 * HOUR_MS + rng() * (NOW - START + 6 * HOUR_MS)) / HOUR_MS) * HOUR_MS
      const toMs = fromMs + pick(rng, [1, 3, 7, 24, 30, 49, 80]) * HOUR_MS
      const filters: AnalysisFilters = {}
      const f = rng()
      if (f < 0.25) filters.category = pick(rng, CATEGORIES.slice(0, 12)).code
      else if (f < 0.4) filters.category = pick(rng, bigClasses)
      if (rng() < 0.3) filters.source = pick(rng, SOURCES)
      if (rng() < 0.25) filters.status = pick(rng, ['closed', 'dispatched', 'rejected', 'reported', 'merged'] as const)
      const s = await summary({
        level, code, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), ...filters,
        parts: 'children,trend,categories,sources,statuses,hourOfWeek,departments,cells',
      })
      const q: RawQuery = { level, code, fromMs, toMs, filters, utcOffsetMinutes: 480 }
      const label = JSON.stringify(q)
      expect(s.total, label).toBe(rawParts.total(raw, q))
      expect(nonZero(Object.fromEntries((s.children ?? []).map(c => [c.code, c.count]))), label).toEqual(rawParts.children(raw, q))
      expect(s.categories, label).toEqual(rawParts.categories(raw, q))
      expect(s.sources, label).toEqual(rawParts.sources(raw, q))
      expect(s.statuses, label).toEqual(rawParts.statuses(raw, q))
      expect(s.cells, label).toEqual(rawParts.cells(raw, q))
      expect(s.hourOfWeek, label).toEqual(rawParts.hourOfWeek(raw, q))
      const depts = rawParts.departments(raw, q)
      for (const d of s.departments ?? []) expect({ handled: d.handled, onTime: d.handledOnTime }, `${label} ${d.department}`).toEqual(depts[d.department] ?? { handled: 0, onTime: 0 })
      expect(s.trend!.current.reduce((a, b) => a + b, 0), label).toBe(s.total)
      const before: RawQuery = { ...q, fromMs: fromMs - (toMs - fromMs), toMs: fromMs }
      expect(s.previousTotal, label).toBe(rawParts.total(raw, before))
    }
  })

  it('counts a report of a year ago in 同比 and the previous period in 环比', async () => {
    const from = new Date(END - 24 * HOUR_MS).toISOString()
    const s = await summary({ level: 'district', code: '510104', from, to: new Date(END).toISOString(), parts: 'trend' })
    expect(s.trend!.bucket).toBe('hour')
    expect(s.trend!.current).toHaveLength(24)
    expect(s.lastYearTotal).toBe(1)
    expect(s.trend!.lastYear.reduce((a, b) => a + b, 0)).toBe(1)
  })

  it('pages, sorts and filters the incident table with the rollup total', async () => {
    const street = geo.children('510106')[0]!.code
    const base = `level=street&code=${street}&from=${encodeURIComponent(new Date(START).toISOString())}&to=${encodeURIComponent(new Date(NOW).toISOString())}`
    const page1 = await (await api(run, `/api/v1/analysis/incidents?${base}&pageSize=20`)).json() as AnalysisIncidentPage
    const q: RawQuery = { level: 'street', code: street, fromMs: START, toMs: NOW, filters: {}, utcOffsetMinutes: 480 }
    expect(page1.total).toBe(rawParts.total(raw, q))
    expect(page1.rows).toHaveLength(Math.min(20, page1.total))
    const times = page1.rows.map(r => r.reportedAt)
    expect(times).toEqual([...times].sort().reverse())
    const byCategory = await (await api(run, `/api/v1/analysis/incidents?${base}&sort=category&order=asc&pageSize=500`)).json() as AnalysisIncidentPage
    const cats = byCategory.rows.map(r => r.category)
    expect(cats).toEqual([...cats].sort())
    const filtered = await (await api(run, `/api/v1/analysis/incidents?${base}&source=hotline_12345`)).json() as AnalysisIncidentPage
    expect(filtered.rows.every(r => r.source === 'hotline_12345')).toBe(true)
    expect(filtered.total).toBe(rawParts.total(raw, { ...q, filters: { source: 'hotline_12345' } }))
    expect(Object.keys(page1.rows[0] ?? {})).not.toContain('reporter')
  })

  it('answers 400 naming the field for a bad query', async () => {
    const bad = async (qs: string) => {
      const res = await api(run, `/api/v1/analysis/summary?${qs}`)
      expect(res.status).toBe(400)
      return ((await res.json()) as { details: { path: string }[] }).details.map(d => d.path)
    }
    expect(await bad('level=planet')).toEqual(['level'])
    expect(await bad('level=district&code=999999')).toEqual(['code'])
    expect(await bad('category=9')).toEqual(['category'])
    expect(await bad('status=lost')).toEqual(['status'])
    expect(await bad('from=2026-11-29T10:00:00%2B08:00&to=2026-11-29T09:00:00%2B08:00')).toEqual(['to'])
    expect(await bad('parts=children,nope')).toEqual(['parts'])
    expect(await bad('level=street')).toEqual(['code'])
    const res = await api(run, `/api/v1/analysis/incidents?sort=status&from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z&page=1000`)
    expect(res.status).toBe(400)
  })

  it('serves the children shapes of each level, cells as hexagons', async () => {
    for (const [level, code, n] of [['city', '5101', 20], ['district', '510106', geo.children('510106').length], ['community', located().community, -1]] as const) {
      const res = await api(run, `/api/v1/analysis/shapes?level=${level}&code=${code}`)
      const body = await res.json() as { unit: GeoJSON.Feature | null, children: GeoJSON.FeatureCollection }
      if (n >= 0) expect(body.children.features).toHaveLength(n)
      else expect(body.children.features.every(f => f.geometry.type === 'Polygon' && f.properties?.level === 'cell')).toBe(true)
      if (level !== 'city') expect(body.unit?.properties?.code).toBe(code)
    }
  })

  it('gives the same answers after a restart (cube reloaded from the rollup table)', async () => {
    const q = { level: 'city', from: new Date(START).toISOString(), to: new Date(NOW).toISOString(), parts: 'children,statuses,hourOfWeek' }
    const before = await summary(q)
    run = await run.restart()
    const after = await summary(q)
    expect(after).toEqual(before)
  })
})

function located() {
  return raw.prepare('SELECT community FROM incidents WHERE district = ? LIMIT 1').get('510106') as { community: string }
}
