import { describe, expect, it } from 'vitest'
import type { LiveCampaign } from '../../shared/campaigns/types.js'
import type { CampaignRepository, CaseRepository } from '../../server/store/repository.js'
import { LOC_A, LOC_B, type Open, rows, step, useStore } from './support.js'

type Repo = CampaignRepository & Pick<CaseRepository, 'insertIncidents' | 'applyCaseChange'>

const campaign = (id: string, startDate: string): LiveCampaign => ({
  kind: 'live', id, name: `专项 ${id}`, categories: ['0102'], scope: 'city', startDate, endDate: '2026-12-31', targetRate: 0.9, createdAt: '2026-11-20T00:00:00.000Z',
})

/** Campaigns (专项行动): stored once per id, and the counts their progress is computed from. */
export function describeCampaignContract(name: string, open: Open<Repo>): void {
  describe(`CampaignRepository contract: ${name}`, () => {
    const store = useStore(open)

    it('stores a campaign once per id and lists the latest start first', async () => {
      const repo = store.repo
      expect(await repo.insertCampaign(campaign('c1', '2026-11-01'))).toBe(true)
      expect(await repo.insertCampaign(campaign('c2', '2026-11-15'))).toBe(true)
      expect(await repo.insertCampaign({ ...campaign('c1', '2026-12-01'), name: 'again' })).toBe(false)
      const listed = await repo.listCampaigns()
      expect(listed.map(c => c.id)).toEqual(['c2', 'c1'])
      expect(listed[1]).toEqual(campaign('c1', '2026-11-01'))
    })

    it('counts found reports by unit and local day, and resolved ones by the day they closed before the cut-off', async () => {
      const repo = store.repo
      // 23:30 UTC is the next local day at UTC+8
      const { stored } = await repo.insertIncidents([...rows(2, LOC_A, { reportedAt: '2026-11-24T23:30:00.000Z' }),
        ...rows(1, LOC_B, { reportedAt: '2026-11-24T02:00:00.000Z' }), ...rows(1, LOC_A, { reportedAt: '2026-11-24T02:00:00.000Z', category: '0201' })], 'now')
      await repo.applyCaseChange(step(stored[0]!, 'closed', { closedAt: '2026-11-26T01:00:00.000Z' }))
      await repo.applyCaseChange(step(stored[1]!, 'closed', { closedAt: '2026-11-28T01:00:00.000Z' })) // after the cut-off
      const facts = await repo.campaignFacts({ categories: ['0102'], scope: { level: 'city', code: null }, fromMs: Date.parse('2026-11-20T00:00:00.000Z'),
        toMs: Date.parse('2026-12-01T00:00:00.000Z'), resolvedBefore: '2026-11-27T00:00:00.000Z', by: 'district', utcOffsetMinutes: 480 })
      expect(facts.found.map(f => [f.key, f.day, f.found]).sort()).toEqual([[LOC_A.district, '2026-11-25', 2], [LOC_B.district, '2026-11-24', 1]])
      expect(facts.resolved).toEqual([{ key: LOC_A.district, day: '2026-11-26', resolved: 1 }])
      expect(await repo.campaignFacts({ categories: [], scope: { level: 'city', code: null }, fromMs: 0, toMs: 1, resolvedBefore: 'x', by: 'street', utcOffsetMinutes: 0 }))
        .toEqual({ found: [], resolved: [] })
    })
  })
}
