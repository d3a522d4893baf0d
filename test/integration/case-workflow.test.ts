import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ActResult, ScopeDelta } from '../../shared/events.js'
import { api, client, inputIn, nextEvent, post, type Running, startApp, subscribe, TEST_ADMIN } from './harness.js'

let s: Running
beforeAll(async () => { s = await startApp() })
afterAll(async () => { await s.stop() })

async function act(id: string, body: Record<string, unknown>) {
  const res = await api(s, `/api/v1/incidents/${id}/actions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ actor: 'op-1', ...body }) })
  return { status: res.status, body: await res.json() as Record<string, unknown> }
}

async function newCase(patch = {}) {
  const input = inputIn(s.app, '510104', patch)
  await post(s.url, { events: [input] })
  return input.id
}

describe('case workflow over HTTP', () => {
  it('moves a case from report to close, with rework, deadline, department and an audit row per step', async () => {
    const id = await newCase({ category: '0102' })
    const steps: [Record<string, unknown>, string][] = [
      [{ action: 'file' }, 'filed'],
      [{ action: 'dispatch' }, 'dispatched'],
      [{ action: 'handle' }, 'handled'],
      [{ action: 'verify-fail', reason: '现场仍有垃圾' }, 'dispatched'],
      [{ action: 'handle' }, 'handled'],
      [{ action: 'verify-pass' }, 'verified'],
      [{ action: 'close' }, 'closed'],
    ]
    let version = 1
    for (const [body, status] of steps) {
      const res = await act(id, { ...body, version })
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      expect(res.body).toMatchObject({ status, version: version + 1 })
      version += 1
    }
    const done = await (await api(s, `/api/v1/incidents/${id}`)).json() as Record<string, unknown>
    expect(done).toMatchObject({ status: 'closed', department: '环卫', reworkCount: 1 })
    expect(Date.parse(String(done.deadline))).toBeGreaterThan(Date.parse(String(done.receivedAt)))
    const events = await (await api(s, `/api/v1/incidents/${id}/events`)).json() as { action: string, from: string, to: string, actor: string, note?: string }[]
    expect(events.map(e => `${e.from}>${e.to}`)).toEqual(['reported>filed', 'filed>dispatched', 'dispatched>handled', 'handled>dispatched', 'dispatched>handled', 'handled>verified', 'verified>closed'])
    expect(events[3]).toMatchObject({ action: 'verify-fail', actor: TEST_ADMIN, note: '现场仍有垃圾' }) // the session's user, not the body's actor
  })

  it('refuses an illegal transition with 409 naming the current state and what is allowed', async () => {
    const id = await newCase()
    const res = await act(id, { action: 'handle', version: 1 })
    expect(res.status).toBe(409)
    expect(res.body.error).toBe('cannot handle a case that is reported')
    // the default test report is a grid worker's: 自行处置 is on offer too
    expect(res.body.allowed).toEqual(['file', 'reject', 'comment', 'self-handle'])
  })

  it('requires a reason to reject and names the field', async () => {
    const id = await newCase()
    const res = await act(id, { action: 'reject', version: 1 })
    expect(res.status).toBe(400)
    expect((res.body.details as { path: string }[])[0]!.path).toBe('reason')
  })

  it('refuses a stale version with 409 and the fresh case', async () => {
    const id = await newCase()
    expect((await act(id, { action: 'file', version: 1 })).status).toBe(200)
    const res = await act(id, { action: 'dispatch', version: 1 })
    expect(res.status).toBe(409)
    expect(res.body.current).toMatchObject({ id, status: 'filed', version: 2 })
  })

  it('lets exactly one of two conflicting actions win', async () => {
    const id = await newCase()
    const [a, b] = await Promise.all([act(id, { action: 'file', version: 1 }), act(id, { action: 'reject', version: 1, reason: '重复上报' })])
    expect([a.status, b.status].sort()).toEqual([200, 409])
    const events = await (await api(s, `/api/v1/incidents/${id}/events`)).json() as unknown[]
    expect(events).toHaveLength(1)
  })

  it('answers 404 for an unknown case', async () => {
    expect((await act('nope', { action: 'file', version: 1 })).status).toBe(404)
  })

  it('keeps live counts in step: filing moves today\'s status count, closing a case leaves the open total', async () => {
    const id = await newCase()
    const before = s.app.aggregates.get('city')
    await act(id, { action: 'reject', version: 1, reason: '非城管职责' })
    const after = s.app.aggregates.get('city')
    expect(after.open).toBe(before.open - 1)
    expect(after.today.byStatus.rejected ?? 0).toBe((before.today.byStatus.rejected ?? 0) + 1)
  })
})

describe('case workflow over Socket.IO', () => {
  it('acks the action and every subscriber sees the new state', async () => {
    const id = await newCase()
    const a = client(s.url)
    const b = client(s.url)
    try {
      await subscribe(a, { scope: 'city' })
      await subscribe(b, { scope: 'district:510104' })
      const seen = nextEvent<ScopeDelta>(b, 'scope:delta', d => d.incidents.some(i => i.id === id && i.status === 'filed'))
      const res: ActResult = await a.timeout(3000).emitWithAck('incident:act', { id, action: 'file', version: 1, actor: 'op-2' })
      expect(res).toMatchObject({ ok: true, data: { id, status: 'filed', version: 2 } })
      await seen
      const stale: ActResult = await a.timeout(3000).emitWithAck('incident:act', { id, action: 'dispatch', version: 1, actor: 'op-2' })
      expect(stale).toMatchObject({ ok: false, status: 409, current: { status: 'filed', version: 2 } })
    } finally {
      a.close()
      b.close()
    }
  })
})

describe('restart', () => {
  it('keeps workflow state and the open total', async () => {
    const id = await newCase()
    await act(id, { action: 'file', version: 1 })
    const open = s.app.aggregates.get('city').open
    s = await s.restart()
    expect(((await (await api(s, `/api/v1/incidents/${id}`)).json()) as { status: string }).status).toBe('filed')
    expect(s.app.aggregates.get('city').open).toBe(open)
  })
})
