import { describe, expect, it } from 'vitest'
import type { CaseAuditRepository, CaseRepository } from '../../server/store/repository.js'
import { type Open, rows, step, useStore } from './support.js'

type Repo = CaseAuditRepository & Pick<CaseRepository, 'insertIncidents' | 'applyCaseChange' | 'applyCaseChanges'>

/** The case audit trail: one row per applied step, written with it; none for a stale or unknown one. */
export function describeCaseAuditContract(name: string, open: Open<Repo>): void {
  describe(`CaseAuditRepository contract: ${name}`, () => {
    const store = useStore(open)

    it('has no trail for an unknown id or a new report', async () => {
      const { stored } = await store.repo.insertIncidents(rows(1), 'now')
      expect(await store.repo.caseEvents('missing')).toEqual([])
      expect(await store.repo.caseEvents(stored[0]!.id)).toEqual([])
    })

    it('keeps each applied step oldest first, with its seq, actor, from and to, and its note only when given', async () => {
      const repo = store.repo
      const { stored: [report] } = await repo.insertIncidents(rows(1), 'now')
      const filed = await repo.applyCaseChange(step(report!, 'filed', { actor: 'user:ops', note: '已核实' }))
      if (filed.kind !== 'applied') throw new Error(filed.kind)
      await repo.applyCaseChange(step(report!, 'rejected')) // stale: no row
      const dispatched = await repo.applyCaseChange(step(filed.incident, 'dispatched', { actor: 'sim:centre', action: 'dispatch', department: '环卫' }))
      if (dispatched.kind !== 'applied') throw new Error(dispatched.kind)
      expect(await repo.caseEvents(report!.id)).toEqual([
        { seq: filed.incident.seq, at: '2026-11-24T02:00:00.000Z', actor: 'user:ops', action: 'filed', from: 'reported', to: 'filed', note: '已核实' },
        { seq: dispatched.incident.seq, at: '2026-11-24T02:00:00.000Z', actor: 'sim:centre', action: 'dispatch', from: 'filed', to: 'dispatched' },
      ])
    })

    it('writes rows only for the applied changes of a batch', async () => {
      const repo = store.repo
      const { stored: [a, b] } = await repo.insertIncidents(rows(2), 'now')
      await repo.applyCaseChanges([step(a!, 'filed'), step({ id: b!.id, version: 9 }, 'filed'), step({ id: 'missing', version: 1 }, 'filed')])
      expect((await repo.caseEvents(a!.id)).map(e => e.to)).toEqual(['filed'])
      expect(await repo.caseEvents(b!.id)).toEqual([])
    })
  })
}
