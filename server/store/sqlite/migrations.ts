import type Database from 'better-sqlite3'

/**
 * Ordered, append-only schema migrations. Never edit a shipped one: add the next.
 * `seq` is the global change sequence number of the incident's latest change.
 */
export const MIGRATIONS: readonly { version: number, name: string, sql: string }[] = [
  {
    version: 1,
    name: 'incidents',
    sql: `
      CREATE TABLE incidents (
        id TEXT NOT NULL UNIQUE,
        seq INTEGER NOT NULL,
        version INTEGER NOT NULL,
        status TEXT NOT NULL,
        source TEXT NOT NULL,
        category TEXT NOT NULL,
        severity TEXT NOT NULL,
        lon REAL NOT NULL,
        lat REAL NOT NULL,
        reported_at TEXT NOT NULL,
        reported_ms INTEGER NOT NULL,
        received_at TEXT NOT NULL,
        description TEXT NOT NULL,
        reporter_name TEXT,
        reporter_phone TEXT,
        cell TEXT NOT NULL,
        community TEXT NOT NULL,
        street TEXT NOT NULL,
        district TEXT NOT NULL
      );
      CREATE INDEX incidents_seq ON incidents (seq);
      CREATE INDEX incidents_district_seq ON incidents (district, seq);
      CREATE INDEX incidents_reported ON incidents (reported_ms);
    `,
  },
]

export function migrate(db: Database.Database): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)')
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[])
  const pending = MIGRATIONS.filter(m => !applied.has(m.version))
  const apply = db.transaction(() => {
    for (const m of pending) {
      db.exec(m.sql)
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString())
    }
  })
  apply()
  return pending.length
}
