import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { SubscribeRequest } from '../../shared/events.js'

// the live store's subscribe requests, answered as the server would: a snapshot at seq 5, or a resume from sinceSeq
const h = vi.hoisted(() => ({ sent: [] as SubscribeRequest[] }))
const aggregates = { day: '2026-12-07', today: { total: 0, byStatus: {}, byCategory: {}, bySource: {}, bySeverity: {}, byUnit: {} }, last24h: { hourStart: '2026-12-06T02:00:00.000Z', counts: [] }, open: 0 }
vi.mock('../../client/services/socket.js', () => ({
  socket: {
    connected: true,
    on: () => undefined,
    off: () => undefined,
    timeout: () => ({
      emitWithAck: async (_event: string, req: SubscribeRequest) => {
        h.sent.push(req)
        const none = { n: 0, cols: {} }
        return req.sinceSeq === undefined
          ? { ok: true, data: { kind: 'snapshot', snapshot: { scope: req.scope, seq: 5, aggregates, recent: none } } }
          : { ok: true, data: { kind: 'resumed', delta: { scope: req.scope, fromSeq: req.sinceSeq + 1, toSeq: req.sinceSeq, incidents: none, aggregates } } }
      },
    }),
  },
}))
vi.mock('../../client/services/server-clock.js', () => ({ serverNow: () => Date.parse('2026-12-07T08:00:00Z') }))
const { useLiveStore } = await import('../../client/stores/live.js')

beforeEach(() => {
  h.sent.length = 0
  setActivePinia(createPinia())
})

/** One (re)subscribe as a view's mount makes it, and its answer applied. */
async function mount(live: ReturnType<typeof useLiveStore>, opts: { brief: boolean }): Promise<SubscribeRequest> {
  live.brief = opts.brief
  live.start('city')
  await vi.waitFor(() => expect(live.state).not.toBeNull())
  await new Promise(r => setTimeout(r, 0))
  return h.sent.at(-1)!
}

describe('the live store after a brief (wall) subscription', () => {
  it('asks a view that draws descriptions for a fresh snapshot, not a resume of what it holds without them', async () => {
    const live = useLiveStore()
    expect(await mount(live, { brief: true })).toEqual({ scope: 'city', brief: true })
    const full = await mount(live, { brief: false })
    expect(full).toEqual({ scope: 'city' }) // no sinceSeq: the brief state is replaced whole
    expect(await mount(live, { brief: false })).toEqual({ scope: 'city', sinceSeq: 5 }) // full now: resumes
  })

  it('resumes as before when nothing brief was held', async () => {
    const live = useLiveStore()
    await mount(live, { brief: false })
    expect(await mount(live, { brief: false })).toEqual({ scope: 'city', sinceSeq: 5 })
    expect(await mount(live, { brief: true })).toEqual({ scope: 'city', sinceSeq: 5, brief: true }) // fewer fields: fine
  })
})
