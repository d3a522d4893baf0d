import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createSqliteRepository } from '../../server/store/sqlite/sqlite-repository.js'
import { openDatabase } from '../../server/store/sqlite/sqlite-repository.js'
import { MIGRATIONS } from '../../server/store/sqlite/migrations.js'
import { makeInput } from '../fixtures/incidents.js'
import { repositoryContract } from './repository-contract.js'

const dir = mkdtempSync(path.join(tmpdir(), 'citybrain-sqlite-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

repositoryContract('SQLite', async () => createSqliteRepository({ dataDir: ':memory:' }))

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
