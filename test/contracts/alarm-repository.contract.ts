import { describe, expect, it } from 'vitest'
import type { AlarmRepository, CaseRepository, NewAlarm } from '../../server/store/repository.js'
import { CITY, LOC_A, LOC_B, type Open, rows, step, useStore } from './support.js'

type Repo = AlarmRepository & Pick<CaseRepository, 'insertIncidents' | 'applyCaseChange'>

const alarm = (key: string, loc = LOC_A, patch: Partial<NewAlarm> = {}): NewAlarm => ({
  key, kind: 'critical', incidentId: null, category: '0102', ...loc, lon: 104.06, lat: 30.65, count: 1, raisedAt: '2026-11-24T02:00:00.000Z', ...patch,
})

/** Alarms: once per key, acknowledged once, resolved with their source; what a missing id answers. */
export function describeAlarmContract(name: string, open: Open<Repo>): void {
  describe(`AlarmRepository contract: ${name}`, () => {
    const store = useStore(open)

    it('raises a key once, across calls and within a batch, and returns only what it stored', async () => {
      const repo = store.repo
      expect(await repo.raiseAlarms([])).toEqual([])
      const first = await repo.raiseAlarms([alarm('k1'), alarm('k2'), alarm('k1')])
      expect(first.map(a => a.category)).toHaveLength(2)
      expect(first[1]!.id).toBeGreaterThan(first[0]!.id)
      const second = await repo.raiseAlarms([alarm('k1'), alarm('k3', LOC_B)])
      expect(second).toHaveLength(1)
      expect(second[0]).toMatchObject({ kind: 'critical', district: LOC_B.district, count: 1, raisedAt: '2026-11-24T02:00:00.000Z' })
      expect(second[0]!.ackedAt).toBeUndefined()
    })

    it('lists open alarms in scope oldest first; an acknowledged one leaves the list, a second ack answers already', async () => {
      const repo = store.repo
      const [a, b, c] = await repo.raiseAlarms([alarm('a'), alarm('b', LOC_B), alarm('c')])
      expect((await repo.openAlarms(CITY, 10)).map(x => x.id)).toEqual([a!.id, b!.id, c!.id])
      expect((await repo.openAlarms({ level: 'district', code: LOC_A.district }, 1)).map(x => x.id)).toEqual([a!.id])
      const acked = await repo.ackAlarm(a!.id, 'user:ops', '2026-11-24T03:00:00.000Z')
      expect(acked).toMatchObject({ kind: 'acked', alarm: { id: a!.id, ackedBy: 'user:ops', ackedAt: '2026-11-24T03:00:00.000Z' } })
      expect(await repo.ackAlarm(a!.id, 'user:other', '2026-11-24T04:00:00.000Z')).toMatchObject({ kind: 'already', alarm: { ackedBy: 'user:ops' } })
      expect(await repo.ackAlarm(999_999, 'user:ops', 'now')).toEqual({ kind: 'not-found' })
      expect((await repo.openAlarms(CITY, 10)).map(x => x.id)).toEqual([b!.id, c!.id])
      expect(await repo.getAlarm(a!.id)).toMatchObject({ id: a!.id, ackedBy: 'user:ops' })
      expect(await repo.getAlarm(999_999)).toBeNull()
    })

    it('resolves every unresolved alarm of a source once', async () => {
      const repo = store.repo
      const device = { kind: 'device_offline' as const, category: '', sourceId: 'device:m1', sourceLabel: 'M1' }
      await repo.raiseAlarms([alarm('off:1', LOC_A, device), alarm('off:2', LOC_A, device), alarm('other')])
      const resolved = await repo.resolveSourceAlarms('device:m1', '2026-11-24T05:00:00.000Z')
      expect(resolved.map(a => [a.sourceId, a.resolvedAt])).toEqual([['device:m1', '2026-11-24T05:00:00.000Z'], ['device:m1', '2026-11-24T05:00:00.000Z']])
      expect(await repo.resolveSourceAlarms('device:m1', 'later')).toEqual([])
      expect((await repo.openAlarms(CITY, 10)).map(a => a.category)).toEqual(['0102'])
    })

    it('finds dispatched cases past their deadline until their overdue alarm is raised', async () => {
      const repo = store.repo
      const { stored: [late, early, fine] } = await repo.insertIncidents(rows(3), 'now')
      const dispatch = (i: typeof late, deadline: string) => repo.applyCaseChange(step(i!, 'dispatched', { department: '环卫', deadline }))
      await dispatch(late, '2026-11-24T06:00:00.000Z')
      await dispatch(early, '2026-11-24T05:00:00.000Z')
      await dispatch(fine, '2026-11-24T09:00:00.000Z')
      const now = '2026-11-24T07:00:00.000Z'
      expect((await repo.overdueWithoutAlarm(now, 10)).map(i => i.id)).toEqual([early!.id, late!.id])
      await repo.raiseAlarms([alarm(`overdue:${early!.id}:2026-11-24T05:00:00.000Z`, LOC_A, { kind: 'overdue', incidentId: early!.id })])
      expect((await repo.overdueWithoutAlarm(now, 10)).map(i => i.id)).toEqual([late!.id])
    })
  })
}
