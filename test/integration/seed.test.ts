import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { loadCityGeo } from '../../server/geo/city-geo.js'
import { decodeChunk, encodeChunk } from '../../server/seed/chunk-encoding.js'
import { createHistoryChunker, seedHistory } from '../../server/seed/history.js'
import { actorOf, plan } from '../../server/sources/simulator/departments.js'
import { createSqliteRepository } from '../../server/store/sqlite/sqlite-repository.js'
import type { Incident } from '../../shared/incident.js'
import { startApp } from './harness.js'

const geo = loadCityGeo('chengdu')
const END = Date.parse('2026-11-25T12:00:00+08:00')
const RULE = { radiusM: 100, windowMinutes: 60 }
const dirs: string[] = []
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }) })

function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'citybrain-seed-'))
  dirs.push(d)
  return d
}

/** The database's indexes and what a bulk load still owes. */
function schema(dir: string) {
  const db = new Database(path.join(dir, 'citybrain.sqlite'), { readonly: true })
  const out = {
    indexes: db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name").pluck().all() as string[],
    owed: db.prepare('SELECT name FROM deferred_builds ORDER BY name').pluck().all() as string[],
  }
  db.close()
  return out
}

/** Every row of the tables a seed writes, in a stable order (the received and written times aside). */
function dump(dir: string) {
  const db = new Database(path.join(dir, 'citybrain.sqlite'), { readonly: true })
  const out = {
    incidents: db.prepare('SELECT * FROM incidents ORDER BY seq').all(),
    events: db.prepare('SELECT incident_id, seq, at, actor, action, from_status, to_status, note FROM case_events ORDER BY id').all(),
    rollup: db.prepare('SELECT * FROM rollup_hour ORDER BY hour, cell, category, source, status, department, on_time').all(),
  }
  db.close()
  return out
}

/**
 * What two databases holding the same cases must agree on: every incident column but the commit's receipt time and
 * the write order (seq), every audit row but its seq, and the rollup's counts.
 */
function storedRows(dir: string) {
  const db = new Database(path.join(dir, 'citybrain.sqlite'), { readonly: true })
  const columns = (db.prepare("SELECT name FROM pragma_table_info('incidents') WHERE name NOT IN ('seq', 'received_at')").pluck().all() as string[]).join(', ')
  const out = {
    incidents: db.prepare(`SELECT ${columns} FROM incidents ORDER BY id`).all(),
    events: db.prepare('SELECT incident_id, at, actor, action, from_status, to_status, note FROM case_events ORDER BY incident_id, seq').all(),
    // the live upkeep leaves keys that cases moved out of at zero; a rebuild has none
    rollup: db.prepare('SELECT * FROM rollup_hour WHERE n > 0 ORDER BY hour, cell, category, source, status, department, on_time').all(),
  }
  db.close()
  return out
}

async function seedInto(dir: string, fromMs: number, toMs: number, opts: { chunkMs?: number, stopAfter?: number, worker?: boolean, workers?: number } = {}) {
  // opened as the CLI opens it: what a bulk load put off is left to the seed
  const repo = createSqliteRepository({ dataDir: dir, bulk: true })
  let chunks = 0
  try {
    return await seedHistory({
      geo, repo, seed: 11, fromMs, toMs, duplicateRule: RULE, chunkMs: opts.chunkMs, worker: opts.worker, workers: opts.workers,
      onProgress: () => { if (++chunks === opts.stopAfter) throw new Error('interrupted') },
    })
  } finally {
    await repo.close()
  }
}

