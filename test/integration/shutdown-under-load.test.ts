import { rmSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../server/store/sqlite/sqlite-repository.js'
import { adminCookie, inputIn, startApp } from './harness.js'

let dir = ''
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }) })

describe('shutting down while clients keep sending', () => {
  it('closes although kept-alive connections are still in use, and every acknowledged event is stored', async () => {
    // no cut within the test's time: the close must come from the connections ending, not from the grace running out
    const s = await startApp({}, { shutdownGraceMs: 600_000 })
    dir = s.dataDir
    const cookie = adminCookie({ url: s.url })
    const acked: string[] = []
    let closed = false
    let sent = 0
    // fetch keeps its connections alive and reuses them: each loop sends the next batch as soon as one is answered
    const sender = async () => {
      while (!closed) {
        const events = Array.from({ length: 20 }, () => inputIn(s.app, '510104', { id: `shut-${sent++}` }))
        try {
          const res = await fetch(`${s.url}/api/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ events }) })
          if (res.status !== 200) continue
          const body = await res.json() as { results: { id: string, status: string }[] }
          for (const r of body.results) if (r.status === 'stored') acked.push(r.id)
        } catch {
          // the server has gone: from now on nothing is acknowledged
          return
        }
      }
    }
    const senders = [sender(), sender(), sender()]
    while (acked.length < 200) await new Promise(resolve => setTimeout(resolve, 20))
    // before the fix this never resolved while the senders ran: the HTTP server waited for their connections to end
    await s.app.close()
    closed = true
    await Promise.all(senders)
    const db = openDatabase(path.join(dir, 'citybrain.sqlite'))
    const stored = new Set(db.prepare("SELECT id FROM incidents WHERE id LIKE 'shut-%'").pluck().all() as string[])
    db.close()
    expect(acked.length).toBeGreaterThanOrEqual(200)
    expect(acked.filter(id => !stored.has(id))).toEqual([])
  })
})
