import type Database from 'better-sqlite3'
import { HOUR_MS, onTimeClass } from '../../../shared/analysis.js'
import type { RollupFacts, RollupListener, RollupRowVisitor } from '../repository.js'

/**
 * The drill-down rollup (issue #4): rollup_hour counts cases by (report hour, grid cell, category, source, status,
 * department, on-time class). Hour, cell, category and source never change; a workflow step that changes the status,
 * the department or the on-time class moves the case from one row to another (−1, +1), keyed by the report hour so
 * that history stays consistent.
 *
 * Upkeep is batched (migration 7): an insert does nothing here, since the new rows themselves are the record of what
 * is owed (rowids above rollup_state.folded_rowid: rowids are handed out in increasing order and incidents are never
 * deleted); a move of a counted case appends −1/+1 to rollup_log in its transaction, and a move of a case not counted
 * yet needs nothing (it will be counted in its state at the fold). `fold` counts the new incidents (one INSERT … SELECT
 * run by SQLite, its pages written once per fold), adds the log and empties it, in one transaction: an upsert per event
 * from JavaScript dirtied a different leaf of rollup_hour in every batch's commit and cost ingest 30–40 %
 * (bench/analysis.ts; a GROUP BY before the upserts measured slower than none). The repository folds shortly after
 * writes, before rollup_hour is read, and at close: rollup_hour plus what is owed always equals the committed
 * incidents, and rollup_hour alone does right after a fold.
 */
/**
 * An incident's rollup key and place as SQL over `incidents`: (hour, cell, category, source, status, department,
 * on_time, community, street, district). The on_time CASE is the SQL twin of shared `onTimeClass`.
 */
export const INCIDENT_ROLLUP_COLUMNS = `reported_ms / 3600000, cell, category, source, status, COALESCE(department, ''),
      CASE WHEN handled_at IS NULL THEN 0 WHEN handled_at <= deadline THEN 1 ELSE 2 END, community, street, district`

