import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createSqliteRepository } from '../../server/store/sqlite/sqlite-repository.js'
import { openDatabase } from '../../server/store/sqlite/sqlite-repository.js'
import { MIGRATIONS } from '../../server/store/sqlite/migrations.js'
import { makeInput } from '../fixtures/incidents.js'

const dir = mkdtempSync(path.join(tmpdir(), 'citybrain-sqlite-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('SQLite specifics', () => {
  it('runs in WAL mode with migrations applied once', () => {
    const db = openDatabase(path.join(dir, 'wal.sqlite'))
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS.length)
    db.close()
    const again = openDatabase(path.join(dir, 'wal.sqlite'))
    expect(again.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS.length)
    again.close()
  })

  it('batches rollup upkeep: new rows are counted at a fold, moves of counted cases go through the log', async () => {
    const loc = { cell: 'c', community: 'm', street: 's', district: 'd' }
    const file = path.join(dir, 'rollup', 'citybrain.sqlite')
    const repo = createSqliteRepository({ dataDir: path.dirname(file) })
    const db = openDatabase(file)
    const counts = () => db.prepare('SELECT status, SUM(n) AS n FROM rollup_hour GROUP BY status HAVING SUM(n) != 0 ORDER BY status').all()
    const [a, b] = [makeInput(), makeInput()]
    await repo.insertIncidents([{ input: a, location: loc }, { input: b, location: loc }], 'now')
    expect(counts()).toEqual([]) // owed until the fold
    const file1 = { expectedVersion: 1, to: 'filed' as const, at: new Date().toISOString(), actor: 't', action: 'file' }
    await repo.applyCaseChange({ ...file1, id: a.id }) // not counted yet: counted in its new state at the fold
    await new Promise(resolve => setTimeout(resolve, 1300)) // the fold a second after the writes
    expect(counts()).toEqual([{ status: 'filed', n: 1 }, { status: 'reported', n: 1 }])
    await repo.applyCaseChange({ ...file1, id: b.id }) // counted: −1/+1 in rollup_log
    expect(db.prepare('SELECT COUNT(*) FROM rollup_log').pluck().get()).toBe(2)
    await repo.close() // folds
    expect(counts()).toEqual([{ status: 'filed', n: 2 }])
    expect(db.prepare('SELECT COUNT(*) FROM rollup_log').pluck().get()).toBe(0)
    db.close()
  })

  it('keeps incidents and the sequence across a reopen', async () => {
    const loc = { cell: 'c', community: 'm', street: 's', district: 'd' }
    const first = createSqliteRepository({ dataDir: dir })
    const input = makeInput()
    await first.insertIncidents([{ input, location: loc }], 'now')
    const seq = await first.currentSeq()
    await first.close()
    const second = createSqliteRepository({ dataDir: dir })
    expect(await second.currentSeq()).toBe(seq)
    expect((await second.getIncident(input.id))?.id).toBe(input.id)
    const next = await second.insertIncidents([{ input: makeInput(), location: loc }], 'now')
    expect(next.stored[0]!.seq).toBe(seq + 1)
    await second.close()
  })

  it('rolls back a failing batch whole and keeps the sequence', async () => {
    const repo = createSqliteRepository({ dataDir: ':memory:' })
    const loc = { cell: 'c', community: 'm', street: 's', district: 'd' }
    const bad = { input: { ...makeInput(), description: null as unknown as string }, location: loc } // NOT NULL violation
    await expect(repo.insertIncidents([{ input: makeInput(), location: loc }, bad], 'now')).rejects.toThrow()
    expect(await repo.currentSeq()).toBe(0)
    expect(await repo.changedSince(0, { level: 'city', code: null }, 10)).toHaveLength(0)
    await repo.close()
  })
})
