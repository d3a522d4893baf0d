import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../../server/store/sqlite/migrations.js'
import { createSqliteRepository } from '../../server/store/sqlite/sqlite-repository.js'

const dir = mkdtempSync(path.join(tmpdir(), 'citybrain-mig9-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('migrations 9 and 10 on a database of before', () => {
  it('count one dispatch for every case already dispatched, and leave the new facts empty', async () => {
    // a database as migration 8 left it, with a dispatched and a reported case
    const db = new Database(path.join(dir, 'citybrain.sqlite'))
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)')
    for (const m of MIGRATIONS.filter(m => m.version <= 8)) {
      db.exec(m.sql)
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, 'then')
    }
    const insert = db.prepare(`INSERT INTO incidents (id, seq, version, status, source, category, severity, lon, lat, reported_at, reported_ms,
      received_at, description, cell, community, street, district, department, deadline, dispatched_at)
      VALUES (?, ?, ?, ?, 'grid_worker', '0102', 'normal', 104, 30, '2026-11-24T02:00:00Z', 0, 'then', '', 'c', 'm', 's', 'd', ?, ?, ?)`)
    insert.run('old-dispatched', 1, 3, 'dispatched', '环卫', '2026-11-24T06:00:00Z', '2026-11-24T02:10:00Z')
    insert.run('old-reported', 2, 1, 'reported', null, null, null)
    db.close()

    const repo = createSqliteRepository({ dataDir: dir })
    try {
      expect(await repo.getIncident('old-dispatched')).toMatchObject({ status: 'dispatched', dispatchCount: 1 })
      const reported = (await repo.getIncident('old-reported'))!
      for (const k of ['dispatchCount', 'returnCount', 'selfHandled', 'assistingDepartments', 'postponeRequest', 'requestType']) expect(reported, k).not.toHaveProperty(k)
    } finally {
      await repo.close()
    }
  })
})
