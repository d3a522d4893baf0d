import type Database from 'better-sqlite3'
import type { RollupRepository } from '../repository.js'
import { rollupReads, type RollupListeners, rollupStatements } from './rollup.js'
import type { StoreWriter } from './writer/store-writer.js'

/** How long rollup upkeep may wait after a write, and how many new rows make it fold at once (≈ 40 ms of work). */
const ROLLUP_FOLD_DELAY_MS = 1000
const ROLLUP_FOLD_ROWS = 20_000

/**
 * Rollup upkeep is batched (rollup.ts): a fold a second after writes, or at once (on the next turn of the event loop)
 * when many rows are owed, so that one fold covers many events but never blocks for long. `enabled` is false while
 * a bulk load runs (the rollup is rebuilt at its end) and for the benchmark that measures what upkeep costs.
 */
export function rollupUpkeep(db: Database.Database, enabled: () => boolean) {
  const rollup = rollupStatements(db, { enabled })
  let foldTimer: NodeJS.Timeout | null = null
  let foldSoon: NodeJS.Immediate | null = null
  const cancelFold = () => {
    if (foldTimer !== null) clearTimeout(foldTimer)
    if (foldSoon !== null) clearImmediate(foldSoon)
    foldTimer = null
    foldSoon = null
  }
  const foldNow = () => {
    cancelFold()
    try {
      rollup.fold()
    } catch {
      scheduleFold() // still owed: folded later, and in any case before rollup_hour is read
    }
  }
  const scheduleFold = () => {
    if (!enabled() || rollup.owed === 0) return
    if (rollup.owed >= ROLLUP_FOLD_ROWS) {
      foldSoon ??= setImmediate(foldNow)
    } else if (foldTimer === null) {
      foldTimer = setTimeout(foldNow, ROLLUP_FOLD_DELAY_MS)
      foldTimer.unref()
    }
  }
  const afterInsert = (n: number) => {
    rollup.inserted(n)
    scheduleFold()
  }
  return { rollup, cancelFold, foldNow, scheduleFold, afterInsert }
}

export type RollupUpkeep = ReturnType<typeof rollupUpkeep>

/**
 * The rollup's part of RollupRepository (its raw reads are in drill-reads.ts), on the main thread: the writer folds
 * what is owed first, then rollup_hour is read on this thread's connection.
 */
export function rollupQueries(db: Database.Database, writer: StoreWriter, listeners: RollupListeners):
  Pick<RollupRepository, 'watchRollup' | 'eachRollupRow' | 'rollupHours' | 'rollupVersion' | 'flushRollup'> {
  const lastRowid = db.prepare('SELECT COALESCE(MAX(rowid), 0) FROM incidents').pluck()
  const reads = rollupReads(db)
  return {
    watchRollup: listener => listeners.watch(listener),
    async eachRollupRow(fromHour, toHour, visit) {
      await writer.run('fold')
      return reads.each(fromHour, toHour, visit)
    },
    async rollupHours() {
      await writer.run('fold')
      return reads.hours()
    },
    async rollupVersion() {
      return `${writer.seq()}:${lastRowid.get() as number}`
    },
    async flushRollup() {
      await writer.run('fold')
    },
  }
}
