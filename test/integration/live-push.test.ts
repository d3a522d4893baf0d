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

  it('refuses a bad keep naming the field, and sends a keeping subscriber only the newest changes of a range', async () => {
    const c = client(s.url)
    const wall = client(s.url)
    try {
      for (const keep of [0, 1.5, 100_000, 'all']) {
        const res = await c.timeout(3000).emitWithAck('scope:subscribe', { scope: 'city', keep: keep as number })
        expect(res).toMatchObject({ ok: false, error: 'invalid keep', details: [{ path: 'keep' }] })
      }
      const full = await subscribe(c, { scope: 'city' })
      const kept = await subscribe(wall, { scope: 'city', keep: 2 })
      if (full.kind !== 'snapshot' || kept.kind !== 'snapshot') throw new Error('expected snapshots')
      const batch = ['510104', '510105', '510106', '510107'].map(d => inputIn(s.app, d))
      const last = batch.at(-1)!.id
      // one batch, one commit: both get it in one delta (or, on a slow machine, a few: what counts is the sum)
      const deltas = (client: typeof c) => new Promise<ScopeDelta[]>((resolve) => {
        const got: ScopeDelta[] = []
        client.on('scope:delta', (w) => {
          const d = unpackDelta(w)
          got.push(d)
          if (d.incidents.some(i => i.id === last)) resolve(got)
        })
      })
      const toFull = deltas(c)
      const toWall = deltas(wall)
      await post(s.url, { events: batch })
      const [f, w] = await Promise.all([toFull, toWall])
      expect(f.flatMap(d => d.incidents.map(i => i.id))).toEqual(expect.arrayContaining(batch.map(b => b.id)))
      // one broadcast per tick to both: the wall's delta covers the console's range, with its newest 2 and a count
      for (const d of w) {
        const same = f.find(x => x.fromSeq === d.fromSeq && x.toSeq === d.toSeq)
        expect(same, `the console's delta for (${d.fromSeq - 1}, ${d.toSeq}]`).toBeDefined()
        expect(d.incidents.map(i => i.id)).toEqual(same!.incidents.slice(-2).map(i => i.id))
        expect(d.incidents.length + (d.omitted ?? 0)).toBe(same!.incidents.length)
      }
      expect(w.some(d => (d.omitted ?? 0) > 0)).toBe(true)
    } finally {
      c.close()
      wall.close()
    }
  })

  it('refuses a bad brief naming the field, and sends a brief subscriber (a wall) every field but the description', async () => {
    const c = client(s.url)
    const wall = client(s.url)
    try {
      const bad = await c.timeout(3000).emitWithAck('scope:subscribe', { scope: 'city', brief: 'yes' as unknown as boolean })
      expect(bad).toMatchObject({ ok: false, error: 'invalid brief', details: [{ path: 'brief' }] })
      await subscribe(c, { scope: 'city' })
      const first = await subscribe(wall, { scope: 'city', keep: 500, brief: true })
      if (first.kind !== 'snapshot') throw new Error('expected a snapshot')
      expect(first.snapshot.recent.length).toBeGreaterThan(0)
      expect(first.snapshot.recent.every(i => i.description === undefined)).toBe(true)
      const input = inputIn(s.app, '510104', { description: '井盖缺失，车辆经过有响声' })
      const heard = (cl: typeof c) => new Promise<ScopeDelta>((resolve) => {
        cl.on('scope:delta', (w) => {
          const d = unpackDelta(w)
          if (d.incidents.some(i => i.id === input.id)) resolve(d)
        })
      })
      const toFull = heard(c)
      const toWall = heard(wall)
      await post(s.url, { events: [input] })
      const [f, w] = await Promise.all([toFull, toWall])
      const full = f.incidents.find(i => i.id === input.id)!
      const brief = w.incidents.find(i => i.id === input.id)!
      expect(full.description).toBe('井盖缺失，车辆经过有响声')
      const { description: _left, ...rest } = full
      expect(brief).toEqual(rest)
      // and resumed after a seq, still brief
      const resumed = await subscribe(wall, { scope: 'city', sinceSeq: w.fromSeq - 1, brief: true })
      if (resumed.kind !== 'resumed') throw new Error('expected a resumed delta')
      expect(resumed.delta.incidents.find(i => i.id === input.id)?.description).toBeUndefined()
    } finally {
      c.close()
      wall.close()
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
