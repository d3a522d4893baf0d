import { describe, expect, it } from 'vitest'
import type { CaseRepository, Open311Repository } from '../../server/store/repository.js'
import { LOC_A, type Open, rows, step, useStore } from './support.js'

type Repo = Open311Repository & Pick<CaseRepository, 'insertIncidents' | 'applyCaseChange'>

/** Open311 (GeoReport v2): the details a client sent, and the GET requests' reads. */
export function describeOpen311Contract(name: string, open: Open<Repo>): void {
  describe(`Open311Repository contract: ${name}`, () => {
    const store = useStore(open)

    it('reads requests by id with their details (null when sent without) and the latest step as updatedAt', async () => {
      const repo = store.repo
      const { stored: [a, b] } = await repo.insertIncidents(rows(2), '2026-11-24T01:00:00.000Z')
      await repo.saveOpen311Details({ id: a!.id, address: '天府广场', attributes: { kind: ['a', 'b'] } })
      await repo.saveOpen311Details({ id: a!.id, address: 'second write is ignored', attributes: {} })
      await repo.applyCaseChange(step(a!, 'filed', { at: '2026-11-24T03:00:00.000Z' }))
      const [ra] = await repo.open311Requests({ ids: [a!.id], fromMs: 0, toMs: 0, limit: 1 })
      expect(ra).toMatchObject({ incident: { id: a!.id, status: 'filed' }, details: { id: a!.id, address: '天府广场', attributes: { kind: ['a', 'b'] } }, updatedAt: '2026-11-24T03:00:00.000Z' })
      expect(ra!.details!.mediaUrl).toBeUndefined()
      const [rb] = await repo.open311Requests({ ids: [b!.id], fromMs: 0, toMs: 0, limit: 1 })
      expect(rb).toMatchObject({ details: null, updatedAt: '2026-11-24T01:00:00.000Z' })
      expect(await repo.open311Requests({ ids: ['missing'], fromMs: 0, toMs: 0, limit: 1 })).toEqual([])
    })

    it('filters by report time, categories and statuses, newest report first, up to the limit', async () => {
      const repo = store.repo
      const at = (h: number) => `2026-11-24T0${h}:00:00.000Z`
      const { stored } = await repo.insertIncidents([1, 2, 3, 4].map(h => rows(1, LOC_A, { reportedAt: at(h), category: h === 4 ? '0201' : '0102' })[0]!), 'now')
      await repo.applyCaseChange(step(stored[0]!, 'filed'))
      const q = { fromMs: Date.parse(at(1)), toMs: Date.parse(at(4)), limit: 10 }
      expect((await repo.open311Requests(q)).map(r => r.incident.id)).toEqual([stored[2]!.id, stored[1]!.id, stored[0]!.id])
      expect((await repo.open311Requests({ ...q, limit: 1 })).map(r => r.incident.id)).toEqual([stored[2]!.id])
      expect((await repo.open311Requests({ ...q, statuses: ['filed'] })).map(r => r.incident.id)).toEqual([stored[0]!.id])
      expect(await repo.open311Requests({ ...q, categories: ['0201'] })).toEqual([])
    })
  })
}
