import { describe, expect, it } from 'vitest'
import { mulberry32 } from '../../shared/random.js'
import { DueQueue } from '../../server/time/due-queue.js'

interface Step { id: string, at: number, n: number }

describe('due queue (the department simulator\'s schedule)', () => {
  it('takes due steps earliest first, up to a limit, leaving the rest', () => {
    const q = new DueQueue<Step>()
    for (const [id, at] of [['a', 30], ['b', 10], ['c', 20], ['d', 99]] as const) q.set({ id, at, n: 0 })
    expect(q.takeDue(25, 10).map(s => s.id)).toEqual(['b', 'c'])
    expect(q.takeDue(50, 10).map(s => s.id)).toEqual(['a'])
    expect(q.size).toBe(1)
    expect(q.takeDue(100, 0)).toEqual([])
    expect(q.takeDue(100, 1).map(s => s.id)).toEqual(['d'])
  })

  it('keeps only the latest step of a case, and none of a deleted one', () => {
    const q = new DueQueue<Step>()
    q.set({ id: 'a', at: 5, n: 1 })
    q.set({ id: 'a', at: 50, n: 2 })
    q.set({ id: 'b', at: 6, n: 1 })
    q.delete('b')
    expect(q.takeDue(10, 10)).toEqual([])
    expect(q.takeDue(60, 10)).toEqual([{ id: 'a', at: 50, n: 2 }])
    expect(q.has('a')).toBe(false)
  })

  it('agrees with filter-and-sort over random schedules, reschedules and deletions', () => {
    const rnd = mulberry32(7)
    const q = new DueQueue<Step>()
    const model = new Map<string, Step>()
    let t = 0
    for (let round = 0; round < 200; round++) {
      for (let k = 0; k < 50; k++) {
        const id = `c${Math.floor(rnd() * 400)}`
        if (rnd() < 0.1) {
          q.delete(id)
          model.delete(id)
          continue
        }
        const step = { id, at: t + Math.floor(rnd() * 1000), n: round }
        q.set(step)
        model.set(id, step)
      }
      t += 100
      const limit = 1 + Math.floor(rnd() * 30)
      const expected = [...model.values()].filter(s => s.at <= t).sort((a, b) => a.at - b.at).slice(0, limit)
      const got = q.takeDue(t, limit)
      expect(got.map(s => s.at)).toEqual(expected.map(s => s.at))
      for (const s of got) model.delete(s.id)
      expect(q.size).toBe(model.size)
    }
  })
})
