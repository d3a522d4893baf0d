import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alarm } from '../../shared/alarms.js'
import type { ClockAnnouncement } from '../../shared/clock.js'
import type { IncidentSummary } from '../../shared/incident.js'
import type { LeagueRow } from '../../shared/kpi/league.js'
import { deadlineFlag } from '../../shared/workflow/deadline.js'
import { clockFor } from '../../server/clock.js'
import { api, inputIn, post, type Running, startApp } from './harness.js'

// An injected real clock: the test moves it, no sleeps. The app's clock runs 600× faster (SIM_SPEED=600), so 12 real
// seconds are 2 simulated hours.
const SPEED = 600
let real = Date.parse('2026-11-24T02:00:00Z') // 10:00 in Chengdu, a Tuesday
let s: Running

beforeAll(async () => {
  const clock = await clockFor({ enabled: true, speed: SPEED }, { recent: async () => [], currentSeq: async () => 0, changedSince: async () => [] }, () => real)
  s = await startApp({}, { clock })
})
afterAll(async () => { await s.stop() })

describe('simulated time at SIM_SPEED 600', () => {
  it('announces the clock to clients: its now and its rate', async () => {
    const cfg = await (await api(s, `/api/v1/client-config`)).json() as { clock: ClockAnnouncement }
    expect(cfg.clock).toEqual({ now: s.app.clock.now(), rate: SPEED })
  })

  it('a case dispatched with a 2 h limit is overdue — flag, KPI, league and alarm — after 12 real seconds', async () => {
    const t0 = s.app.clock.now()
    // 道路积水 (0406): 2 natural hours
    const input = inputIn(s.app, '510104', { category: '0406', reportedAt: new Date(t0).toISOString() })
    expect((await post(s.url, { events: [input] })).status).toBe(200)
    const filed = await s.app.cases.act(input.id, { action: 'file', version: 1, actor: 'op' })
    expect(filed.ok).toBe(true)
    const dispatched = await s.app.cases.act(input.id, { action: 'dispatch', version: 2, actor: 'op' })
    if (!dispatched.ok) throw new Error(dispatched.error)
    expect(Date.parse(dispatched.incident.deadline!) - t0).toBe(2 * 3_600_000)
    expect(deadlineFlag(dispatched.incident, s.app.clock.now())).toBe('ok')

    real += 11_000 // 110 simulated minutes: 临期, no alarm yet
    expect(deadlineFlag(dispatched.incident, s.app.clock.now())).toBe('near')
    expect(await s.app.alarms.scanOverdue()).toBe(0)

    real += 1_000 // 12 real seconds: 2 simulated hours
    expect(deadlineFlag(dispatched.incident, s.app.clock.now())).toBe('overdue')
    real += 10 // the alarm's store query counts a deadline strictly past (6 simulated seconds later)
    expect(await s.app.alarms.scanOverdue()).toBe(1)
    const alarms = await (await api(s, `/api/v1/alarms?scope=city`)).json() as Alarm[]
    expect(alarms.find(a => a.incidentId === input.id)).toMatchObject({ kind: 'overdue', raisedAt: new Date(t0 + 2 * 3_600_000 + 6000).toISOString() })
    const league = await (await api(s, `/api/v1/league?scope=city&by=department`)).json() as { rows: LeagueRow[] }
    expect(league.rows.find(r => r.key === dispatched.incident.department)).toMatchObject({ open: 1, overdue: 1, grade: 'red' })
    const { cases: open } = await (await api(s, `/api/v1/cases?scope=city`)).json() as { cases: IncidentSummary[] }
    expect(deadlineFlag(open.find(i => i.id === input.id)!, s.app.clock.now())).toBe('overdue')
  })

  it('writes the simulated departments’ steps a batch per commit, each checked as a single action would be', async () => {
    const a = inputIn(s.app, '510104', { reportedAt: new Date(s.app.clock.now()).toISOString() })
    const b = inputIn(s.app, '510105', { reportedAt: new Date(s.app.clock.now()).toISOString() })
    await post(s.url, { events: [a, b] })
    const outcomes = await s.app.cases.actMany([
      { id: a.id, action: { action: 'file', version: 1, actor: 'sim:centre' } },
      { id: b.id, action: { action: 'file', version: 5, actor: 'sim:centre' } },
      { id: b.id + 'x', action: { action: 'file', version: 1, actor: 'sim:centre' } },
      { id: a.id, action: { action: 'fly', version: 1, actor: 'sim:centre' } },
    ])
    expect(outcomes.map(o => o.ok ? 200 : o.status)).toEqual([200, 409, 404, 400])
    expect((await s.app.cases.history(a.id)).map(e => e.action)).toEqual(['file'])
  })

  it('stamps a step at its planned simulated instant when written late, never in the future', async () => {
    const t = s.app.clock.now()
    const c = inputIn(s.app, '510106', { reportedAt: new Date(t - 3_600_000).toISOString() })
    await post(s.url, { events: [c] })
    const [filed] = await s.app.cases.actMany([{ id: c.id, at: t - 1_800_000, action: { action: 'file', version: 1, actor: 'sim:centre' } }])
    expect(filed).toMatchObject({ ok: true, incident: { filedAt: new Date(t - 1_800_000).toISOString() } })
    const [dispatched] = await s.app.cases.actMany([{ id: c.id, at: t + 86_400_000, action: { action: 'dispatch', version: 2, actor: 'sim:centre' } }])
    if (!dispatched?.ok) throw new Error('dispatch refused')
    expect(Date.parse(dispatched.incident.dispatchedAt!)).toBeLessThanOrEqual(s.app.clock.now())
    expect(Date.parse(dispatched.incident.dispatchedAt!)).toBeGreaterThanOrEqual(t)
  })

  it('keeps sessions on real time: 9 simulated hours (54 real seconds) do not end an 8-hour idle session', async () => {
    expect((await api(s, '/api/v1/auth/me')).status).toBe(200)
    real += 54_000 // 9 h of the city's clock
    expect((await api(s, '/api/v1/auth/me')).status).toBe(200)
  })
})