export function rollupStatements(db: Database.Database, opts: { enabled: () => boolean } = { enabled: () => true }) {
  const KEY = 'hour, cell, category, source, status, department, on_time'
  const COLUMNS = `${KEY}, community, street, district, n`
  const log = db.prepare(`INSERT INTO rollup_log (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const foldInserted = db.prepare(`INSERT INTO rollup_hour (${COLUMNS})
    SELECT ${INCIDENT_ROLLUP_COLUMNS}, 1
    FROM incidents WHERE rowid > ? AND rowid <= ?
    ON CONFLICT (${KEY}) DO UPDATE SET n = n + excluded.n`)
  const foldLog = db.prepare(`INSERT INTO rollup_hour (${COLUMNS})
    SELECT ${KEY}, community, street, district, SUM(n) FROM rollup_log WHERE true GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING SUM(n) != 0
    ON CONFLICT (${KEY}) DO UPDATE SET n = n + excluded.n`)
  const clearLog = db.prepare('DELETE FROM rollup_log')
  const anyLogged = db.prepare('SELECT 1 FROM rollup_log LIMIT 1').pluck()
  const lastRowid = db.prepare('SELECT COALESCE(MAX(rowid), 0) FROM incidents').pluck()
  const readFolded = db.prepare('SELECT folded_rowid FROM rollup_state WHERE id = 1').pluck()
  const writeFolded = db.prepare('UPDATE rollup_state SET folded_rowid = ? WHERE id = 1')
  let folded = readFolded.get() as number
  let logged = anyLogged.get() !== undefined
  /** Rows inserted since the last fold (a hint for when to fold; the rowids are what counts). */
  let inserted = 0
  const foldTx = db.transaction((): void => {
    const last = lastRowid.get() as number
    if (last > folded) foldInserted.run(folded, last)
    if (logged) {
      foldLog.run()
      clearLog.run()
    }
    writeFolded.run(last)
    folded = last
  })

  /** Positional binds, one array literal. */
  function add(f: RollupFacts, n: number): void {
    log.run([Math.floor(Date.parse(f.reportedAt) / HOUR_MS), f.cell, f.category, f.source, f.status, f.department ?? '',
      onTimeClass(f.handledAt, f.deadline), f.community, f.street, f.district, n])
    logged = true
  }

  /** Brings rollup_hour up to date (one transaction); nothing to do when nothing is owed. */
  function fold(): void {
    if (!opts.enabled() || (inserted === 0 && !logged && (lastRowid.get() as number) === folded)) return
    foldTx()
    logged = false
    inserted = 0
  }

  return {
    /** After an insert's transaction committed `n` new incidents (they are counted at the next fold). */
    inserted(n: number): void {
      inserted += n
    },
    /** How many changes wait for the next fold (new incidents, plus one for any logged moves). */
    get owed(): number {
      return inserted + (logged ? 1 : 0)
    },
    fold,
    /** After rollup_hour was rebuilt from scratch (the end of a bulk load): nothing is owed but what the table says. */
    rebuilt(): void {
      folded = readFolded.get() as number
      logged = anyLogged.get() !== undefined
      inserted = 0
    },
    /**
     * Inside a case change's transaction: whether the case's rollup key changed; if so and the case is counted
     * already (`rowid` at or below the last fold), its count moves in the log.
     */
    moved(before: RollupFacts, after: RollupFacts, rowid: number): boolean {
      if (!keyChanged(before, after)) return false
      if (rowid <= folded) {
        add(before, -1)
        add(after, 1)
      }
      return true
    },
  }
}

export function keyChanged(a: RollupFacts, b: RollupFacts): boolean {
  return a.status !== b.status || (a.department ?? '') !== (b.department ?? '') || onTimeClass(a.handledAt, a.deadline) !== onTimeClass(b.handledAt, b.deadline)
}

/**
 * Reads of rollup_hour, on any connection (the main thread's own; the writer folds on the writer's). The caller folds
 * first: rollup_hour alone equals the committed incidents only right after a fold.
 */
export function rollupReads(db: Database.Database) {
  // the five key strings travel as one (few distinct values, decoded once each): row reads cost ~30 % less
  const range = db.prepare(`SELECT hour, cell, category || char(31) || source || char(31) || status || char(31) || department || char(31) || on_time, n, community, street, district
    FROM rollup_hour WHERE hour >= ? AND hour < ? AND n != 0`).raw()
  // two statements: SQLite answers a lone MIN or MAX from the key's first column, but both in one query scan the table
  const minHour = db.prepare('SELECT MIN(hour) FROM rollup_hour').pluck()
  const maxHour = db.prepare('SELECT MAX(hour) FROM rollup_hour').pluck()
  const keys = new Map<string, [string, string, string, string, number]>()

  return {
    each(fromHour: number, toHour: number, visit: RollupRowVisitor): number {
      let rows = 0
      // a day's rows at once (~13,000 for Chengdu): cheaper per row than iterating
      for (const r of range.all(fromHour, toHour) as [number, string, string, number, string, string, string][]) {
        let k = keys.get(r[2])
        if (!k) {
          const p = r[2].split('\x1f')
          k = [p[0]!, p[1]!, p[2]!, p[3]!, Number(p[4])]
          keys.set(r[2], k)
        }
        visit(r[0], r[1], k[0], k[1], k[2], k[3], k[4], r[4], r[5], r[6], r[3])
        rows += 1
      }
      return rows
    },
    hours(): [number, number] | null {
      const min = minHour.get() as number | null
      const max = maxHour.get() as number | null
      return min === null || max === null ? null : [min, max]
    },
  }
}

/** Who hears of rollup changes (the drill-down cube), told on the main thread after each commit. */
export function rollupListeners() {
  const listeners = new Set<RollupListener>()
  return {
    get size(): number {
      return listeners.size
    },
    notify(f: RollupFacts, sign: 1 | -1): void {
      for (const l of listeners) l(f, sign)
    },
    watch(listener: RollupListener): () => void {
      listeners.add(listener)
      return () => { listeners.delete(listener) }
    },
  }
}

export type RollupListeners = ReturnType<typeof rollupListeners>
