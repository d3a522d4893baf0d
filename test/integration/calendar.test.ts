import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app.js'
import { CalendarFileError } from '../../server/calendar/index.js'
import { testConfig } from '../../server/config.js'
import { api, asUser, inputIn, post, type Running, startApp } from './harness.js'

// a clock on the last afternoon of 2026: 2026 is covered by chinese-days, 2027 only by the statute
let clock = Date.parse('2026-12-31T16:00:00+08:00')
let s: Running
// two reloads back to back: the admin-operation spacing (issue #14) is tested in test/integration/hardening.test.ts
beforeAll(async () => { s = await startApp({ security: { ...testConfig().security, adminOpsPerMinute: 60_000 } }, { now: () => clock }) })
afterAll(async () => { await s.stop() })

// a fresh session per request: the test moves the app's clock (sessions live on it) back and forth by months
const get = async (p: string) => {
  const res = await (await asUser(s, { role: 'admin', scope: 'city' })).api(p)
  return { status: res.status, body: await res.json() as Record<string, unknown> }
}

describe('calendar endpoints', () => {
  it('GET /calendar/:year: official 2026 from chinese-days, statutory 2027 from the law', async () => {
    const y2026 = await get('/api/v1/calendar/2026')
    expect(y2026.status).toBe(200)
    expect(y2026.body).toMatchObject({ year: 2026, source: 'official' })
    expect(y2026.body.holidays).toContain('2026-10-07')
    expect(y2026.body.workdays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'])
    expect((await get('/api/v1/calendar/2027')).body).toEqual({
      year: 2027,
      source: 'statutory',
      holidays: ['2027-01-01', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-04-05', '2027-05-01', '2027-05-02', '2027-06-09', '2027-09-15', '2027-10-01', '2027-10-02', '2027-10-03'],
      workdays: [],
    })
  })

  it('GET /calendar/due: 2026-12-31 16:00 + 4 working hours is Monday 2027-01-04 11:30 (+08:00)', async () => {
    const res = await get(`/api/v1/calendar/due?from=${encodeURIComponent('2026-12-31T16:00:00+08:00')}&workingHours=4`)
    expect(res).toEqual({ status: 200, body: { due: '2027-01-04T03:30:00.000Z' } })
  })

  it('answers 400 naming the field for a bad year, from or workingHours', async () => {
    for (const [p, field] of [
      ['/api/v1/calendar/20x7', 'year'], ['/api/v1/calendar/1999', 'year'], ['/api/v1/calendar/2101', 'year'],
      ['/api/v1/calendar/due?workingHours=4', 'from'], ['/api/v1/calendar/due?from=yesterday&workingHours=4', 'from'],
      ['/api/v1/calendar/due?from=2026-12-31T16:00:00&workingHours=4', 'from'], // no offset: whose 16:00?
      ['/api/v1/calendar/due?from=1900-01-01T00:00:00Z&workingHours=4', 'from'],
      ['/api/v1/calendar/due?from=2026-12-31T16:00:00Z', 'workingHours'], ['/api/v1/calendar/due?from=2026-12-31T16:00:00Z&workingHours=0', 'workingHours'],
      ['/api/v1/calendar/due?from=2026-12-31T16:00:00Z&workingHours=-3', 'workingHours'], ['/api/v1/calendar/due?from=2026-12-31T16:00:00Z&workingHours=1e9', 'workingHours'],
      ['/api/v1/calendar/due?from=2026-12-31T16:00:00Z&workingHours=2001', 'workingHours'],
    ] as const) {
      const res = await get(p)
      expect(res.status, p).toBe(400)
      expect((res.body.details as { path: string }[]).map(d => d.path), p).toContain(field)
    }
  })

  it('a case dispatched on 2026-12-31 at 16:00 with a 4-working-hour limit is due 2027-01-04 11:30, not on New Year\'s Day', async () => {
    const input = inputIn(s.app, '510104', { category: '0102' })
    await post(s.url, { events: [input] })
    for (const [action, version] of [['file', 1], ['dispatch', 2]] as const) {
      const res = await api(s, `/api/v1/incidents/${input.id}/actions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ actor: 'op-1', action, version }) })
      expect(res.status).toBe(200)
    }
    expect((await get(`/api/v1/incidents/${input.id}`)).body).toMatchObject({ status: 'dispatched', deadline: '2027-01-04T03:30:00.000Z' })
  })

  it('health warns while the current or next year is statutory-only; a dropped-in file and a reload clear it', async () => {
    expect((await get('/api/v1/health')).body).toMatchObject({ status: 'ok', calendar: { warnings: [expect.objectContaining({ code: 'statutory-only', year: 2027 })] } })
    clock = Date.parse('2026-06-01T12:00:00+08:00') // mid-2026: 2026 is official, 2027 (next year) is not
    expect((await get('/api/v1/health')).body.calendar).toEqual({ warnings: [expect.objectContaining({ year: 2027 })] })
    clock = Date.parse('2027-01-02T12:00:00+08:00')
    expect((await get('/api/v1/health')).body.calendar).toEqual({ warnings: [expect.objectContaining({ year: 2027 }), expect.objectContaining({ year: 2028 })] })

    const dir = path.join(s.dataDir, 'calendar')
    mkdirSync(dir, { recursive: true })
    writeFileSync(path.join(dir, '2027.json'), JSON.stringify({ year: 2027, holidays: ['2027-02-05', '2027-02-06'], workdays: ['2027-01-02', '2027-02-20'] }))
    writeFileSync(path.join(dir, '2028.json'), JSON.stringify({ year: 2028, holidays: ['2028-01-01'], workdays: ['2028-01-03'] }))
    const bad = await (await asUser(s, { role: 'admin', scope: 'city' })).api('/api/v1/calendar/reload', { method: 'POST', headers: { 'x-requested-with': 'test' } })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toEqual({ error: 'invalid calendar file', details: [{ path: `${path.join(dir, '2028.json')}:workdays.0`, message: expect.stringMatching(/2028-01-03 is a weekday/) }] })
    expect((await get('/api/v1/calendar/2027')).body.source).toBe('statutory') // the calendar in use stays

    writeFileSync(path.join(dir, '2028.json'), JSON.stringify({ year: 2028, holidays: ['2028-01-01'], workdays: [] }))
    const ok = await (await asUser(s, { role: 'admin', scope: 'city' })).api('/api/v1/calendar/reload', { method: 'POST', headers: { 'x-requested-with': 'test' } })
    expect(await ok.json()).toEqual({ files: [2027, 2028], warnings: [] })
    expect((await get('/api/v1/health')).body).toMatchObject({ status: 'ok', calendar: { warnings: [] } })
    expect((await get('/api/v1/calendar/2027')).body).toEqual({ year: 2027, source: 'official', holidays: ['2027-02-05', '2027-02-06'], workdays: ['2027-01-02', '2027-02-20'] })
    // Saturday 2027-01-02 is now a make-up working day
    expect((await get(`/api/v1/calendar/due?from=${encodeURIComponent('2027-01-01T17:00:00+08:00')}&workingHours=1`)).body).toEqual({ due: '2027-01-02T01:30:00.000Z' })
  })

  it('refuses to start on an invalid schedule file, naming the file and the field', async () => {
    const dir = path.join(s.dataDir, 'bad-calendar')
    mkdirSync(dir, { recursive: true })
    writeFileSync(path.join(dir, '2029.json'), JSON.stringify({ year: 2029, holidays: ['2029-02-30'] }))
    await expect(createApp(testConfig({ dataDir: ':memory:', calendar: { officeHours: [[540, 1020]], dir } }))).rejects.toThrow(CalendarFileError)
    await expect(createApp(testConfig({ dataDir: ':memory:', calendar: { officeHours: [[540, 1020]], dir } }))).rejects.toThrow(/2029\.json: holidays\.0: expected a calendar date/)
  })
})
