import Database from 'better-sqlite3'

/**
 * A connection's settings (per connection in SQLite, except WAL, which the file keeps). synchronous=FULL: a
 * transaction that returned is on disk, so an acknowledged event survives a crash.
 */
export function configureConnection(db: Database.Database): Database.Database {
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  return db
}

/**
 * WAL pages (128 MB) past which a committing connection checkpoints by itself, when the checkpointer thread copies
 * the pages instead (writer/checkpoint-thread.ts): only a safety net, for a checkpointer that fell behind or stopped.
 * SQLite's default is 1,000 pages (4 MB), reached every few commits at full ingest.
 */
export const CHECKPOINT_SAFETY_PAGES = 32_768

/**
 * The writer thread's connection to a database the main thread opened and migrated. It leaves checkpoints to the
 * checkpointer, and a WAL that restarts is cut back to 64 MB (else the file keeps its largest size).
 */
export function openWriterConnection(file: string): Database.Database {
  const db = configureConnection(new Database(file, { fileMustExist: true }))
  db.pragma(`wal_autocheckpoint = ${CHECKPOINT_SAFETY_PAGES}`)
  db.pragma(`journal_size_limit = ${64 << 20}`)
  return db
}

/** The checkpointer thread's connection: it never writes rows, only copies the WAL into the file. */
export function openCheckpointConnection(file: string): Database.Database {
  return configureConnection(new Database(file, { fileMustExist: true }))
}
