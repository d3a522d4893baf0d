import { describe, expect, it } from 'vitest'
import { breakdownLevel, campaignDays, campaignRates, campaignStatus, campaignWindow, liveProgress, recordedProgress } from '../../shared/campaigns/progress.js'
import type { LiveCampaign, RecordedCampaign } from '../../shared/campaigns/types.js'
import { campaignCreateSchema } from '../../shared/schemas/campaign.js'

const OFFSET = 480
const at = (local: string) => Date.parse(`${local}+08:00`)
const live: LiveCampaign = {
  kind: 'live', id: 'c1', name: '测试行动', categories: ['0510'], scope: 'district:510104',
  startDate: '2026-12-01', endDate: '2026-12-10', targetRate: 0.9, createdAt: '2026-11-30T00:00:00.000Z',
}

describe('campaign rates', () => {
  it('maps counts to resolution and satisfaction rates, null when nothing was found or no feedback came', () => {
    expect(campaignRates({ found: 8, resolved: 6, feedbackTotal: 4, feedbackSatisfied: 3 })).toEqual({ resolutionRate: 0.75, satisfactionRate: 0.75 })
    expect(campaignRates({ found: 0, resolved: 0, feedbackTotal: 0, feedbackSatisfied: 0 })).toEqual({ resolutionRate: null, satisfactionRate: null })
  })
})

describe('campaign days and window', () => {
  it('counts local days: today counts as elapsed, the last day is inclusive', () => {
    expect(campaignDays(live, at('2026-11-30T23:59:00'), OFFSET)).toEqual({ total: 10, elapsed: 0, left: 10 })
    expect(campaignDays(live, at('2026-12-01T00:00:00'), OFFSET)).toEqual({ total: 10, elapsed: 1, left: 9 })
    expect(campaignDays(live, at('2026-12-10T23:00:00'), OFFSET)).toEqual({ total: 10, elapsed: 10, left: 0 })
    expect(campaignDays(live, at('2027-02-01T08:00:00'), OFFSET)).toEqual({ total: 10, elapsed: 10, left: 0 })
    // 16:30 UTC on 30 Nov is already 1 Dec in Chengdu
    expect(campaignStatus(live, Date.parse('2026-11-30T16:30:00Z'), OFFSET)).toBe('active')
    expect(campaignStatus(live, at('2026-11-30T12:00:00'), OFFSET)).toBe('upcoming')
    expect(campaignStatus(live, at('2026-12-11T00:00:00'), OFFSET)).toBe('ended')
  })
  it('spans local midnight to local midnight', () => {
    expect(campaignWindow(live, OFFSET)).toEqual({ fromMs: at('2026-12-01T00:00:00'), toMs: at('2026-12-11T00:00:00') })
  })
  it('breaks a city down by district, a district by street, a street by community', () => {
    expect([breakdownLevel('city'), breakdownLevel('district:510104'), breakdownLevel('street:510104001')]).toEqual(['district', 'street', 'community'])
  })
})

