import { mkdirSync } from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { FootfallRepository, StoredReading } from '../store/contracts/footfall-repository.js'
import type { GreenwayChangeRepository, NewChange } from '../store/contracts/greenway-change-repository.js'

export type { NewChange, StoredChange } from '../store/contracts/greenway-change-repository.js'
export type { StoredReading } from '../store/contracts/footfall-repository.js'

/** Both greenway repositories over one file (server/store/contracts/: their contracts). */
export interface GreenwayStore extends GreenwayChangeRepository, FootfallRepository {
  close: () => void
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS greenway_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    body TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    received_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS footfall (
    sensor TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    segment TEXT NOT NULL,
    count INTEGER NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (sensor, at_ms)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS footfall_at ON footfall (at_ms);
`

/**
 * Greenway changes and footfall readings, in their own SQLite file next to the incidents' (`greenway.sqlite`), so
 * the feature needs no migration of the incident schema. Same durability: WAL, synchronous=FULL, answer after commit.
 */
export function createGreenwayStore(dataDir: string): GreenwayStore {
  const file = dataDir === ':memory:' ? ':memory:' : path.join(dataDir, 'greenway.sqlite')
  if (file !== ':memory:') mkdirSync(dataDir, { recursive: true })
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('busy_timeout = 5000')
  db.exec(SCHEMA)
  const insertChange = db.prepare('INSERT INTO greenway_changes (id, kind, target, body, at_ms, received_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING')
  const allChanges = db.prepare<[], { seq: number, id: string, kind: string, body: string, at_ms: number }>('SELECT seq, id, kind, body, at_ms FROM greenway_changes ORDER BY seq')
  const insertReading = db.prepare('INSERT INTO footfall (sensor, at_ms, segment, count, received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
  const prune = db.prepare('DELETE FROM footfall WHERE at_ms < ?')
  const since = db.prepare<[number], { sensor: string, segment: string, count: number, at_ms: number }>('SELECT sensor, segment, count, at_ms FROM footfall WHERE at_ms >= ? ORDER BY at_ms')

  const changesTx = db.transaction((rows: readonly NewChange[], receivedAt: string) => {
    const stored = new Set<string>()
    for (const r of rows) if (insertChange.run(r.id, r.kind, r.target, r.body, r.atMs, receivedAt).changes === 1) stored.add(r.id)
    return stored
  })
  const readingsTx = db.transaction((rows: readonly StoredReading[], receivedAt: string) =>
    rows.map(r => insertReading.run(r.sensor, r.atMs, r.segment, r.count, receivedAt).changes === 1))

  return {
    insertChanges: (rows, receivedAt) => changesTx(rows, receivedAt),
    changes: () => allChanges.all().map(r => ({ seq: r.seq, id: r.id, kind: r.kind, body: r.body, atMs: r.at_ms })),
    insertReadings: (rows, receivedAt) => readingsTx(rows, receivedAt),
    readingsSince: ms => since.all(ms).map(r => ({ sensor: r.sensor, segment: r.segment, count: r.count, atMs: r.at_ms })),
    pruneReadings: ms => prune.run(ms).changes,
    close: () => db.close(),
  }
}
