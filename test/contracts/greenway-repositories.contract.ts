import { describe, expect, it } from 'vitest'
import type { FootfallRepository } from '../../server/store/contracts/footfall-repository.js'
import type { GreenwayChangeRepository } from '../../server/store/contracts/greenway-change-repository.js'
import { type Open, useStore } from './support.js'

const change = (id: string, atMs: number) => ({ id, kind: 'facility.upsert', target: `f-${id}`, body: `{"id":"${id}"}`, atMs })

/** Greenways and facilities: an append-only change log, replayed in arrival order. */
export function describeGreenwayChangeContract(name: string, open: Open<GreenwayChangeRepository>): void {
  describe(`GreenwayChangeRepository contract: ${name}`, () => {
    const store = useStore(open)

    it('stores each id once and replays changes in arrival order with increasing seq', async () => {
      const repo = store.repo
      expect(repo.changes()).toEqual([])
      expect([...repo.insertChanges([change('b', 2), change('a', 1), change('b', 3)], 'now')]).toEqual(['b', 'a'])
      expect([...repo.insertChanges([change('a', 9), change('c', 4)], 'now')]).toEqual(['c'])
      const replay = repo.changes()
      expect(replay.map(c => [c.id, c.atMs, c.body])).toEqual([['b', 2, '{"id":"b"}'], ['a', 1, '{"id":"a"}'], ['c', 4, '{"id":"c"}']])
      expect(replay[1]!.seq).toBeGreaterThan(replay[0]!.seq)
      expect(replay[2]!.seq).toBeGreaterThan(replay[1]!.seq)
    })
  })
}

/** Footfall readings: one per sensor and time, read back in time order, pruned by age. */
export function describeFootfallContract(name: string, open: Open<FootfallRepository>): void {
  describe(`FootfallRepository contract: ${name}`, () => {
    const store = useStore(open)

    it('answers per row whether it was new (sensor + time is the key) and reads readings since an instant, oldest first', async () => {
      const repo = store.repo
      const r = (sensor: string, atMs: number, count = 5) => ({ sensor, segment: 'gw-1', count, atMs })
      expect(repo.insertReadings([r('s1', 200), r('s2', 100), r('s1', 200, 9)], 'now')).toEqual([true, true, false])
      expect(repo.insertReadings([r('s1', 300), r('s2', 100)], 'now')).toEqual([true, false])
      expect(repo.readingsSince(150)).toEqual([r('s1', 200), r('s1', 300)])
      expect(repo.readingsSince(0).map(x => x.atMs)).toEqual([100, 200, 300])
    })

    it('prunes readings older than an instant and answers how many', async () => {
      const repo = store.repo
      repo.insertReadings([{ sensor: 's', segment: 'g', count: 1, atMs: 10 }, { sensor: 's', segment: 'g', count: 1, atMs: 20 }], 'now')
      expect(repo.pruneReadings(20)).toBe(1)
      expect(repo.pruneReadings(20)).toBe(0)
      expect(repo.readingsSince(0).map(x => x.atMs)).toEqual([20])
    })
  })
}
