import type Database from 'better-sqlite3'
import { INCIDENT_ROLLUP_COLUMNS } from './rollup.js'

/**
 * Bulk load of a fresh database (the history seed): appending millions of rows is several times faster without the
 * secondary indexes and without the rollup upsert per row, and both are cheaper built once at the end (a sort per
 * index, one GROUP BY for the rollup). What the load owes is written to `deferred_builds` (migration 6) in the same
 * transaction that drops the indexes, so an interrupted load still owes it: the seed resumes without indexes and
 * builds them when it finishes, and anything else that opens the database builds them first (`runDeferredBuilds`).
 */

/** Tables whose secondary indexes a bulk load drops. Constraint indexes (UNIQUE id) stay: the load needs them. */
const BULK_TABLES = ['incidents', 'case_events'] as const

export const ROLLUP_BUILD = 'rollup_hour'

/** rollup_hour of every stored case, as migration 4 computed it (the table is empty when a bulk load begins). */
export const ROLLUP_REBUILD_SQL = `DELETE FROM rollup_hour;
  DELETE FROM rollup_log;
  INSERT INTO rollup_hour
    SELECT ${INCIDENT_ROLLUP_COLUMNS}, COUNT(*)
    FROM incidents GROUP BY 1, 2, 3, 4, 5, 6, 7;
  UPDATE rollup_state SET folded_rowid = (SELECT COALESCE(MAX(rowid), 0) FROM incidents);`

export interface DeferredBuild { name: string, sql: string }

/** Drops the bulk tables' secondary indexes and records what to build later. Call on an empty database only. */
export function deferBuilds(db: Database.Database): void {
  const record = db.prepare('INSERT OR REPLACE INTO deferred_builds (name, ord, sql) VALUES (?, ?, ?)')
  db.transaction(() => {
    record.run(ROLLUP_BUILD, 0, ROLLUP_REBUILD_SQL)
    const marks = BULK_TABLES.map(() => '?').join(', ')
    const indexes = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${marks}) ORDER BY name`)
      .all(...BULK_TABLES) as DeferredBuild[]
    indexes.forEach((ix, k) => {
      record.run(ix.name, k + 1, ix.sql)
      db.exec(`DROP INDEX "${ix.name.replaceAll('"', '""')}"`)
    })
  })()
}

export function pendingBuilds(db: Database.Database): DeferredBuild[] {
  return db.prepare('SELECT name, sql FROM deferred_builds ORDER BY ord, name').all() as DeferredBuild[]
}

/** Does what a bulk load deferred, each build in its own transaction with its removal from the list. */
export function runDeferredBuilds(db: Database.Database, onBuilt?: (name: string, ms: number, left: number) => void): number {
  const builds = pendingBuilds(db)
  if (builds.length === 0) return 0
  const done = db.prepare('DELETE FROM deferred_builds WHERE name = ?')
  // the sorts behind CREATE INDEX and the rollup's GROUP BY may use helper threads
  const threads = db.pragma('threads', { simple: true }) as number
  db.pragma('threads = 4')
  builds.forEach((b, k) => {
    const t0 = performance.now()
    db.transaction(() => {
      db.exec(b.sql)
      done.run(b.name)
    })()
    onBuilt?.(b.name, performance.now() - t0, builds.length - k - 1)
  })
  db.pragma(`threads = ${threads}`)
  return builds.length
}
