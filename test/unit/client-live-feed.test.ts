import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { diffLists } from '../../client/live/live-diff.js'
import { type LiveChange, LiveFeed, type LiveFeedDeps } from '../../client/live/live-feed.js'
import { batchOf } from '../../client/map/map-points.js'
import type { ScopeAggregates } from '../../shared/aggregates.js'
import type { ScopeDelta, ScopeSnapshot, SubscribeResult } from '../../shared/events.js'
import { type IncidentSummary, toSummary } from '../../shared/incident.js'
import { makeIncident } from '../fixtures/incidents.js'

const agg = (total: number): ScopeAggregates => ({
  day: '2026-11-24', open: total, last24h: { hourStart: '2026-11-23T03:00:00.000Z', counts: new Array(24).fill(0) },
  today: { total, byStatus: {}, byCategory: {}, bySource: {}, bySeverity: {}, byUnit: {} },
})
const inc = (seq: number, id = `i${seq}`, patch: Partial<IncidentSummary> = {}): IncidentSummary => ({ ...toSummary(makeIncident({ id, seq })), ...patch })
const delta = (fromSeq: number, toSeq: number, incidents: IncidentSummary[]): ScopeDelta => ({ scope: 'city', fromSeq, toSeq, incidents, aggregates: agg(toSeq) })
const snapshot = (seq: number, recent: IncidentSummary[]): ScopeSnapshot => ({ scope: 'city', seq, aggregates: agg(seq), recent })

/** A feed whose server answers from a queue of results; every call is recorded. */
function setUp(opts: { cap?: number, calm?: boolean } = {}) {
  const answers: SubscribeResult[] = []
  const calls: { scope: string, sinceSeq: number | undefined }[] = []
  const failures: string[] = []
  let release: (() => void) | null = null
  let hold = false
  const deps: LiveFeedDeps = {
    cap: opts.cap ?? 10,
    async subscribe(scope, sinceSeq) {
      calls.push({ scope, sinceSeq })
      if (hold) await new Promise<void>((resolve) => { release = resolve })
      const data = answers.shift()
      return data ? { ok: true, data } : { ok: false, error: 'no answer' }
    },
    failed: m => failures.push(m),
    calm: () => opts.calm ?? false,
    untilNextSecond: () => 1000 - (Date.now() % 1000),
  }
  const feed = new LiveFeed('city', deps)
  const changes: LiveChange[] = []
  feed.listen(c => changes.push(c))
  return {
    feed, answers, calls, failures, changes,
    holdAnswers: () => { hold = true },
    releaseAnswer: () => { hold = false; release?.() },
  }
}

describe('the client live feed', () => {
  it('starts from a snapshot: listeners hear every id added, and no arrivals', async () => {
    const t = setUp()
    t.answers.push({ kind: 'snapshot', snapshot: snapshot(10, [inc(9), inc(10)]) })
    await t.feed.subscribe()
    expect(t.calls).toEqual([{ scope: 'city', sinceSeq: undefined }])
    expect(t.changes).toHaveLength(1)
    expect(t.changes[0]).toMatchObject({ kind: 'subscribed' })
    expect(t.changes[0]!.diff.added.map(i => i.id)).toEqual(['i10', 'i9'])
    expect(t.changes[0]!.diff.arrivals).toEqual([])
  })

  it('hands deltas on as diffs in order, with arrivals taken from the delta', async () => {
    const t = setUp({ cap: 3 })
    t.answers.push({ kind: 'snapshot', snapshot: snapshot(10, [inc(8), inc(9, 'i9', { status: 'filed' }), inc(10)]) })
    await t.feed.subscribe()
    t.feed.onDelta(delta(11, 12, [inc(11), inc(12, 'i9', { status: 'dispatched' })]))
    const c = t.changes.at(-1)!
    expect(c.kind).toBe('deltas')
    expect(c.diff.added.map(i => i.id)).toEqual(['i11'])
    expect(c.diff.updated.map(i => [i.id, i.status])).toEqual([['i9', 'dispatched']])
    // the cap pushed the oldest change out: the map drops its point
    expect(c.diff.removed).toEqual(['i8'])
    expect(c.diff.arrivals.map(i => i.id)).toEqual(['i11'])
    expect(c.deltas.map(d => d.toSeq)).toEqual([12])
    expect(t.feed.state!.seq).toBe(12)
  })

  it('detects a gap, resubscribes from the last applied seq, and holds pushes until the answer', async () => {
    const t = setUp()
    t.answers.push({ kind: 'snapshot', snapshot: snapshot(10, [inc(10)]) })
    await t.feed.subscribe()
    t.holdAnswers()
    t.answers.push({ kind: 'resumed', delta: delta(11, 14, [inc(11), inc(14)]) })
    t.feed.onDelta(delta(13, 14, [inc(14)])) // 11..12 missed
    expect(t.calls.at(-1)).toEqual({ scope: 'city', sinceSeq: 10 })
    t.feed.onDelta(delta(15, 15, [inc(15)])) // arrives while the resync is in flight: held
    expect(t.feed.state!.seq).toBe(10)
    const pending = t.feed.pending!
    t.releaseAnswer()
    await pending
    expect(t.changes.map(c => c.kind)).toEqual(['subscribed', 'subscribed', 'deltas'])
    expect(t.feed.state!.seq).toBe(15)
    expect(t.feed.state!.incidents.map(i => i.id)).toEqual(['i15', 'i14', 'i11', 'i10'])
    expect(t.calls).toHaveLength(2)
  })

  it('applies the deltas before a gap and hands on only those', async () => {
    const t = setUp()
    t.answers.push({ kind: 'snapshot', snapshot: snapshot(10, [inc(10)]) }, { kind: 'snapshot', snapshot: snapshot(20, [inc(20)]) })
    await t.feed.subscribe()
    t.feed.setPaced(true)
    t.feed.onDelta(delta(11, 11, [inc(11)]))
    expect(t.changes).toHaveLength(2) // not calm: applied at once
    t.feed.onDelta(delta(15, 16, [inc(16)]))
    await t.feed.pending
    // the resync answered with a snapshot: the map hears what it replaced, no arrivals
    const last = t.changes.at(-1)!
    expect(last).toMatchObject({ kind: 'subscribed' })
    expect(last.diff).toMatchObject({ added: [expect.objectContaining({ id: 'i20' })], removed: ['i11', 'i10'], arrivals: [] })
  })

  it('takes a snapshot the server pushes, and ignores other scopes and stale deltas', async () => {
    const t = setUp()
    t.answers.push({ kind: 'snapshot', snapshot: snapshot(10, [inc(10)]) })
    await t.feed.subscribe()
    t.feed.onDelta({ ...delta(11, 11, [inc(11)]), scope: 'district:510104' })
    t.feed.onDelta(delta(5, 9, []))
    expect(t.changes).toHaveLength(1)
    t.feed.onSnapshot(snapshot(30, [inc(30), inc(10)]))
    expect(t.changes.at(-1)).toMatchObject({ kind: 'snapshot', diff: { removed: [], arrivals: [] } })
    expect(t.feed.state!.seq).toBe(30)
  })

  it('clears on a scope switch: every held id removed', async () => {
    const t = setUp()
    t.answers.push({ kind: 'snapshot', snapshot: snapshot(10, [inc(9), inc(10)]) })
    await t.feed.subscribe()
    t.feed.switchTo('district:510104')
    expect(t.changes.at(-1)).toMatchObject({ kind: 'cleared', state: null, diff: { removed: ['i10', 'i9'] } })
    t.feed.onDelta(delta(11, 11, [inc(11)]))
    expect(t.changes).toHaveLength(2)
  })

  it('reports a failed subscribe and keeps what it held', async () => {
    const t = setUp()
    await t.feed.subscribe()
    expect(t.failures).toEqual(['no answer'])
    expect(t.feed.state).toBeNull()
  })
})

