import { describe, expect, it } from 'vitest'
import type { LiveCampaign } from '../../shared/campaigns/types.js'
import { createCampaignService } from '../../server/campaigns/campaign-service.js'
import type { IncidentRepository } from '../../server/store/repository.js'

const live: LiveCampaign = { kind: 'live', id: 'c1', name: '行动', categories: ['0510'], scope: 'district:510104', startDate: '2026-12-01', endDate: '2026-12-30', targetRate: 0.9, createdAt: '' }

describe('campaign service: when a live campaign is recounted', () => {
  it('only when the store changed, at most every minRecountMs, and always when the day turns', async () => {
    let seq = 1
    let counts = 0
    let clock = Date.parse('2026-12-07T10:00:00+08:00')
    const repo = {
      currentSeq: async () => seq,
      listCampaigns: async () => [live],
      campaignFacts: async () => {
        counts += 1
        return { found: [{ key: '510104001', day: '2026-12-07', found: seq, feedbackTotal: 0, feedbackSatisfied: 0 }], resolved: [] }
      },
    } as unknown as IncidentRepository
    const service = createCampaignService({ repo, recorded: [], utcOffsetMinutes: 480, nameOf: c => c, now: () => clock, minRecountMs: 30_000 })
    const found = async () => (await service.progress('c1'))!.totals.found

    expect(await found()).toBe(1)
    seq = 2
    clock += 10_000
    expect(await found()).toBe(1) // written, but counted 10 s ago
    clock += 25_000
    expect(await found()).toBe(2)
    clock += 120_000
    expect(await found()).toBe(2) // nothing written since: the count stands
    expect(counts).toBe(2)
    clock = Date.parse('2026-12-08T00:00:01+08:00') // a new day: days left change
    const p = (await service.progress('c1'))!
    expect(counts).toBe(3)
    expect(p.days).toEqual({ total: 30, elapsed: 8, left: 22 })
  })
})
