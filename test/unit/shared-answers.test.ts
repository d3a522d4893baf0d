import { describe, expect, it } from 'vitest'
import { lookupRoute } from '../../server/access/route-table.js'
import { SHARED_ANSWER_PATHS } from '../../server/http/share-answers.js'
import { SharedAnswers } from '../../server/load/shared-answers.js'

// Identical analytics reads share one answer for a bounded time (issue #13: coalesce work), never longer.
describe('SharedAnswers', () => {
  const body = (s: string) => Buffer.from(s)

  it('shares an answer with identical requests that arrive within maxAgeMs of its start, and never after', async () => {
    let now = 1_000
    const answers = new SharedAnswers(500, 10, () => now)
    const first = await answers.join('/kpis?scope=city')
    expect(first.kind).toBe('compute')
    if (first.kind !== 'compute') return
    now += 200 // the computation took 200 ms
    first.settle(body('a'))
    now += 300 // 500 ms after it started: still shared
    const second = await answers.join('/kpis?scope=city')
    expect(second.kind === 'shared' && second.answer.body.toString()).toBe('a')
    now += 1 // 501 ms: too old
    expect((await answers.join('/kpis?scope=city')).kind).toBe('compute')
    expect((await answers.join('/kpis?scope=district:510104')).kind).toBe('compute')
    expect(answers.stats()).toMatchObject({ computed: 1, shared: 1 })
  })

  it('makes identical requests wait for an answer being computed instead of computing it again', async () => {
    const answers = new SharedAnswers(1_000)
    const leader = await answers.join('k')
    const followers = Promise.all([answers.join('k'), answers.join('k')])
    if (leader.kind !== 'compute') throw new Error('the first request computes')
    leader.settle(body('x'))
    const got = await followers
    expect(got.map(g => g.kind === 'shared' && g.answer.body.toString())).toEqual(['x', 'x'])
  })

  it('shares no failure: those waiting on a failed computation compute afresh', async () => {
    const answers = new SharedAnswers(1_000)
    const leader = await answers.join('k')
    const follower = answers.join('k')
    if (leader.kind !== 'compute') throw new Error('the first request computes')
    leader.settle(null)
    expect((await follower).kind).toBe('compute')
    expect(answers.stats()).toMatchObject({ shared: 0, entries: 0 })
  })

  it('keeps at most maxEntries answers, dropping the least recently stored', async () => {
    const answers = new SharedAnswers(60_000, 2)
    for (const k of ['a', 'b', 'c']) {
      const j = await answers.join(k)
      if (j.kind === 'compute') j.settle(body(k))
    }
    expect(answers.stats().entries).toBe(2)
    expect((await answers.join('a')).kind).toBe('compute')
    expect((await answers.join('c')).kind).toBe('shared')
  })

  it('drops answers too old to share when it stores the next one', async () => {
    let now = 0
    const answers = new SharedAnswers(100, 10, () => now)
    const a = await answers.join('a')
    if (a.kind === 'compute') a.settle(body('a'))
    now = 500
    const b = await answers.join('b')
    if (b.kind === 'compute') b.settle(body('b'))
    expect(answers.stats().entries).toBe(1)
  })

  it('is off at 0 ms', async () => {
    const answers = new SharedAnswers(0)
    expect(answers.enabled).toBe(false)
  })

  it('only shares answers that carry no personal data (one caller\'s answer may go to another)', () => {
    for (const path of SHARED_ANSWER_PATHS) {
      const found = lookupRoute('GET', path)
      expect(found.kind, path).toBe('found')
      if (found.kind === 'found') expect(found.match.rule.personal, path).toBeUndefined()
    }
  })
})
