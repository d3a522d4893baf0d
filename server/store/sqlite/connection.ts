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

/** The writer thread's connection to a database the main thread opened and migrated. */
export function openWriterConnection(file: string): Database.Database {
  return configureConnection(new Database(file, { fileMustExist: true }))
}
