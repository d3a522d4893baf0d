import { describe, expect, it } from 'vitest'
import type { CampaignDay, LiveCampaign } from '../../shared/campaigns/types.js'
import { areaLabel, breakdownOption, campaignName, dailyOption, targetTone } from '../../client/campaigns/present.js'
import { loadRecordedCampaigns } from '../../server/campaigns/recorded.js'

const live: LiveCampaign = { kind: 'live', id: 'c', name: '整治', nameEn: 'Drive', categories: ['0510'], scope: 'street:510104001', startDate: '2026-12-01', endDate: '2026-12-30', targetRate: 0.9, createdAt: '' }
type Series = { name: string, data: (number | null | { value: number | null })[] }

describe('campaign presentation', () => {
  it('names and places a campaign', () => {
    expect([campaignName(live, 'zh-CN'), campaignName(live, 'en')]).toEqual(['整治', 'Drive'])
    const names: Record<string, string> = { 510104: '锦江区', 510104001: '督院街街道' }
    expect(areaLabel(live, '成都市', c => names[c] ?? c, () => '510104')).toBe('锦江区 · 督院街街道')
    expect(areaLabel({ ...live, scope: 'city' }, '成都市', c => c, () => null)).toBe('成都市')
  })
  it('grades the rate against the target', () => {
    expect([targetTone(0.92, 0.9), targetTone(0.86, 0.9), targetTone(0.7, 0.9), targetTone(null, 0.9), targetTone(0.9, null)]).toEqual(['ok', 'warn', 'danger', 'none', 'none'])
  })
  it('draws the daily series with the cumulative rate and the target in percent', () => {
    const daily: CampaignDay[] = [{ date: '2026-12-01', found: 4, resolved: 0, resolutionRate: 0 }, { date: '2026-12-02', found: 0, resolved: 3, resolutionRate: 0.75 }]
    const o = dailyOption(daily, 0.9, { found: 'f', resolved: 'r', rate: 'rate', target: 'target' })!
    const series = o.series as Series[]
    expect(series.map(s => [s.name, s.data])).toEqual([['f', [4, 0]], ['r', [0, 3]], ['rate', [0, 75]], ['target', [90, 90]]])
    expect(dailyOption([], 0.9, { found: 'f', resolved: 'r', rate: 'rate', target: 't' })).toBeNull()
  })
  it('bars the units with reports, most reports on top', () => {
    const row = (code: string, found: number, resolved: number) => ({ code, name: code, found, resolved, feedbackTotal: 0, feedbackSatisfied: 0, resolutionRate: found ? resolved / found : null, satisfactionRate: null })
    const o = breakdownOption([row('a', 10, 9), row('b', 4, 2), row('c', 0, 0)], 0.9, 'rate')!
    expect((o.yAxis as { data: string[] }).data).toEqual(['b', 'a']) // ECharts draws the first category at the bottom
    expect((o.series as Series[])[0]!.data.map(d => (d as { value: number }).value)).toEqual([50, 90])
  })
})

describe('the shipped recorded campaigns', () => {
  it('hold the 2019 100-day safe-community campaign for Chengdu only, figures as published', () => {
    const [c, ...rest] = loadRecordedCampaigns('chengdu')
    expect(rest).toEqual([])
    expect(c).toMatchObject({ id: 'chengdu-2019-safe-community-100-days', name: '平安社区工程百日攻坚行动', scope: 'city', startDate: '2019-03-23', endDate: '2019-06-30', targetRate: null })
    expect(c!.recorded).toMatchObject({ found: 194_675, resolved: 192_300, resolutionRate: 0.9878, satisfactionRate: 0.9165, derived: ['found'] })
    expect(c!.recorded.resolved / c!.recorded.found).toBeCloseTo(c!.recorded.resolutionRate, 4)
    expect(c!.sources[0]!.quote).toContain('19.23万件')
    expect(loadRecordedCampaigns('dazhou-tongchuan')).toEqual([])
  })
})