describe('live progress', () => {
  const facts = {
    found: [
      { key: '510104001', day: '2026-12-01', found: 4, feedbackTotal: 2, feedbackSatisfied: 2 },
      { key: '510104001', day: '2026-12-02', found: 2, feedbackTotal: 1, feedbackSatisfied: 0 },
      { key: '510104002', day: '2026-12-02', found: 4, feedbackTotal: 1, feedbackSatisfied: 1 },
    ],
    resolved: [
      { key: '510104001', day: '2026-12-02', resolved: 3 },
      { key: '510104002', day: '2026-12-03', resolved: 4 },
    ],
  }
  const p = liveProgress(live, facts, at('2026-12-03T12:00:00'), OFFSET, code => `街道${code.slice(-1)}`)

  it('totals found and resolved and compares the rate with the target', () => {
    expect(p.totals).toEqual({ found: 10, resolved: 7, resolutionRate: 0.7, satisfactionRate: 0.75 })
    expect(p.vsTarget).toBeCloseTo(-0.2, 10)
    expect(p).toMatchObject({ status: 'active', basis: 'store', days: { total: 10, elapsed: 3, left: 7 } })
  })
  it('breaks down by unit, most found first, each row through the same rates', () => {
    expect(p.breakdown?.level).toBe('street')
    expect(p.breakdown?.rows).toEqual([
      { code: '510104001', name: '街道1', found: 6, resolved: 3, feedbackTotal: 3, feedbackSatisfied: 2, resolutionRate: 0.5, satisfactionRate: 2 / 3 },
      { code: '510104002', name: '街道2', found: 4, resolved: 4, feedbackTotal: 1, feedbackSatisfied: 1, resolutionRate: 1, satisfactionRate: 1 },
    ])
  })
  it('has one row per elapsed day with the cumulative rate, days without reports included', () => {
    expect(p.daily).toEqual([
      { date: '2026-12-01', found: 4, resolved: 0, resolutionRate: 0 },
      { date: '2026-12-02', found: 6, resolved: 3, resolutionRate: 0.3 },
      { date: '2026-12-03', found: 0, resolved: 4, resolutionRate: 0.7 },
    ])
  })
  it('an upcoming campaign has no days and no rate', () => {
    const before = liveProgress(live, { found: [], resolved: [] }, at('2026-11-20T12:00:00'), OFFSET, c => c)
    expect(before).toMatchObject({ status: 'upcoming', daily: [], totals: { found: 0, resolutionRate: null }, vsTarget: null })
  })
})

describe('recorded progress', () => {
  it('shows the published figures as they are, with no breakdown or series', () => {
    const rec: RecordedCampaign = {
      ...live, kind: 'recorded', id: 'r1', scope: 'city', startDate: '2019-03-23', endDate: '2019-06-30', theme: '隐患', themeEn: 'hazards', targetRate: null, datesApproximate: false,
      recorded: { found: 194_675, resolved: 192_300, resolutionRate: 0.9878, satisfactionRate: 0.9165, derived: ['found'], extra: [], notes: [], notesEn: [] },
      sources: [{ title: 't', publisher: 'p', quote: 'q' }],
    }
    const p = recordedProgress(rec, at('2026-12-07T00:00:00'), OFFSET)
    expect(p).toMatchObject({ basis: 'recorded', status: 'ended', days: { total: 100, elapsed: 100, left: 0 }, totals: { found: 194_675, resolved: 192_300, resolutionRate: 0.9878, satisfactionRate: 0.9165 }, vsTarget: null, breakdown: null, daily: [] })
  })
})

describe('campaign create schema', () => {
  const ok = { name: '行动', categories: ['0510'], scope: 'district:510104', startDate: '2026-12-01', endDate: '2026-12-30', targetRate: 0.95 }
  const pathsOf = (body: unknown) => {
    const r = campaignCreateSchema.safeParse(body)
    return r.success ? [] : r.error.issues.map(i => i.path.join('.'))
  }
  it('accepts a valid campaign', () => { expect(pathsOf(ok)).toEqual([]) })
  it('names the field of each error', () => {
    expect(pathsOf({ ...ok, categories: ['9999'] })).toEqual(['categories.0'])
    expect(pathsOf({ ...ok, categories: [] })).toEqual(['categories'])
    expect(pathsOf({ ...ok, scope: 'province:51' })).toEqual(['scope'])
    expect(pathsOf({ ...ok, startDate: '2026-02-30' })).toEqual(['startDate'])
    expect(pathsOf({ ...ok, endDate: '2026-12-01' })).toEqual(['endDate'])
    expect(pathsOf({ ...ok, endDate: '2028-12-01' })).toEqual(['endDate'])
    expect(pathsOf({ ...ok, targetRate: 0 })).toEqual(['targetRate'])
    expect(pathsOf({ ...ok, targetRate: 1.2 })).toEqual(['targetRate'])
    expect(pathsOf({ ...ok, name: ' ' })).toEqual(['name'])
  })
})
