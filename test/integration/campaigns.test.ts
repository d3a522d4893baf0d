import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { localDate } from '../../shared/campaigns/progress.js'
import type { CampaignProgress } from '../../shared/campaigns/types.js'
import type { ApiError } from '../../shared/schemas/errors.js'
import { centralDistrict, DEMO_CAMPAIGN_ID, ensureDemoCampaign } from '../../server/campaigns/demo.js'
import { api, inputIn, post, type Running, startApp } from './harness.js'

const DAY = 86_400_000
let s: Running
// campaigns recounted on every change of the store (the default waits up to 30 s between counts)
beforeAll(async () => { s = await startApp({}, { campaignRecountMs: 0 }) })
afterAll(async () => { await s.stop() })

const get = async <T>(path: string) => {
  const res = await api(s, `${path}`)
  return { status: res.status, body: await res.json() as T }
}
async function create(body: unknown) {
  const res = await api(s, `/api/v1/campaigns`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) })
  return { status: res.status, body: await res.json() as CampaignProgress & ApiError }
}
async function act(id: string, version: number, action: string, extra: Record<string, unknown> = {}) {
  const res = await api(s, `/api/v1/incidents/${id}/actions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ actor: 'op-1', action, version, ...extra }) })
  expect(res.status, `${action} ${id}`).toBe(200)
}
/** 立案 → 派遣 → 处置 → 核查 → 结案, then the citizen's feedback if given. */
async function resolve(id: string, satisfied?: boolean) {
  let v = 1
  for (const a of ['file', 'dispatch', 'handle', 'verify-pass', 'close']) await act(id, v++, a)
  if (satisfied !== undefined) await act(id, v, 'feedback', { satisfied })
}

const offset = 480
const today = () => localDate(Date.now(), offset)
const dayBefore = (n: number) => localDate(Date.now() - n * DAY, offset)
const valid = () => ({ name: '夜间烧烤整治', categories: ['0510', '0504'], scope: 'district:510104', startDate: dayBefore(2), endDate: localDate(Date.now() + 27 * DAY, offset), targetRate: 0.9 })

describe('POST /api/v1/campaigns: every validation error is a 400 naming the field, and nothing is stored', () => {
  const cases: [string, (b: Record<string, unknown>) => unknown, string][] = [
    ['name missing', ({ name: _n, ...b }) => b, 'name'],
    ['name blank', b => ({ ...b, name: '  ' }), 'name'],
    ['unknown category', b => ({ ...b, categories: ['0510', '9999'] }), 'categories.1'],
    ['no category', b => ({ ...b, categories: [] }), 'categories'],
    ['category twice', b => ({ ...b, categories: ['0510', '0510'] }), 'categories'],
    ['scope malformed', b => ({ ...b, scope: 'province:51' }), 'scope'],
    ['scope not in this city', b => ({ ...b, scope: 'district:510199' }), 'scope'],
    ['street not in this city', b => ({ ...b, scope: 'street:510104999' }), 'scope'],
    ['start not a date', b => ({ ...b, startDate: '2026-13-01' }), 'startDate'],
    ['end before start', b => ({ ...b, endDate: dayBefore(3) }), 'endDate'],
    ['end equal to start', b => ({ ...b, endDate: dayBefore(2) }), 'endDate'],
    ['longer than a year', b => ({ ...b, endDate: localDate(Date.now() + 400 * DAY, offset) }), 'endDate'],
    ['target 0', b => ({ ...b, targetRate: 0 }), 'targetRate'],
    ['target above 1', b => ({ ...b, targetRate: 98.5 }), 'targetRate'],
    ['target a string', b => ({ ...b, targetRate: '0.9' }), 'targetRate'],
    ['unknown field', b => ({ ...b, owner: 'x' }), '(root)'],
  ]
  it.each(cases)('%s', async (_label, edit, field) => {
    const res = await create(edit(valid()))
    expect(res.status).toBe(400)
    expect(res.body.details?.map(d => d.path)).toEqual([field])
  })
  it('malformed JSON', async () => {
    const res = await create('{"name": ')
    expect(res.status).toBe(400)
    expect(res.body.details?.[0]?.path).toBe('(body)')
  })
  it('stored none of them', async () => {
    const { body } = await get<{ campaigns: CampaignProgress[] }>('/api/v1/campaigns')
    expect(body.campaigns.filter(c => c.campaign.kind === 'live')).toEqual([])
  })
})

describe('a live campaign: progress counted from the stored incidents', () => {
  let id = ''
  it('is created and listed, and counts only its categories, area and period', async () => {
    const res = await create(valid())
    expect(res.status).toBe(201)
    id = res.body.campaign.id
    expect(res.body).toMatchObject({ status: 'active', basis: 'store', totals: { found: 0, resolved: 0, resolutionRate: null }, days: { total: 30, elapsed: 3, left: 27 } })

    const now = Date.now()
    const at = (msAgo: number) => new Date(now - msAgo).toISOString()
    // counted: five 露天烧烤 today-ish (one of them then rejected) and two 店外经营 a day ago, all in 锦江区
    const bbq = [0, 1, 2, 3, 4, 5].map(n => inputIn(s.app, '510104', { category: '0510', source: 'hotline_12345', reportedAt: at(60_000 * (n + 1)), id: `cmp-bbq-${n}` }))
    const shop = [0, 1].map(n => inputIn(s.app, '510104', { category: '0504', reportedAt: at(DAY + 60_000 * n), id: `cmp-shop-${n}` }))
    // not counted: another category, another district, before the start
    const other = inputIn(s.app, '510104', { category: '0102', source: 'hotline_12345', reportedAt: at(60_000), id: 'cmp-other-cat' })
    const elsewhere = [0, 1].map(n => inputIn(s.app, '510105', { category: '0510', source: 'hotline_12345', reportedAt: at(60_000), id: `cmp-away-${n}` }))
    const early = inputIn(s.app, '510104', { category: '0510', reportedAt: new Date(Date.parse(`${dayBefore(3)}T12:00:00+08:00`)).toISOString(), id: 'cmp-early' })
    expect((await post(s.url, { events: [...bbq, ...shop, other, ...elsewhere, early] })).status).toBe(200)

    await act('cmp-bbq-5', 1, 'reject', { reason: '非露天烧烤' })
    await resolve('cmp-bbq-0', true)
    await resolve('cmp-bbq-1', true)
    await resolve('cmp-bbq-2', false)
    await resolve('cmp-shop-0')
    await resolve('cmp-away-0', true) // outside the area: changes nothing
    await resolve('cmp-other-cat', true) // other category: changes nothing

    const { status, body: p } = await get<CampaignProgress>(`/api/v1/campaigns/${id}`)
    expect(status).toBe(200)
    // found 5 + 2 = 7 (the rejected one is not a problem found), resolved 4, satisfied 2 of 3
    expect(p.totals).toEqual({ found: 7, resolved: 4, resolutionRate: 4 / 7, satisfactionRate: 2 / 3 })
    expect(p.vsTarget).toBeCloseTo(4 / 7 - 0.9, 10)
    expect(p.breakdown?.level).toBe('street')
    const rows = p.breakdown!.rows
    expect(rows.reduce((n, r) => n + r.found, 0)).toBe(7)
    expect(rows.reduce((n, r) => n + r.resolved, 0)).toBe(4)
    for (const r of rows) {
      expect(s.app.geo.units.get(r.code)).toMatchObject({ level: 'street', parent: '510104', name: r.name })
      expect(r.resolutionRate).toBe(r.resolved / r.found)
    }
    expect(p.daily.map(d => d.date)).toEqual([dayBefore(2), dayBefore(1), today()])
    const foundByDay = new Map<string, number>()
    for (const i of [...bbq.slice(0, 5), ...shop]) {
      const day = localDate(Date.parse(i.reportedAt), offset)
      foundByDay.set(day, (foundByDay.get(day) ?? 0) + 1)
    }
    for (const d of p.daily) expect(d.found, d.date).toBe(foundByDay.get(d.date) ?? 0)
    expect(p.daily.at(-1)).toMatchObject({ resolved: 4, resolutionRate: 4 / 7 })

    const list = await get<{ campaigns: CampaignProgress[] }>('/api/v1/campaigns')
    const row = list.body.campaigns.find(c => c.campaign.id === id)
    expect(row).toMatchObject({ totals: { found: 7, resolved: 4 } })
    expect(row).not.toHaveProperty('daily')
  })

  it('filters the list by scope: a campaign shows on its district\'s and its streets\' walls, not on another district\'s', async () => {
    const street = [...s.app.geo.units.values()].find(u => u.parent === '510104' && u.level === 'street')!.code
    const ids = async (scope: string) => (await get<{ campaigns: CampaignProgress[] }>(`/api/v1/campaigns?scope=${scope}`)).body.campaigns.map(c => c.campaign.id)
    expect(await ids('district:510104')).toContain(id)
    expect(await ids(`street:${street}`)).toContain(id)
    expect(await ids('district:510105')).not.toContain(id)
    expect(await ids('city')).toContain(id)
    expect((await get<ApiError>('/api/v1/campaigns?scope=district:510199')).status).toBe(400)
  })

  it('is readable through a display link for its own scope only', async () => {
    const link = await (await api(s, `/api/v1/display-links`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scope: 'district:510104', label: '锦江' }) })).json() as { token: string }
    const read = async (path: string) => (await api(s, `${path}`, { headers: { 'x-display-link': link.token } })).status
    expect(await read('/api/v1/campaigns?scope=district:510104')).toBe(200)
    expect(await read('/api/v1/campaigns?scope=district:510105')).toBe(403)
    expect(await read('/api/v1/campaigns')).toBe(403) // no scope = the whole city
    expect((await api(s, `/api/v1/campaigns`, { method: 'POST', headers: { 'x-display-link': link.token, 'content-type': 'application/json' }, body: JSON.stringify(valid()) })).status).toBe(403)
  })

  it('survives a restart (stored, migration 11)', async () => {
    s = await s.restart()
    const { status, body } = await get<CampaignProgress>(`/api/v1/campaigns/${id}`)
    expect(status).toBe(200)
    expect(body.totals).toMatchObject({ found: 7, resolved: 4 })
  })
})

describe('the recorded 2019 campaign and the demo drive', () => {
  it('serves the published figures of the 100-day safe-community campaign, with its source', async () => {
    const { status, body } = await get<CampaignProgress>('/api/v1/campaigns/chengdu-2019-safe-community-100-days')
    expect(status).toBe(200)
    expect(body).toMatchObject({
      basis: 'recorded', status: 'ended', days: { total: 100, left: 0 }, breakdown: null, daily: [],
      totals: { found: 194_675, resolved: 192_300, resolutionRate: 0.9878, satisfactionRate: 0.9165 },
      campaign: { kind: 'recorded', name: '平安社区工程百日攻坚行动', scope: 'city', startDate: '2019-03-23', endDate: '2019-06-30' },
    })
    if (body.campaign.kind !== 'recorded') throw new Error('expected recorded')
    expect(body.campaign.sources[0]).toMatchObject({ publisher: '人民网四川频道', published: '2019-12-29' })
    expect(body.campaign.sources[0]!.quote).toContain('解决率98.78%')
    // the recorded figures agree with each other: resolved / found is the published rate
    expect(192_300 / 194_675).toBeCloseTo(0.9878, 4)
  })
  it('404 for an unknown campaign', async () => {
    expect((await get<ApiError>('/api/v1/campaigns/nope')).status).toBe(404)
  })
  it('creates the demo drive once, in the central district, from today for 30 days', async () => {
    await ensureDemoCampaign(s.app.campaigns, s.app.geo, Date.now())
    await ensureDemoCampaign(s.app.campaigns, s.app.geo, Date.now() + 5 * DAY)
    const { body } = await get<CampaignProgress>(`/api/v1/campaigns/${DEMO_CAMPAIGN_ID}`)
    expect(body.campaign).toMatchObject({ kind: 'live', scope: `district:${centralDistrict(s.app.geo)}`, startDate: today(), targetRate: 0.95 })
    expect(body.days).toEqual({ total: 30, elapsed: 1, left: 29 })
    expect(['510104', '510105', '510106', '510107', '510108']).toContain(centralDistrict(s.app.geo))
  })
})