describe('the live feed paced for a calm wall', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(new Date('2026-11-24T08:00:00.300Z'))
  })
  afterEach(() => { vi.useRealTimers() })

  /** A calm, paced feed at seq 10 with delta 11 waiting for the tick. */
  async function pacedWithOneQueued() {
    const t = setUp({ calm: true })
    t.answers.push({ kind: 'snapshot', snapshot: snapshot(10, [inc(10)]) })
    await t.feed.subscribe()
    t.feed.setPaced(true)
    t.feed.onDelta(delta(11, 11, [inc(11)]))
    return t
  }

  it('applies a second of deltas together on the clock tick, as one diff', async () => {
    const t = await pacedWithOneQueued()
    vi.advanceTimersByTime(250)
    t.feed.onDelta(delta(12, 13, [inc(12), inc(13, 'i11', { status: 'filed' })]))
    expect(t.changes).toHaveLength(1)
    vi.advanceTimersByTime(449) // 08:00:00.999
    expect(t.changes).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(t.changes).toHaveLength(2)
    const c = t.changes[1]!
    expect(c.deltas.map(d => d.toSeq)).toEqual([11, 13])
    // i11 arrived and changed within the second: one add with its latest state, still an arrival only if reported
    expect(c.diff.added.map(i => [i.id, i.status])).toEqual([['i11', 'filed'], ['i12', 'reported']])
    expect(c.diff.arrivals.map(i => i.id)).toEqual(['i12'])
    expect(c.diff.updated).toEqual([])
  })

  it('flushes what waits when pacing stops, and applies at once when unpaced', async () => {
    const t = await pacedWithOneQueued()
    t.feed.setPaced(false)
    expect(t.feed.state!.seq).toBe(11)
    t.feed.onDelta(delta(12, 12, [inc(12)]))
    expect(t.feed.state!.seq).toBe(12)
    vi.advanceTimersByTime(2000)
    expect(t.changes).toHaveLength(3)
  })
})

describe('the diff handed to the map', () => {
  it('lists what changed by id and becomes a compact point batch', () => {
    const before = [inc(3, 'a'), inc(2, 'b'), inc(1, 'c')]
    const after = [inc(5, 'd', { lon: 104.1, lat: 30.7, severity: 'critical' }), inc(4, 'a', { status: 'filed' }), inc(2, 'b')]
    const touched = new Map([['d', after[0]!], ['a', after[1]!]])
    const diff = diffLists(before, after, touched)
    expect(diff.added.map(i => i.id)).toEqual(['d'])
    expect(diff.updated.map(i => i.id)).toEqual(['a'])
    expect(diff.removed).toEqual(['c'])
    expect(diff.arrivals.map(i => i.id)).toEqual(['d'])
    expect(batchOf(diff)).toEqual({ ids: ['d', 'a'], lon: [104.1, after[1]!.lon], lat: [30.7, after[1]!.lat], severity: [3, 1], removed: ['c'] })
  })

  it('compares seqs when a snapshot replaced the list (nothing touched), and never lists arrivals then', () => {
    const diff = diffLists([inc(3, 'a'), inc(2, 'b')], [inc(4, 'a'), inc(2, 'b'), inc(1, 'z')])
    expect(diff.updated.map(i => i.id)).toEqual(['a'])
    expect(diff.added.map(i => i.id)).toEqual(['z'])
    expect(diff.arrivals).toEqual([])
  })
})
