import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Worker } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseScope } from '../../shared/scope.js'
import { ReadPool, ReadPoolFullError } from '../../server/store/sqlite/read-pool/read-pool.js'
import { createSqliteRepository } from '../../server/store/sqlite/sqlite-repository.js'
import type { IncidentRepository } from '../../server/store/repository.js'
import { makeInput } from '../fixtures/incidents.js'

/** The read pool (issue #13): typed reads on worker threads, a bounded queue, workers replaced when they die, closed for good. */
const dir = mkdtempSync(path.join(tmpdir(), 'citybrain-pool-'))
const file = path.join(dir, 'citybrain.sqlite')
let repo: IncidentRepository
const LOCATION = { cell: '8840000000fffff', community: '510104001001', street: '510104001', district: '510104' }
const page = { scope: parseScope('city')!, openOnly: true, limit: 10 }

beforeAll(async () => {
  // the store that owns the file (and its WAL); its own pool is not used here
  repo = createSqliteRepository({ dataDir: dir, readWorkers: 0 })
  await repo.insertIncidents(Array.from({ length: 50 }, () => ({ input: makeInput(), location: LOCATION })), new Date().toISOString())
})

afterAll(async () => {
  await repo.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('ReadPool', () => {
  it('answers the store\'s reads from a worker, and sees what the writer committed since', async () => {
    const pool = new ReadPool({ file, size: 1, maxQueue: 8 })
    try {
      const first = await pool.run('casePage', page)
      expect(JSON.parse(first.casesJson)).toHaveLength(10)
      expect(first.next).not.toBeNull()
      const input = makeInput({ reportedAt: new Date(Date.now() + 60_000).toISOString() })
      await repo.insertIncidents([{ input, location: LOCATION }], new Date().toISOString())
      const cases = await pool.run('listCases', { ...page, limit: 1 })
      expect(cases[0]!.id).toBe(input.id)
      expect(pool.stats().lastThreadByTask.listCases).toBe(pool.stats().threadIds[0])
    } finally {
      await pool.close()
    }
  })

  it('refuses a read when every worker is busy and the queue is full (503, Retry-After)', async () => {
    const pool = new ReadPool({ file, size: 1, maxQueue: 2 })
    try {
      await pool.run('casePage', page) // the worker is up
      // one read on the worker, two waiting: the fourth is refused at once
      const reads = [pool.run('casePage', page), pool.run('casePage', page), pool.run('casePage', page)]
      const refused = pool.run('casePage', page)
      await expect(refused).rejects.toBeInstanceOf(ReadPoolFullError)
      await expect(refused).rejects.toMatchObject({ status: 503, retryAfterS: 1 })
      await Promise.all(reads)
      expect(pool.stats()).toMatchObject({ refused: 1, queued: 0, busy: 0 })
    } finally {
      await pool.close()
    }
  })

  it('replaces a worker that died; the read it held fails, the next ones are answered', async () => {
    const pool = new ReadPool({ file, size: 1, maxQueue: 8 })
    try {
      await pool.run('casePage', page)
      const before = pool.stats().threadIds[0]
      const held = Promise.allSettled([pool.run('casePage', page)])
      // the worker dies (as on a crash in native code); reached through the pool's private slots
      await (pool as unknown as { slots: { worker: Worker }[] }).slots[0]!.worker.terminate()
      // the read it held was answered before, or fails saying why — never left hanging
      const [outcome] = await held
      if (outcome!.status === 'rejected') expect(String(outcome!.reason)).toMatch(/read worker stopped/)
      expect((await pool.run('casePage', page)).casesJson.length).toBeGreaterThan(2)
      expect(pool.stats().restarts).toBe(1)
      expect(pool.stats().threadIds[0]).not.toBe(before)
    } finally {
      await pool.close()
    }
  })

  it('fails reads once closed, and leaves no worker behind', async () => {
    const pool = new ReadPool({ file, size: 2, maxQueue: 8 })
    await pool.run('casePage', page)
    const waiting = Promise.allSettled([pool.run('casePage', page), pool.run('casePage', page), pool.run('casePage', page)])
    await pool.close()
    for (const r of await waiting) if (r.status === 'rejected') expect(String(r.reason)).toMatch(/closed/)
    await expect(pool.run('casePage', page)).rejects.toThrow(/closed/)
    expect(pool.stats().threadIds).toEqual([])
  })

  it('is not used for an in-memory database: the same reads run on the calling thread', async () => {
    const mem = createSqliteRepository({ dataDir: ':memory:' })
    try {
      await mem.insertIncidents([{ input: makeInput(), location: LOCATION }], new Date().toISOString())
      expect(JSON.parse((await mem.casePage(page)).casesJson)).toHaveLength(1)
      expect(mem.readPoolStats?.()).toBeNull()
    } finally {
      await mem.close()
    }
  })
})
