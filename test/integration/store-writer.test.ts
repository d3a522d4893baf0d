import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { threadId } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import type { IncidentRepository, NewAlarm, NewIncident } from '../../server/store/repository.js'
import type { Worker } from 'node:worker_threads'
import { newIncident } from '../../shared/incident.js'
import { toValues } from '../../server/store/sqlite/row-mapping.js'
import { createSqliteRepository, openDatabase } from '../../server/store/sqlite/sqlite-repository.js'
import { ThreadWriter } from '../../server/store/sqlite/writer/store-writer.js'
import { makeInput } from '../fixtures/incidents.js'

const LOC = { cell: 'c', community: 'm', street: 's', district: 'd' }
const REPORTED = new Date().toISOString()
/** The same id and description give the same content (a resend). */
const row = (id: string, description = 'pothole'): NewIncident => ({ input: makeInput({ id, description, reportedAt: REPORTED }), location: LOC })

let open: { repo: IncidentRepository, dir: string }[] = []
afterEach(async () => {
  // the store closes (its writer folds and stops) before its folder goes
  for (const o of open) {
    await o.repo.close()
    rmSync(o.dir, { recursive: true, force: true })
  }
  open = []
})

function threaded() {
  const dir = mkdtempSync(path.join(tmpdir(), 'citybrain-writer-'))
  const repo = createSqliteRepository({ dataDir: dir, writerThread: true, readWorkers: 0 })
  open.push({ repo, dir })
  return { repo, file: path.join(dir, 'citybrain.sqlite') }
}

describe('the store writer thread (issue #13)', () => {
  it('writes reports and workflow steps on its own thread, in seq order, readable at once on this one', async () => {
    const { repo, file } = threaded()
    const first = await repo.insertIncidents([row('w-1'), row('w-2')], new Date().toISOString())
    const step = repo.applyCaseChange({ id: 'w-1', expectedVersion: 1, to: 'filed', at: new Date().toISOString(), actor: 't', action: 'file' })
    const second = repo.insertIncidents([row('w-3')], new Date().toISOString())
    const [applied, later] = await Promise.all([step, second])
    const stats = repo.writerStats!()
    expect(stats.mode).toBe('thread')
    expect(stats.threadId).not.toBe(threadId)
    expect(stats.threadId).toBeGreaterThan(0)
    // seqs in the order the writes were sent, and the store's current seq is the last
    expect(first.stored.map(i => i.seq)).toEqual([1, 2])
    expect(applied.kind === 'applied' && applied.incident.seq).toBe(3)
    expect(later.stored.map(i => i.seq)).toEqual([4])
    expect(await repo.currentSeq()).toBe(4)
    expect((await repo.getIncident('w-1'))?.status).toBe('filed')
    const db = openDatabase(file)
    expect(db.prepare('SELECT id, seq FROM incidents ORDER BY seq').all()).toEqual([{ id: 'w-2', seq: 2 }, { id: 'w-1', seq: 3 }, { id: 'w-3', seq: 4 }])
    db.close()
  })

  it('treats an id in a commit still in flight as stored: a duplicate, or a conflict when its content differs', async () => {
    const { repo } = threaded()
    const at = new Date().toISOString()
    // the second and third are planned while the first is still with the writer
    const [a, b, c] = await Promise.all([
      repo.insertIncidents([row('f-1'), row('f-2')], at),
      repo.insertIncidents([row('f-1'), row('f-3')], at),
      repo.insertIncidents([row('f-2', 'something else')], at),
    ])
    expect(a.stored.map(i => i.id)).toEqual(['f-1', 'f-2'])
    expect(b.stored.map(i => i.id)).toEqual(['f-3'])
    expect([...b.duplicates]).toEqual(['f-1'])
    expect(b.conflicts.size).toBe(0)
    expect(c.stored).toEqual([])
    expect([...c.conflicts]).toEqual([0])
  })

  it('refuses every commit planned on one that failed, and stores them once told', async () => {
    const { repo } = threaded()
    const at = new Date().toISOString()
    // an alarm without its key fails the commit in the writer (NOT NULL), after its reports were inserted
    const broken = { alarms: () => [{ kind: 'critical' } as unknown as NewAlarm] }
    const failing = repo.insertIncidents([row('x-1')], at, broken)
    // planned before the failure is known: x-1 is in flight, so this plan calls it a duplicate
    const dependent = repo.insertIncidents([row('x-1'), row('x-2')], at)
    await expect(failing).rejects.toThrow(/NOT NULL|key/)
    await expect(dependent).rejects.toThrow(/an earlier commit it was planned on failed/)
    expect(await repo.getIncident('x-1')).toBeNull()
    expect(await repo.getIncident('x-2')).toBeNull()
    // the failure is known now: the same reports are new again and stored
    const retried = await repo.insertIncidents([row('x-1'), row('x-2')], at)
    expect(retried.stored.map(i => i.id)).toEqual(['x-1', 'x-2'])
    expect(retried.stored.map(i => i.seq)).toEqual([1, 2])
  })

  it('starts a new writer when it dies: the task it held is answered or fails saying why, the next ones are written', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'citybrain-writer-'))
    const file = path.join(dir, 'citybrain.sqlite')
    openDatabase(file).close() // migrated, as the store opens it before its writer starts
    const writer = new ThreadWriter({ file, rollupUpkeep: true }, 0)
    try {
      const plan = (id: string) => ({ epoch: 0, rows: [toValues(newIncident(makeInput({ id }), LOC, 0, 'now'))], steps: [null], alarms: [] })
      await writer.run('insert', plan('d-1'))
      const before = writer.stats().threadId
      const held = Promise.allSettled([writer.run('insert', plan('d-2'))])
      // the thread dies (as on a crash in native code); reached through the writer's private field
      await (writer as unknown as { worker: Worker }).worker.terminate()
      const [outcome] = await held
      if (outcome!.status === 'rejected') expect(String(outcome!.reason)).toMatch(/store writer stopped/)
      const next = await writer.run('insert', plan('d-3'))
      // a held task that failed may still have committed (the thread died between its commit and its answer: stored,
      // not acknowledged); the new writer read the seq back from the file, so seqs stay unique and rising either way
      const db = openDatabase(file)
      const heldStored = db.prepare("SELECT 1 FROM incidents WHERE id = 'd-2'").get() !== undefined
      db.close()
      if (outcome!.status === 'fulfilled') expect(heldStored).toBe(true)
      expect(next.seqBefore).toBe(heldStored ? 2 : 1)
      expect(writer.stats().restarts).toBe(1)
      expect(writer.stats().threadId).not.toBe(before)
    } finally {
      await writer.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
