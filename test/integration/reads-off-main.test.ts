import { threadId } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReadPoolStats } from '../../server/store/sqlite/read-pool/read-pool.js'
import { makeInput } from '../fixtures/incidents.js'
import { api, type Running, startApp } from './harness.js'

/**
 * Issue #13, "the main thread only routes": the queue's pages, KPIs and the drill-down's raw reads run on the read
 * pool's worker threads, so the main thread answers /health while they are being read. Shown by order and by the
 * answering thread, never by timing: /health reports the reads in flight at the moment it was answered.
 */
const BACKLOG = 20_000
let run: Running

interface Health { queues: { reads: ReadPoolStats | null }, kpis: { ready: boolean, answered: number }, analysis: { warm: boolean, daysLoaded: number, daysStored: number } }
const health = async () => await (await api(run, '/api/v1/health')).json() as Health

beforeAll(async () => {
  run = await startApp()
  // a backlog written straight to the store (one transaction): the queue's pages are then 1,000 rows each
  const rows = Array.from({ length: BACKLOG }, (_, k) => ({
    input: makeInput({ reportedAt: new Date(Date.now() - k * 1000).toISOString() }),
    location: { cell: '8840000000fffff', community: '510104001001', street: '510104001', district: '510104' },
  }))
  await run.app.repo.insertIncidents(rows, new Date().toISOString())
}, 60_000)

afterAll(async () => {
  await run?.stop()
})

describe('slow reads run on the read pool', () => {
  it('reads the queue, KPIs, the league and the summary on a worker thread', async () => {
    for (const p of ['/api/v1/cases?limit=1000', '/api/v1/kpis?scope=city&from=2026-01-01T00:00:00Z', '/api/v1/league?by=street', '/api/v1/analysis/summary?level=city']) {
      expect((await api(run, p)).status, p).toBe(200)
    }
    const { queues: { reads }, kpis, analysis } = await health()
    // warm: every day stored at start is in the drill-down's memory (what the control-room bench waits for)
    expect(analysis.warm).toBe(true)
    expect(analysis.daysLoaded).toBe(analysis.daysStored)
    expect(reads).not.toBeNull()
    expect(reads!.threadIds.length).toBe(1)
    // the worker gives way to the main thread when both want a core (Linux: its own thread's nice value)
    if (process.platform === 'linux') expect(reads!.nice).toEqual([10])
    for (const task of ['casePage'] as const) {
      expect(reads!.lastThreadByTask[task], task).toBeGreaterThan(0)
      expect(reads!.lastThreadByTask[task], task).not.toBe(threadId)
    }
    // the KPIs came from the maintained counts (rebuilt on the worker), not a scan
    expect(reads!.lastThreadByTask.kpiLedgerSource).toBe(reads!.threadIds[0])
    expect(kpis.ready).toBe(true)
    expect(kpis.answered).toBeGreaterThanOrEqual(3)
  })

  it('answers /health while queue pages are being read', async () => {
    // 40 pages of 1,000 cases, all asked at once: one worker reads them one after another
    let done = 0
    const pages = Array.from({ length: 40 }, async (_, k) => {
      const res = await api(run, `/api/v1/cases?limit=1000&cursor=${Date.now() - k * 400_000}_0`)
      expect(res.status).toBe(200)
      await res.arrayBuffer()
      done += 1
    })
    // the main thread answers /health between them: some answer reports reads still in flight
    let answeredDuringReads = 0
    while (done < pages.length) {
      const h = await health()
      if (h.queues.reads!.busy + h.queues.reads!.queued > 0 && done < pages.length) answeredDuringReads += 1
    }
    await Promise.all(pages)
    expect(answeredDuringReads).toBeGreaterThan(0)
    expect((await health()).queues.reads!.completed).toBeGreaterThanOrEqual(40)
  })
})
