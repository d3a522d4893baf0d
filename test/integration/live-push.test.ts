import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ScopeDelta } from '../../shared/events.js'
import { unpackDelta } from '../../shared/live-wire.js'
import { api, client, inputIn, post, type Running, startApp, subscribe, waitForIncident } from './harness.js'

let s: Running
beforeAll(async () => { s = await startApp() })
afterAll(async () => { await s.stop() })

describe('live scopes over Socket.IO', () => {
  it('sends a snapshot, then a POSTed incident as a delta', async () => {
    const c = client(s.url)
    try {
      const first = await subscribe(c, { scope: 'city' })
      expect(first.kind).toBe('snapshot')
      const a = inputIn(s.app, '510104')
      const arrived = waitForIncident(c, a.id)
      await post(s.url, { events: [a] })
      await arrived
    } finally {
      c.close()
    }
  })

  it('limits a district subscriber to its district', async () => {
    const c = client(s.url)
    const seen: ScopeDelta[] = []
    try {
      await subscribe(c, { scope: 'district:510104' })
      c.on('scope:delta', d => seen.push(unpackDelta(d)))
      const inside = inputIn(s.app, '510104')
      const outside = inputIn(s.app, '510105')
      const arrived = waitForIncident(c, inside.id)
      await post(s.url, { events: [outside, inside] })
      await arrived
      await new Promise(r => setTimeout(r, 400))
      const ids = seen.flatMap(d => d.incidents.map(i => i.id))
      expect(ids).toContain(inside.id)
      expect(ids).not.toContain(outside.id)
      expect(seen.every(d => d.scope === 'district:510104' && d.incidents.every(i => i.district === '510104'))).toBe(true)
      expect(seen.at(-1)!.aggregates.today.total).toBeGreaterThanOrEqual(1)
    } finally {
      c.close()
    }
  })

  it('refuses unknown scopes with a clear error', async () => {
    const c = client(s.url)
    try {
      const res = await c.timeout(3000).emitWithAck('scope:subscribe', { scope: 'district:999999' })
      expect(res).toMatchObject({ ok: false, error: 'unknown scope', details: [{ path: 'scope' }] })
      const bad = await c.timeout(3000).emitWithAck('scope:subscribe', { scope: 'planet' })
      expect(bad).toMatchObject({ ok: false, error: 'invalid scope' })
    } finally {
      c.close()
    }
  })

  it('resumes after a disconnect with exactly the missed changes, no gap and no duplicate', async () => {
    const c = client(s.url)
    const snap = await subscribe(c, { scope: 'city' })
    if (snap.kind !== 'snapshot') throw new Error('expected snapshot')
    let lastSeq = snap.snapshot.seq
    const warm = inputIn(s.app, '510104')
    const got = waitForIncident(c, warm.id)
    c.on('scope:delta', d => { lastSeq = Math.max(lastSeq, d.toSeq) })
    await post(s.url, { events: [warm] })
    await got
    c.close()

    const missed = [inputIn(s.app, '510106'), inputIn(s.app, '510107'), inputIn(s.app, '510108')]
    await post(s.url, { events: missed })

    const again = client(s.url)
    try {
      const res = await subscribe(again, { scope: 'city', sinceSeq: lastSeq })
      expect(res.kind).toBe('resumed')
      if (res.kind !== 'resumed') return
      expect(res.delta.fromSeq).toBe(lastSeq + 1)
      expect(res.delta.incidents.map(i => i.id)).toEqual(missed.map(m => m.id))
      expect(res.delta.toSeq).toBe(lastSeq + 3)
    } finally {
      again.close()
    }
  })

  it('sends a fresh snapshot when the client is too far behind', async () => {
    const c = client(s.url)
    try {
      const res = await subscribe(c, { scope: 'city', sinceSeq: 0 })
      // fewer than maxCatchUp changes exist here, so a resume from 0 is still a delta…
      expect(res.kind).toBe('resumed')
      const future = await subscribe(c, { scope: 'city', sinceSeq: 1_000_000 })
      // …while a seq from the future (e.g. another database) gets a snapshot
      expect(future.kind).toBe('snapshot')
    } finally {
      c.close()
    }
  })

  it('never sends reporter personal data to live clients', async () => {
    const c = client(s.url)
    try {
      await subscribe(c, { scope: 'city' })
      const a = inputIn(s.app, '510104', { reporter: { name: '赵六', phone: '13800138000' } })
      const payloads: string[] = []
      c.on('scope:delta', d => payloads.push(JSON.stringify(d)))
      const arrived = waitForIncident(c, a.id)
      await post(s.url, { events: [a] })
      await arrived
      expect(payloads.join('')).not.toContain('13800138000')
      expect(payloads.join('')).not.toContain('赵六')
    } finally {
      c.close()
    }
  })
})

describe('restart', () => {
  it('keeps stored incidents and today\'s counts', async () => {
    const a = inputIn(s.app, '510104')
    await post(s.url, { events: [a] })
    const before = s.app.aggregates.get('city')
    s = await s.restart()
    const got = await api(s, `/api/v1/incidents/${a.id}`)
    expect(got.status).toBe(200)
    const after = s.app.aggregates.get('city')
    expect(after.today.total).toBe(before.today.total)
    expect(after.open).toBe(before.open)
    const dup = await post(s.url, { events: [a] })
    expect(dup.body.results).toEqual([{ id: a.id, status: 'duplicate' }])
  })
})
