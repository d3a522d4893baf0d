import { describe, expect, it } from 'vitest'
import { COUNT_FIELDS, zeroCounts } from '../../shared/kpi/counts.js'
import type { CaseRepository, KpiCountRepository } from '../../server/store/repository.js'
import { LOC_A, LOC_B, type Open, rows, step, useStore } from './support.js'

type Repo = KpiCountRepository & Pick<CaseRepository, 'insertIncidents' | 'applyCaseChange' | 'currentSeq'>

const T0 = Date.parse('2026-11-24T01:00:00.000Z')
const NOW = '2026-11-24T06:00:00.000Z'
const period = { fromMs: T0, toMs: T0 + 24 * 3_600_000 }

/** The one source of KPI counts (issue #11) and the snapshot the maintained counts start from. */
export function describeKpiCountContract(name: string, open: Open<Repo>): void {
  describe(`KpiCountRepository contract: ${name}`, () => {
    const store = useStore(open)

    /** Three reports in A (one merged into another, one filed and dispatched), one in B, one before the period. */
    async function fill() {
      const reportedAt = new Date(T0 + 600_000).toISOString()
      const { stored } = await store.repo.insertIncidents([...rows(3, LOC_A, { reportedAt }), ...rows(1, LOC_B, { reportedAt }),
        ...rows(1, LOC_A, { reportedAt: new Date(T0 - 3_600_000).toISOString() })], NOW)
      await store.repo.applyCaseChange(step(stored[2]!, 'merged', { mergedInto: stored[1]!.id }))
      const filed = await store.repo.applyCaseChange(step(stored[0]!, 'filed', { filedAt: '2026-11-24T02:00:00.000Z' }))
      if (filed.kind !== 'applied') throw new Error(filed.kind)
      await store.repo.applyCaseChange(step(filed.incident, 'dispatched', { department: '环卫', deadline: '2026-11-24T09:00:00.000Z', dispatchedAt: '2026-11-24T02:00:00.000Z' }))
    }

    it('answers exactly one row of zeros for an empty period', async () => {
      expect(await store.repo.kpiCounts({ area: {}, ...period }, NOW)).toEqual([{ key: [], counts: zeroCounts() }])
    })

    it('counts the period\'s reports once (merged ones in the case they repeat), by area and by group', async () => {
      await fill()
      const [city] = await store.repo.kpiCounts({ area: {}, ...period }, NOW)
      expect(city!.counts).toMatchObject({ reported: 3, judged: 1, filed: 1 })
      const [a] = await store.repo.kpiCounts({ area: { district: LOC_A.district }, ...period }, NOW)
      expect(a!.counts.reported).toBe(2)
      const byDistrict = await store.repo.kpiCounts({ area: {}, ...period, groupBy: ['district'] }, NOW)
      expect(byDistrict.map(r => [r.key, r.counts.reported]).sort()).toEqual([[[LOC_A.district], 2], [[LOC_B.district], 1]])
      const two = await store.repo.kpiCounts({ area: {}, ...period, groupBy: ['district', 'department'] }, NOW)
      expect(two.map(r => r.key).sort()).toEqual([[LOC_A.district, ''], [LOC_A.district, '环卫'], [LOC_B.district, '']])
      const filtered = await store.repo.kpiCounts({ area: {}, ...period, filters: { category: '0201' } }, NOW)
      expect(filtered).toEqual([{ key: [], counts: zeroCounts() }])
    })

    it('hands the maintained counts one consistent snapshot: buckets that add up to the scan, the pending cases and the seq', async () => {
      await fill()
      const src = await store.repo.kpiLedgerSource(NOW)
      expect(src.seq).toBe(await store.repo.currentSeq())
      expect(src.streets.map((s, k) => [s, src.districts[k]]).sort()).toEqual([[LOC_A.street, LOC_A.district], [LOC_B.street, LOC_B.district]])
      const F = COUNT_FIELDS.length
      const reported = COUNT_FIELDS.indexOf('reported')
      let total = 0
      for (let k = 0; k < src.keys.length / 3; k++) total += src.values[k * F + reported]!
      expect(total).toBe(4) // every non-merged report, of any period
      expect(src.pending.map(i => i.department)).toEqual(['环卫'])
    })
  })
}
