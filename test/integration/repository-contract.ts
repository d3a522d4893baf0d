import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { IncidentRepository, NewIncident } from '../../server/store/repository.js'
import { OPEN_STATUSES } from '../../shared/workflow/states.js'
import { makeInput } from '../fixtures/incidents.js'

const LOC_A = { cell: '88283082a3fffff', community: '510104001001', street: '510104001', district: '510104' }
const LOC_B = { cell: '88283082a7fffff', community: '510105001001', street: '510105001', district: '510105' }

function rows(n: number, loc = LOC_A, patch = {}): NewIncident[] {
  return Array.from({ length: n }, () => ({ input: makeInput(patch), location: loc }))
}

/** One contract, run against every IncidentRepository implementation (SQLite here, PostgreSQL in test/services). */
export function repositoryContract(name: string, open: () => Promise<IncidentRepository>): void {
  describe(`IncidentRepository contract: ${name}`, () => {
    let repo: IncidentRepository
    beforeEach(async () => { repo = await open() })
    afterEach(async () => { await repo.close() })

    it('stores a batch with consecutive sequence numbers and reads it back', async () => {
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
      expect((await repo.openAlarms({ level: 'city', code: null }, 10)).map(a => a.id)).toEqual(alarms!.map(a => a.id))
    })

    it('answers changes since a sequence number, limited to a scope', async () => {
      const base = await repo.currentSeq()
      await repo.insertIncidents([...rows(2, LOC_A), ...rows(3, LOC_B)], 'now')
      const all = await repo.changedSince(base, { level: 'city', code: null }, 100)
      expect(all.map(i => i.seq)).toEqual([base + 1, base + 2, base + 3, base + 4, base + 5])
      const b = await repo.changedSince(base + 1, { level: 'district', code: '510105' }, 100)
      expect(b.map(i => i.district)).toEqual(['510105', '510105', '510105'])
      const street = await repo.changedSince(base, { level: 'street', code: '510104001' }, 1)
      expect(street).toHaveLength(1)
    })

    it('lists recent incidents newest first and incidents reported since an instant', async () => {
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
      await repo.insertIncidents([...rows(2, LOC_A), ...rows(1, LOC_B)], 'now')
      const counts = await repo.openCounts(OPEN_STATUSES)
      const a = counts.find(c => c.street === LOC_A.street)
      expect(a?.count).toBeGreaterThanOrEqual(2)
      expect(counts.find(c => c.street === LOC_B.street)?.district).toBe('510105')
    })
  })
}
