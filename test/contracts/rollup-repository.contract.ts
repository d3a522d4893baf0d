import { describe, expect, it } from 'vitest'
import { HOUR_MS } from '../../shared/analysis.js'
import type { CaseRepository, RollupFacts, RollupRepository } from '../../server/store/repository.js'
import { LOC_A, LOC_B, type Open, rows, step, useStore } from './support.js'

type Repo = RollupRepository & Pick<CaseRepository, 'insertIncidents' | 'applyCaseChange'>

const T0 = Date.parse('2026-11-24T01:00:00.000Z')
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString()
const day = { fromMs: T0, toMs: T0 + 24 * HOUR_MS }

/** The drill-down's rollup and raw reads: what the in-memory cube loads, hears and pages through. */
export function describeRollupContract(name: string, open: Open<Repo>): void {
  describe(`RollupRepository contract: ${name}`, () => {
    const store = useStore(open)

    it('is empty at first; after a flush it holds one row per key, which the visitor reads', async () => {
      const repo = store.repo
      expect(await repo.rollupHours()).toBeNull()
      expect(await repo.eachRollupRow(0, 1e9, () => undefined)).toBe(0)
      await repo.insertIncidents([...rows(2, LOC_A, { reportedAt: at(10) }), ...rows(1, LOC_B, { reportedAt: at(70), category: '0201' })], 'now')
      await repo.flushRollup()
      const hour = T0 / HOUR_MS
      expect(await repo.rollupHours()).toEqual([hour, hour + 1])
      const seen: [number, string, string, string, string, string, number][] = []
      const n = await repo.eachRollupRow(hour, hour + 2, (h, cell, category, _source, status, department, _onTime, _community, _street, district, count) => {
        seen.push([h, cell, category, status, department, district, count])
      })
      expect(n).toBe(2)
      expect(seen.sort((a, b) => a[0] - b[0])).toEqual([
        [hour, LOC_A.cell, '0102', 'reported', '', LOC_A.district, 2],
        [hour + 1, LOC_B.cell, '0201', 'reported', '', LOC_B.district, 1],
      ])
      expect(await repo.eachRollupRow(hour + 1, hour + 2, () => undefined)).toBe(1)
    })

    it('changes its version with every write', async () => {
      const repo = store.repo
      const v0 = await repo.rollupVersion()
      const { stored: [i] } = await repo.insertIncidents(rows(1), 'now')
      const v1 = await repo.rollupVersion()
      await repo.applyCaseChange(step(i!, 'filed'))
      const v2 = await repo.rollupVersion()
      expect(new Set([v0, v1, v2]).size).toBe(3)
      expect(await repo.rollupVersion()).toBe(v2)
    })

    it('tells listeners after commit: +1 for a new case, −1 and +1 when a step moves its key; unsubscribe stops it', async () => {
      const repo = store.repo
      const heard: [Pick<RollupFacts, 'status' | 'department'>, number][] = []
      const stop = repo.watchRollup((f, sign) => heard.push([{ status: f.status, ...(f.department !== undefined && { department: f.department }) }, sign]))
      const { stored: [i] } = await repo.insertIncidents(rows(1), 'now')
      const filed = await repo.applyCaseChange(step(i!, 'filed'))
      expect(heard).toEqual([[{ status: 'reported' }, 1], [{ status: 'reported' }, -1], [{ status: 'filed' }, 1]])
      stop()
      if (filed.kind === 'applied') await repo.applyCaseChange(step(filed.incident, 'dispatched', { department: '环卫' }))
      expect(heard).toHaveLength(3)
    })

    it('reads points oldest first up to a limit, and pages of incidents in the asked order, within area and filters', async () => {
      const repo = store.repo
      const a = rows(3, LOC_A, { reportedAt: at(30) }).map((r, k) => ({ ...r, input: { ...r.input, reportedAt: at(30 - k * 10) } }))
      await repo.insertIncidents([...a, ...rows(1, LOC_B, { reportedAt: at(5) }), ...rows(1, LOC_A, { reportedAt: at(-60) })], 'now')
      const q = { area: { district: LOC_A.district }, ...day, filters: {} }
      const points = await repo.analysisPoints(q, 2)
      expect(points).toMatchObject({ truncated: true, ids: [a[2]!.input.id, a[1]!.input.id], t: [T0 + 10 * 60_000, T0 + 20 * 60_000] })
      expect((await repo.analysisPoints(q, 3)).truncated).toBe(false)
      const page = (offset: number, desc: boolean) => repo.analysisIncidents({ ...q, sort: 'reportedAt', desc, offset, limit: 2 })
      expect((await page(0, true)).map(i => i.id)).toEqual([a[0]!.input.id, a[1]!.input.id])
      expect((await page(2, true)).map(i => i.id)).toEqual([a[2]!.input.id])
      expect((await page(0, false)).map(i => i.id)).toEqual([a[2]!.input.id, a[1]!.input.id])
      const other = await repo.analysisIncidents({ ...q, area: { communities: [LOC_B.community] }, sort: 'reportedAt', desc: true, offset: 0, limit: 10 })
      expect(other.map(i => i.district)).toEqual([LOC_B.district])
      expect(await repo.analysisIncidents({ ...q, filters: { category: '0201' }, sort: 'category', desc: false, offset: 0, limit: 10 })).toEqual([])
    })
  })
}
