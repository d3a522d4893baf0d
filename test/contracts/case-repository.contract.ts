import { describe, expect, it } from 'vitest'
import type { Incident } from '../../shared/incident.js'
import type { AlarmRepository, CaseAuditRepository, CaseRepository } from '../../server/store/repository.js'
import { OPEN_STATUSES } from '../../shared/workflow/states.js'
import { CITY, LOC_A, LOC_B, type Open, rows, step, useStore } from './support.js'

type Repo = CaseRepository & Pick<CaseAuditRepository, 'caseEvents'> & Pick<AlarmRepository, 'openAlarms'>
const summaryIds = (json: string) => (JSON.parse(json) as { id: string }[]).map(s => s.id)

/**
 * Reports and cases (CaseRepository): every implementation must pass this. The audit trail and the alarms written
 * within an insert are read back through their own repositories (same store).
 */
export function describeCaseRepositoryContract(name: string, open: Open<Repo>): void {
  describe(`CaseRepository contract: ${name}`, () => {
    const store = useStore(open)

    it('stores a batch with consecutive sequence numbers and reads it back', async () => {
      const repo = store.repo
      const start = await repo.currentSeq()
      const batch = rows(3, LOC_A, { reporter: { name: '李四', phone: '13900001111' } })
      const { stored, duplicates } = await repo.insertIncidents(batch, '2026-11-24T02:00:00.000Z')
      expect(duplicates.size).toBe(0)
      expect(stored.map(i => i.seq)).toEqual([start + 1, start + 2, start + 3])
      expect(await repo.currentSeq()).toBe(start + 3)
      const back = await repo.getIncident(batch[1]!.input.id)
      expect(back).toEqual({ ...batch[1]!.input, ...LOC_A, status: 'reported', version: 1, seq: start + 2, receivedAt: '2026-11-24T02:00:00.000Z' })
    })

    it('stores the same id once, within a batch and across batches, never overwriting', async () => {
      const repo = store.repo
      const [first] = rows(1)
      const again = { ...first!, input: { ...first!.input, description: 'changed' } }
      const one = await repo.insertIncidents([first!, again], 'now')
      expect(one.stored).toHaveLength(1)
      expect([...one.duplicates]).toEqual([first!.input.id])
      const two = await repo.insertIncidents([again], 'now')
      expect(two.stored).toHaveLength(0)
      expect((await repo.getIncident(first!.input.id))?.description).toBe(first!.input.description)
    })

    it('writes what ingest asks within the insert in the same commit: a step per stored row, the alarms of the batch', async () => {
      const repo = store.repo
      const start = await repo.currentSeq()
      const [primary, repeat] = rows(2)
      const { stored, alarms } = await repo.insertIncidents([primary!, repeat!], '2026-11-24T02:00:00.000Z', {
        step: i => i.id !== repeat!.input.id ? null : {
          id: i.id, expectedVersion: i.version, to: i.status, at: '2026-11-24T02:00:00.000Z', actor: 'system:dedupe',
          action: 'propose-duplicate', duplicateOf: primary!.input.id,
        },
        alarms: list => list.map(i => ({
          key: `critical:${i.id}`, kind: 'critical' as const, incidentId: i.id, category: i.category, community: i.community,
          street: i.street, district: i.district, lon: i.lon, lat: i.lat, count: 1, raisedAt: '2026-11-24T02:00:00.000Z',
        })),
      })
      // the row comes back in its state after the step, with the step's seq
      expect(stored.map(i => [i.id, i.version, i.seq, i.duplicateOf])).toEqual([
        [primary!.input.id, 1, start + 1, undefined], [repeat!.input.id, 2, start + 3, primary!.input.id]])
      expect((await repo.caseEvents(repeat!.input.id)).map(e => e.action)).toEqual(['propose-duplicate'])
      expect(alarms?.map(a => a.incidentId)).toEqual([primary!.input.id, repeat!.input.id])
      expect((await repo.openAlarms(CITY, 10)).map(a => a.id)).toEqual(alarms!.map(a => a.id))
    })

    it('answers changes since a sequence number, limited to a scope', async () => {
      const repo = store.repo
      const base = await repo.currentSeq()
      await repo.insertIncidents([...rows(2, LOC_A), ...rows(3, LOC_B)], 'now')
      const all = await repo.changedSince(base, CITY, 100)
      expect(all.map(i => i.seq)).toEqual([base + 1, base + 2, base + 3, base + 4, base + 5])
      const b = await repo.changedSince(base + 1, { level: 'district', code: '510105' }, 100)
      expect(b.map(i => i.district)).toEqual(['510105', '510105', '510105'])
      const street = await repo.changedSince(base, { level: 'street', code: '510104001' }, 1)
      expect(street).toHaveLength(1)
    })

    it('lists recent incidents newest first and incidents reported since an instant', async () => {
      const repo = store.repo
      await repo.insertIncidents([
        ...rows(1, LOC_A, { reportedAt: '2026-11-24T01:00:00+08:00' }),
        ...rows(1, LOC_A, { reportedAt: '2026-11-24T03:00:00+08:00' }),
      ], 'now')
      const recent = await repo.recent({ level: 'district', code: '510104' }, 10)
      expect(recent[0]!.seq).toBeGreaterThan(recent[1]!.seq)
      const since = await repo.reportedSince(Date.parse('2026-11-24T02:00:00+08:00'))
      expect(since.every(i => Date.parse(i.reportedAt) >= Date.parse('2026-11-24T02:00:00+08:00'))).toBe(true)
      expect(since.length).toBeGreaterThanOrEqual(1)
    })

    it('applies a case change with its audit row and the next seq, only at the expected version', async () => {
      const repo = store.repo
      const [row] = rows(1)
      await repo.insertIncidents([row!], 'now')
      const id = row!.input.id
      const before = await repo.currentSeq()
      const change = { id, expectedVersion: 1, to: 'filed' as const, at: '2026-11-24T02:00:00.000Z', actor: 'op', action: 'file' }
      const applied = await repo.applyCaseChange(change)
      expect(applied).toMatchObject({ kind: 'applied', from: 'reported', incident: { status: 'filed', version: 2, seq: before + 1 } })
      expect(await repo.applyCaseChange(change)).toMatchObject({ kind: 'stale', current: { version: 2 } })
      expect(await repo.applyCaseChange({ ...change, id: 'missing' })).toEqual({ kind: 'not-found' })
      const dispatched = await repo.applyCaseChange({ ...change, expectedVersion: 2, to: 'dispatched', action: 'dispatch', department: '环卫', deadline: '2026-11-24T08:00:00.000Z' })
      expect(dispatched).toMatchObject({ kind: 'applied', incident: { department: '环卫', deadline: '2026-11-24T08:00:00.000Z' } })
      expect((await repo.caseEvents(id)).map(e => e.to)).toEqual(['filed', 'dispatched'])
      expect(await repo.currentSeq()).toBe(before + 2)
    })

    it('applies several case changes in one commit, each guarded by its version, outcomes in order', async () => {
      const repo = store.repo
      const two = rows(2)
      await repo.insertIncidents(two, 'now')
      const before = await repo.currentSeq()
      const file = (id: string, expectedVersion = 1) => ({ id, expectedVersion, to: 'filed' as const, at: '2026-11-24T02:00:00.000Z', actor: 'sim:centre', action: 'file' })
      const outcomes = await repo.applyCaseChanges([file(two[0]!.input.id), file(two[1]!.input.id, 7), file('missing')])
      expect(outcomes.map(o => o.kind)).toEqual(['applied', 'stale', 'not-found'])
      expect(outcomes[0]).toMatchObject({ kind: 'applied', incident: { status: 'filed', seq: before + 1 } })
      expect(await repo.currentSeq()).toBe(before + 1)
      expect((await repo.caseEvents(two[0]!.input.id)).map(e => e.to)).toEqual(['filed'])
      expect(await repo.applyCaseChanges([])).toEqual([])
    })

    it('counts open cases by district and street', async () => {
      const repo = store.repo
      await repo.insertIncidents([...rows(2, LOC_A), ...rows(1, LOC_B)], 'now')
      const counts = await repo.openCounts(OPEN_STATUSES)
      const a = counts.find(c => c.street === LOC_A.street)
      expect(a?.count).toBeGreaterThanOrEqual(2)
      expect(counts.find(c => c.street === LOC_B.street)?.district).toBe('510105')
    })

    it('answers null for an unknown id and an empty store with seq 0', async () => {
      const repo = store.repo
      expect(await repo.getIncident('missing')).toBeNull()
      expect(await repo.currentSeq()).toBe(0)
      expect(await repo.mergedInto('missing')).toEqual([])
      expect(await repo.changedSince(0, CITY, 10)).toEqual([])
    })

    it('names the positions of duplicates whose content differs from what is stored', async () => {
      const repo = store.repo
      const [first] = rows(1)
      await repo.insertIncidents([first!], 'now')
      const same = { ...first! }
      const changed = { ...first!, input: { ...first!.input, description: 'changed' } }
      const { conflicts, duplicates } = await repo.insertIncidents([same, changed, ...rows(1)], 'now')
      expect([...duplicates]).toEqual([first!.input.id])
      expect([...conflicts]).toEqual([1])
    })

    it('rolls an insert back as a whole when a step written within it fails: nothing stored, seq unchanged', async () => {
      const repo = store.repo
      const before = await repo.currentSeq()
      const batch = rows(2)
      await expect(repo.insertIncidents(batch, 'now', { step: () => { throw new Error('boom') } })).rejects.toThrow('boom')
      expect(await repo.currentSeq()).toBe(before)
      expect(await repo.getIncident(batch[0]!.input.id)).toBeNull()
      const again = await repo.insertIncidents(batch, 'now')
      expect(again.stored.map(i => i.seq)).toEqual([before + 1, before + 2])
    })

    it('tells change listeners after commit: (null, new) on insert, (before, after) on a step; unsubscribe stops it', async () => {
      const repo = store.repo
      const heard: [number | null, number][] = []
      const stop = repo.watchChanges((before, after) => heard.push([before?.version ?? null, after.version]))
      const [row] = rows(1)
      const { stored } = await repo.insertIncidents([row!], 'now')
      await repo.applyCaseChange(step(stored[0]!, 'filed'))
      await repo.applyCaseChange(step(stored[0]!, 'filed')) // stale: nothing heard
      stop()
      await repo.insertIncidents(rows(1), 'now')
      expect(heard).toEqual([[null, 1], [1, 2]])
    })

    it('pages the queue newest report first with a cursor that ends in null; open only leaves closed cases out', async () => {
      const repo = store.repo
      const hours = [1, 2, 3, 4, 5]
      const batch = hours.map(h => rows(1, LOC_A, { reportedAt: `2026-11-24T0${h}:00:00.000Z` })[0]!)
      const { stored } = await repo.insertIncidents(batch, 'now')
      await repo.applyCaseChange(step(stored[3]!, 'rejected'))
      const all: string[] = []
      let before: { reportedMs: number, seq: number } | undefined
      for (let pages = 0; pages < 5; pages++) {
        const page = await repo.casePage({ scope: CITY, openOnly: false, limit: 2, ...(before && { before }) })
        all.push(...summaryIds(page.casesJson))
        if (!page.next) break
        before = page.next
      }
      expect(all).toEqual([...stored].reverse().map(i => i.id))
      const open = await repo.listCases({ scope: { level: 'district', code: LOC_A.district }, openOnly: true, limit: 10 })
      expect(open.map(i => i.id)).toEqual([stored[4]!, stored[2]!, stored[1]!, stored[0]!].map(i => i.id))
      expect(await repo.listCases({ scope: { level: 'district', code: LOC_B.district }, openOnly: false, limit: 10 })).toEqual([])
    })

    it('lists open cases oldest change first, and the reports merged into a case', async () => {
      const repo = store.repo
      const { stored } = await repo.insertIncidents(rows(3), 'now')
      const [a, b, c] = stored as [Incident, Incident, Incident]
      await repo.applyCaseChange(step(a, 'filed'))
      await repo.applyCaseChange(step(c, 'merged', { mergedInto: b.id }))
      expect((await repo.openCases(OPEN_STATUSES, 10)).map(i => i.id)).toEqual([b.id, a.id])
      expect((await repo.openCases(OPEN_STATUSES, 1)).map(i => i.id)).toEqual([b.id])
      expect((await repo.mergedInto(b.id)).map(i => i.id)).toEqual([c.id])
    })
  })
}
