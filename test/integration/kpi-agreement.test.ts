import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AnalysisSummary, HOUR_MS } from '../../shared/analysis.js'
import type { KpiIndicator } from '../../shared/kpi/catalogue.js'
import type { LeagueRow } from '../../shared/kpi/league.js'
import { loadCityGeo } from '../../server/geo/city-geo.js'
import { seedHistory } from '../../server/seed/history.js'
import { createSqliteRepository } from '../../server/store/sqlite/sqlite-repository.js'
import { api, inputIn, post, type Running, startApp } from './harness.js'

/**
 * Issue #11: /kpis, the analysis summary and the league carry the same catalogue ids and, for the same scope and
 * period, the same values — over seeded history plus live workflow steps (postponement, rework, feedback).
 */
const END = Date.parse('2026-11-29T00:00:00+08:00')
const START = END - 12 * HOUR_MS
const NOW = END + 3 * HOUR_MS
const geo = loadCityGeo('chengdu')
const dir = mkdtempSync(path.join(tmpdir(), 'citybrain-kpi-'))
let run: Running
let clock = NOW

const iso = (ms: number) => new Date(ms).toISOString()
async function get<T>(p: string): Promise<T> {
  const res = await api(run, `${p}`)
  expect(res.status, `${p}: ${await res.clone().text()}`).toBe(200)
  return await res.json() as T
}
async function act(id: string, action: string, version: number, extra: Record<string, unknown> = {}): Promise<number> {
  const res = await api(run, `/api/v1/incidents/${id}/actions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action, version, actor: 'kpi-test', ...extra }) })
  expect(res.status, await res.clone().text()).toBe(200)
  return (await res.json() as { version: number }).version
}
const kpis = async (scope: string, fromMs: number, toMs: number) =>
  (await get<{ indicators: KpiIndicator[] }>(`/api/v1/kpis?scope=${scope}&from=${iso(fromMs)}&to=${iso(toMs)}`)).indicators

beforeAll(async () => {
  const repo = createSqliteRepository({ dataDir: dir })
  expect((await seedHistory({ geo, repo, seed: 11, fromMs: START, toMs: END, duplicateRule: { radiusM: 100, windowMinutes: 60 }, chunkMs: 6 * HOUR_MS })).kind).toBe('seeded')
  await repo.close()
  run = await startApp({}, { now: () => clock }, dir)
  // live steps in 锦江区: a postponed case, a reworked one, a closed public report with a verdict, a rejected report
  const at = iso(NOW - 2 * HOUR_MS)
  // different categories: no duplicate proposals between them
  const [a, b, c, d] = ['0102', '0103', '0104', '0201'].map(category => inputIn(run.app, '510104', { reportedAt: at, category, source: category === '0104' ? 'hotline_12345' : 'grid_worker' }))
  expect((await post(run.url, { events: [a, b, c, d] })).status).toBe(200)
  let v = await act(a!.id, 'file', 1)
  await act(a!.id, 'postpone', v, { reason: '等待配合', deadline: iso(NOW + 48 * HOUR_MS) })
  v = await act(b!.id, 'file', 1)
  for (const step of ['dispatch', 'handle']) v = await act(b!.id, step, v)
  await act(b!.id, 'verify-fail', v, { reason: '未清理干净' })
  v = await act(c!.id, 'file', 1)
  for (const step of ['dispatch', 'handle', 'verify-pass', 'close']) v = await act(c!.id, step, v)
  await act(c!.id, 'feedback', v, { satisfied: true })
  await act(d!.id, 'reject', 1, { reason: '不属于受理范围' })
  clock = NOW + 30 * 60_000
}, 180_000)

afterAll(async () => {
  await run?.stop({ keepData: true })
  rmSync(dir, { recursive: true, force: true })
})

describe('one KPI catalogue behind every answer', () => {
  const periods: [string, number, number][] = [['history and live', START, NOW + HOUR_MS], ['the last 6 h of history', END - 6 * HOUR_MS, END], ['live only', END, NOW + HOUR_MS]]

  it.each(periods)('/kpis equals the analysis summary for the city, a district and a street (%s)', async (_, fromMs, toMs) => {
    const city = await get<AnalysisSummary>(`/api/v1/analysis/summary?level=city&from=${iso(fromMs)}&to=${iso(toMs)}&parts=children,departments`)
    expect(city.indicators).toEqual(await kpis('city', fromMs, toMs))
    expect(city.indicators.find(k => k.id === 'closureRate')!.denominator).toBeGreaterThan(0)
    // 超期: the summary's overdue figures are the indicator's, for the city and each child
    const overdueOf = (list: KpiIndicator[]) => list.find(k => k.id === 'overdueOpen')!.value
    expect(city.kpis.overdue).toBe(overdueOf(city.indicators))
    for (const child of city.children!) expect(child.overdue, child.name).toBe(overdueOf(child.indicators))
    // every district row of the city's summary equals /kpis of that district
    for (const child of city.children!) expect(child.indicators, child.name).toEqual(await kpis(`district:${child.code}`, fromMs, toMs))
    const district = await get<AnalysisSummary>(`/api/v1/analysis/summary?level=district&code=510104&from=${iso(fromMs)}&to=${iso(toMs)}&parts=children`)
    expect(district.indicators).toEqual(await kpis('district:510104', fromMs, toMs))
    for (const street of district.children!) {
      expect(street.indicators, street.name).toEqual(await kpis(`street:${street.code}`, fromMs, toMs))
      const own = await get<AnalysisSummary>(`/api/v1/analysis/summary?level=street&code=${street.code}&from=${iso(fromMs)}&to=${iso(toMs)}`)
      expect(own.indicators, street.name).toEqual(street.indicators)
    }
  })

  it.each(periods)('the league\'s rows equal /kpis of each street and the summary\'s department rows (%s)', async (_, fromMs, toMs) => {
    const streets = await get<{ rows: LeagueRow[] }>(`/api/v1/league?by=street&scope=district:510104&from=${iso(fromMs)}&to=${iso(toMs)}`)
    expect(streets.rows.length).toBeGreaterThan(0)
    for (const row of streets.rows) expect(row.indicators, row.key).toEqual(await kpis(`street:${row.key}`, fromMs, toMs))
    const departments = await get<{ rows: LeagueRow[] }>(`/api/v1/league?by=department&from=${iso(fromMs)}&to=${iso(toMs)}`)
    const city = await get<AnalysisSummary>(`/api/v1/analysis/summary?level=city&from=${iso(fromMs)}&to=${iso(toMs)}&parts=departments`)
    const byDepartment = new Map(city.departments!.map(d => [d.department, d.indicators]))
    for (const row of departments.rows) {
      // a department with only cases not yet handled nor overdue has no summary row; its league row must then be all-zero
      const expected = byDepartment.get(row.key)
      if (expected) expect(row.indicators, row.key).toEqual(expected)
      else expect(row.indicators.find(k => k.id === 'handlingRate')!.denominator, row.key).toBe(0)
    }
  })

  it('counts the live steps where the bases say (hand-counted)', async () => {
    const from = NOW - 2 * HOUR_MS
    const to = NOW - 2 * HOUR_MS + 1
    const byId = Object.fromEntries((await kpis('district:510104', from, to)).map(k => [k.id, k]))
    // 4 reports: 3 filed + 1 rejected judged; 1 closed; the postponed case is 缓办 (open, new deadline ahead) and in 应结案
    expect(byId.filingRate).toEqual({ id: 'filingRate', value: 0.75, numerator: 3, denominator: 4 })
    expect(byId.closureRate).toEqual({ id: 'closureRate', value: 1, numerator: 1, denominator: 1 })
    expect(byId.postponementRate).toEqual({ id: 'postponementRate', value: 1 / 3, numerator: 1, denominator: 3 })
    // the reworked case is back with the department: submitted once, failed once; the closed one passed
    expect(byId.reworkRate).toEqual({ id: 'reworkRate', value: 0.5, numerator: 1, denominator: 2 })
    expect(byId.satisfactionRate).toEqual({ id: 'satisfactionRate', value: 1, numerator: 1, denominator: 1 })
  })
})
