import { describe, expect, it } from 'vitest'
import type { CaseAuditRepository, CaseRepository, HistoryImportRepository, RollupRepository } from '../../server/store/repository.js'
import { makeIncident } from '../fixtures/incidents.js'
import { type Open, rows, useStore } from './support.js'

type Repo = HistoryImportRepository & Pick<CaseRepository, 'insertIncidents' | 'getIncident' | 'currentSeq'> & Pick<CaseAuditRepository, 'caseEvents'>
  & Pick<RollupRepository, 'rollupHours'>

const closed = (reportedAt: string) => {
  const incident = makeIncident({ reportedAt, status: 'closed', version: 3, filedAt: reportedAt, closedAt: reportedAt })
  return {
    incident,
    events: [
      { at: reportedAt, actor: 'sim:centre', action: 'file', from: 'reported', to: 'filed' },
      { at: reportedAt, actor: 'sim:centre', action: 'close', from: 'filed', to: 'closed' },
    ],
  }
}

/** The history seed's bulk path: finished cases with their trails, and the checkpoint, in one commit. */
export function describeHistoryImportContract(name: string, open: Open<Repo>): void {
  describe(`HistoryImportRepository contract: ${name}`, () => {
    const store = useStore(open)

    it('writes finished cases with their trails and adds the rows to the checkpoint; an id seen before is skipped', async () => {
      const repo = store.repo
      expect(await repo.isEmpty()).toBe(true)
      expect(await repo.historyCheckpoint('k')).toBeNull()
      const [a, b] = [closed('2026-11-01T02:00:00.000Z'), closed('2026-11-01T03:00:00.000Z')]
      expect(await repo.importHistory([a, b], { key: 'k', params: 'p', doneMs: 100, rows: 0 })).toBe(2)
      expect(await repo.importHistory([a], { key: 'k', params: 'p', doneMs: 200, rows: 2 })).toBe(0)
      expect(await repo.historyCheckpoint('k')).toEqual({ key: 'k', params: 'p', doneMs: 200, rows: 2 })
      expect(await repo.isEmpty()).toBe(false)
      expect(await repo.getIncident(a.incident.id)).toMatchObject({ status: 'closed', version: 3 })
      expect((await repo.caseEvents(a.incident.id)).map(e => [e.action, e.to])).toEqual([['file', 'filed'], ['close', 'closed']])
      // later writes take seqs after the history's
      const before = await repo.currentSeq()
      const { stored } = await repo.insertIncidents(rows(1), 'now')
      expect(stored[0]!.seq).toBe(before + 1)
    })

    it('defers upkeep in a bulk import of an empty store and has the rollup built when it finishes; refuses a store with data', async () => {
      const repo = store.repo
      await repo.beginBulkImport()
      await repo.importHistory([closed('2026-11-01T02:00:00.000Z')], { key: 'k', params: 'p', doneMs: 1, rows: 0 })
      const built: string[] = []
      await repo.finishBulkImport(n => built.push(n))
      const hour = Date.parse('2026-11-01T02:00:00.000Z') / 3_600_000
      expect(await repo.rollupHours()).toEqual([hour, hour])
      await expect(repo.beginBulkImport()).rejects.toThrow()
    })
  })
}