describe('npm run seed (history import)', () => {
  it('is deterministic, resumes an interrupted run to the same database, and refuses to seed twice', async () => {
    const from = END - 6 * 3_600_000
    const whole = tempDir()
    const first = await seedInto(whole, from, END, { chunkMs: 3_600_000 })
    expect(first.kind).toBe('seeded')
    const interrupted = tempDir()
    await expect(seedInto(interrupted, from, END, { chunkMs: 3_600_000, stopAfter: 2 })).rejects.toThrow('interrupted')
    // a fresh seed writes without secondary indexes and rollups and builds them at the end: still owed here
    const full = schema(whole)
    expect(full.owed).toEqual([])
    expect(full.indexes).toContain('incidents_community_reported')
    const half = schema(interrupted)
    expect(half.owed).toContain('rollup_hour')
    expect(half.owed).toContain('incidents_community_reported')
    expect(half.indexes).not.toContain('incidents_community_reported')
    const resumed = await seedInto(interrupted, from, END, { chunkMs: 3_600_000 })
    expect(resumed).toMatchObject({ kind: 'seeded', resumedFromMs: from + 2 * 3_600_000 })
    const a = dump(whole)
    expect(a.incidents.length).toBeGreaterThan(1000)
    expect(dump(interrupted)).toEqual(a)
    expect(schema(interrupted)).toEqual(full)
    expect(await seedInto(whole, from, END)).toMatchObject({ kind: 'already-seeded', rows: a.incidents.length })
    expect(await seedInto(whole, from - 3_600_000, END)).toMatchObject({ kind: 'refused' })
    // worker threads write the same database as the inline path, however many generate the slices
    for (const workers of [1, 3]) {
      const threaded = tempDir()
      await seedInto(threaded, from, END, { chunkMs: 3_600_000, worker: true, workers })
      expect(dump(threaded)).toEqual(a)
    }
  }, 120_000)

  it('an interrupted seed leaves its indexes and rollups owing: anything else that opens the database builds them first', async () => {
    const from = END - 4 * 3_600_000
    const whole = tempDir()
    await seedInto(whole, from, END, { chunkMs: 3_600_000 })
    const dir = tempDir()
    await expect(seedInto(dir, from, END, { chunkMs: 3_600_000, stopAfter: 2 })).rejects.toThrow('interrupted')
    const built: string[] = []
    const repo = createSqliteRepository({ dataDir: dir, onDeferredBuild: name => built.push(name) })
    await repo.close()
    expect(built).toContain('rollup_hour')
    expect(schema(dir)).toEqual(schema(whole))
    const db = new Database(path.join(dir, 'citybrain.sqlite'), { readonly: true })
    const rollup = db.prepare('SELECT hour, cell, category, source, status, department, on_time, n FROM rollup_hour ORDER BY 1, 2, 3, 4, 5, 6, 7').raw().all()
    const grouped = db.prepare(`SELECT reported_ms / 3600000, cell, category, source, status, COALESCE(department, ''),
      CASE WHEN handled_at IS NULL THEN 0 WHEN handled_at <= deadline THEN 1 ELSE 2 END, COUNT(*) FROM incidents GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7`).raw().all()
    db.close()
    expect(rollup.length).toBeGreaterThan(100)
    expect(rollup).toEqual(grouped)
    // the seed then resumes with indexes and per-row rollups, to the same database
    await seedInto(dir, from, END, { chunkMs: 3_600_000 })
    expect(dump(dir)).toEqual(dump(whole))
  }, 120_000)

  it('refuses a database that already holds other incidents', async () => {
    const dir = tempDir()
    const app = await startApp({}, {}, dir)
    await app.app.ingest([{ id: 'x-1', source: 'grid_worker', category: '0102', severity: 'normal', lon: 104.0657, lat: 30.6574, reportedAt: new Date().toISOString(), description: 'x' }])
    await app.stop({ keepData: true })
    expect(await seedInto(dir, END - 3_600_000, END)).toMatchObject({ kind: 'refused' })
  })

  it('round-trips a slice through the worker encoding', () => {
    const chunk = createHistoryChunker(geo, { seed: 3, fromMs: END - 3_600_000, toMs: END, startMs: END - 3_600_000, duplicateRule: RULE }).next(END)
    expect(chunk.records.length).toBeGreaterThan(100)
    expect(decodeChunk(encodeChunk(chunk))).toEqual(JSON.parse(JSON.stringify(chunk)))
  })

  it('stores the same rows as the live ingest, case service and department simulator for the same reports', async () => {
    // The same reports through the real ingest, duplicate detector and case service, each step chosen by plan() at
    // the time it falls due; the seed's cases written by its bulk path into another database: both must hold the
    // same rows — location (street, grid cell), status, times, deadlines, counts, content hash, audit trails, rollup.
    const from = END - 30 * 3_600_000
    const to = END
    // the first 90 minutes' reports, followed for 30 hours
    const chunk = createHistoryChunker(geo, { seed: 5, fromMs: from, toMs: to, startMs: from, duplicateRule: RULE }).next(from + 90 * 60_000)
    const sample = chunk.records
    const reached = new Set(sample.map(r => r.incident.status))
    for (const status of ['closed', 'rejected', 'merged', 'dispatched']) expect(reached).toContain(status)
    const steps = new Set(sample.flatMap(r => r.events.map(e => e.action)))
    // every kind of step the simulator takes but a refused postponement (rare): 603 cases, 2,515 steps with seed 5
    for (const action of ['propose-duplicate', 'merge', 'file', 'reject', 'self-handle', 'dispatch', 'return', 'remind', 'escalate', 'request-postpone',
      'approve-postpone', 'handle', 'verify-fail', 'verify-pass', 'close', 'feedback']) expect(steps).toContain(action)
    const seededDir = tempDir()
    // as seedHistory writes a slice: indexes and rollup put off, the slice in one transaction, then built
    const seeded = createSqliteRepository({ dataDir: seededDir, bulk: true })
    await seeded.beginBulkImport()
    await seeded.importHistory(sample, { key: 'seed:5', params: '{}', doneMs: from + 90 * 60_000, rows: 0 })
    await seeded.finishBulkImport()
    await seeded.close()
    let clock = from
    const liveDir = tempDir()
    const app = await startApp({ rules: { duplicate: RULE, burst: { threshold: 10_000, windowMinutes: 30 } } }, { now: () => clock }, liveDir)
    try {
      const inputs = sample.map(({ incident: i }) => ({ id: i.id, source: i.source, category: i.category, severity: i.severity, lon: i.lon, lat: i.lat, reportedAt: i.reportedAt, description: i.description, ...(i.reporter && { reporter: i.reporter }), ...(i.requestType && { requestType: i.requestType }) }))
      const due = new Map<string, { at: number, version: number }>()
      const schedule = async (id: string) => {
        const i = (await app.app.repo.getIncident(id))!
        const step = plan(i, 5, clock)
        if (step && clock + step.after < to) due.set(id, { at: clock + step.after, version: i.version })
        else due.delete(id)
      }
      for (const input of inputs) {
        clock = Date.parse(input.reportedAt)
        await app.app.ingest([input])
        for (let k = 0; k < 5; k++) await new Promise(resolve => setImmediate(resolve)) // the duplicate proposal lands
        await schedule(input.id)
      }
      for (;;) {
        const next = [...due.entries()].sort((a, b) => a[1].at - b[1].at)[0]
        if (!next) break
        const [id, d] = next
        clock = d.at
        const i = (await app.app.repo.getIncident(id))!
        const step = plan(i, 5, Date.parse((await app.app.cases.history(id)).at(-1)?.at ?? i.reportedAt))!
        const res = await app.app.cases.act(id, { action: step.action, version: d.version, actor: actorOf(step.action), ...step.extra })
        expect(res.ok, JSON.stringify(res)).toBe(true)
        await schedule(id)
      }
      const strip = (i: Incident) => ({ ...i, seq: 0, receivedAt: '' })
      for (const r of sample) {
        const live = (await app.app.repo.getIncident(r.incident.id))!
        expect(strip(live), r.incident.id).toEqual(strip({ ...r.incident }))
        const trail = (await app.app.cases.history(r.incident.id)).map(({ seq: _seq, ...e }) => e)
        expect(trail).toEqual(r.events)
      }
      await app.app.repo.flushRollup()
    } finally {
      await app.stop({ keepData: true })
    }
    const live = storedRows(liveDir)
    expect(live.incidents.length).toBe(sample.length)
    expect(storedRows(seededDir)).toEqual(live)
  }, 120_000)
})
