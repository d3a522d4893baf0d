import type Database from 'better-sqlite3'

// Long on purpose (~370 lines): one ordered list of every schema migration since version 1, read top to bottom as the
// schema's history. Splitting it would scatter that order; new migrations are appended at the end.

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
  {
    version: 2,
    name: 'case workflow',
    sql: `
      ALTER TABLE incidents ADD COLUMN department TEXT;
      ALTER TABLE incidents ADD COLUMN deadline TEXT;
      ALTER TABLE incidents ADD COLUMN rework_count INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE incidents ADD COLUMN postponed_count INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE case_events (
        id INTEGER PRIMARY KEY,
        incident_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        from_status TEXT NOT NULL,
        to_status TEXT NOT NULL,
        note TEXT
      );
      CREATE INDEX case_events_incident ON case_events (incident_id, id);
      CREATE INDEX incidents_status ON incidents (status);
    `,
  },
  {
    version: 3,
    name: 'escalation, duplicates, feedback, alarms',
    sql: `
      ALTER TABLE incidents ADD COLUMN filed_at TEXT;
      ALTER TABLE incidents ADD COLUMN dispatched_at TEXT;
      ALTER TABLE incidents ADD COLUMN handled_at TEXT;
      ALTER TABLE incidents ADD COLUMN closed_at TEXT;
      ALTER TABLE incidents ADD COLUMN reminders INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE incidents ADD COLUMN escalated_at TEXT;
      ALTER TABLE incidents ADD COLUMN duplicate_of TEXT;
      ALTER TABLE incidents ADD COLUMN merged_into TEXT;
      ALTER TABLE incidents ADD COLUMN feedback TEXT;
      CREATE INDEX incidents_deadline ON incidents (deadline) WHERE deadline IS NOT NULL;
      CREATE INDEX incidents_merged_into ON incidents (merged_into) WHERE merged_into IS NOT NULL;
      CREATE TABLE alarms (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        incident_id TEXT,
        category TEXT NOT NULL,
        community TEXT NOT NULL,
        street TEXT NOT NULL,
        district TEXT NOT NULL,
        lon REAL NOT NULL,
        lat REAL NOT NULL,
        count INTEGER NOT NULL DEFAULT 1,
        raised_at TEXT NOT NULL,
        acked_by TEXT,
        acked_at TEXT
      );
      CREATE INDEX alarms_open ON alarms (acked_at, id);
    `,
  },
  {
    version: 4,
    name: 'drill-down rollups, history imports',
    // rollup_hour: one row per (report hour, grid cell, category, source, status, department, on-time class),
    // kept in the same transaction as every write that changes a case's key (server/store/sqlite/rollup.ts).
    // The community index serves the drill-down's raw reads (incident table, points of a cell or community).
    sql: `
      CREATE TABLE rollup_hour (
        hour INTEGER NOT NULL,
        cell TEXT NOT NULL,
        category TEXT NOT NULL,
        source TEXT NOT NULL,
        status TEXT NOT NULL,
        department TEXT NOT NULL,
        on_time INTEGER NOT NULL,
        community TEXT NOT NULL,
        street TEXT NOT NULL,
        district TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (hour, cell, category, source, status, department, on_time)
      ) WITHOUT ROWID;
      INSERT INTO rollup_hour
        SELECT reported_ms / 3600000, cell, category, source, status, COALESCE(department, ''),
          CASE WHEN handled_at IS NULL THEN 0 WHEN handled_at <= deadline THEN 1 ELSE 2 END,
          community, street, district, COUNT(*)
        FROM incidents GROUP BY 1, 2, 3, 4, 5, 6, 7;
      CREATE INDEX incidents_community_reported ON incidents (community, reported_ms);
      CREATE TABLE history_imports (
        key TEXT PRIMARY KEY,
        params TEXT NOT NULL,
        done_ms INTEGER NOT NULL,
        rows INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'display links',
    sql: `
      CREATE TABLE display_links (
        id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        scope TEXT NOT NULL,
        label TEXT NOT NULL,
        created_at TEXT NOT NULL,
        revoked_at TEXT
      );
    `,
  },
  {
    version: 6,
    name: 'deferred builds of a bulk load',
    // A fresh history seed drops the secondary indexes and skips the per-row rollup upsert; what it owes is listed
    // here (an index's own CREATE statement, the rollup's rebuild) and done when it finishes, or when the database is
    // next opened by anything else (server/store/sqlite/bulk.ts).
    sql: `
      CREATE TABLE deferred_builds (
        name TEXT PRIMARY KEY,
        ord INTEGER NOT NULL,
        sql TEXT NOT NULL
      );
    `,
  },
  {
    version: 7,
    name: 'batched rollup upkeep',
    // rollup_hour is brought up to date in batches (server/store/sqlite/rollup.ts): incidents with a rowid above
    // rollup_state.folded_rowid are not counted in it yet, and rollup_log holds the moves of counted cases made since
    // the last fold. Every existing incident is counted (migration 4 and the upkeep since).
    sql: `
      CREATE TABLE rollup_log (
        hour INTEGER NOT NULL,
        cell TEXT NOT NULL,
        category TEXT NOT NULL,
        source TEXT NOT NULL,
        status TEXT NOT NULL,
        department TEXT NOT NULL,
        on_time INTEGER NOT NULL,
        community TEXT NOT NULL,
        street TEXT NOT NULL,
        district TEXT NOT NULL,
        n INTEGER NOT NULL
      );
      CREATE TABLE rollup_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        folded_rowid INTEGER NOT NULL
      );
      INSERT INTO rollup_state (id, folded_rowid) SELECT 1, COALESCE(MAX(rowid), 0) FROM incidents;
    `,
  },
  {
    version: 8,
    name: 'open cases by deadline',
    // Every drill-down summary counts the open cases past their deadline (server/store/sqlite/analysis-reads.ts):
    // along the status index that read every dispatched case (~17,000 after a seeded year, 10–15 ms a request);
    // this partial index holds the open cases only, ordered by deadline, so it reads the overdue ones alone.
    sql: `
      CREATE INDEX incidents_open_deadline ON incidents (deadline) WHERE status IN ('dispatched', 'postponed');
    `,
  },
  {
    version: 9,
    name: 'returns, self-handling, postponement requests, assisting departments',
    // dispatch_count / return_count: 准确派遣率 = 1 − returns / dispatches; self_handled: 自行处置 by a grid worker.
    // A pending postponement request lives on the case until the centre answers (all three NULL otherwise).
    // assisting_departments: a JSON array of the departments assisting the lead one (NULL: none).
    sql: `
      ALTER TABLE incidents ADD COLUMN dispatch_count INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE incidents ADD COLUMN return_count INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE incidents ADD COLUMN self_handled INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE incidents ADD COLUMN evidence_photo TEXT;
      ALTER TABLE incidents ADD COLUMN assisting_departments TEXT;
      ALTER TABLE incidents ADD COLUMN postpone_request_deadline TEXT;
      ALTER TABLE incidents ADD COLUMN postpone_request_reason TEXT;
      ALTER TABLE incidents ADD COLUMN postpone_requested_at TEXT;
      UPDATE incidents SET dispatch_count = 1 WHERE dispatched_at IS NOT NULL;
    `,
  },
  {
    version: 10,
    name: '12345 request types',
    sql: `
      ALTER TABLE incidents ADD COLUMN request_type TEXT;
    `,
  },
  {
    version: 11,
    name: 'campaigns',
    // live campaigns (专项行动, server/campaigns/); recorded historic ones are data files, never stored here
    sql: `
      CREATE TABLE campaigns (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        name_en TEXT,
        categories TEXT NOT NULL,
        scope TEXT NOT NULL,
        start_date TEXT NOT NULL,
        end_date TEXT NOT NULL,
        target_rate REAL NOT NULL,
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 12,
    name: 'users, sessions, api keys, access audit',
    // issue #14 (server/auth/): passwords as scrypt strings with their parameters; session and API-key tokens are
    // stored only as their SHA-256 (they are long random strings, so a fast hash is enough to look them up).
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL,
        scope TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        user_id TEXT NOT NULL REFERENCES users (id),
        created_ms INTEGER NOT NULL,
        last_seen_ms INTEGER NOT NULL,
        expires_ms INTEGER NOT NULL,
        ip TEXT,
        revoked_at TEXT
      );
      CREATE INDEX sessions_user ON sessions (user_id);
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        sources TEXT NOT NULL,
        scope TEXT NOT NULL,
        rate_per_min INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        revoked_at TEXT
      );
      CREATE TABLE access_audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        actor TEXT NOT NULL,
        target TEXT,
        ip TEXT,
        detail TEXT
      );
      CREATE INDEX access_audit_at ON access_audit (at);
    `,
  },
  {
    version: 13,
    name: 'case queue pages by scope and report time',
    // A queue page (server/store/sqlite/case-queries.ts) walks newest report first and stops at the page's end. For
    // the city incidents_reported does it; for a district or street, walking it and skipping other scopes' rows
    // costs what the scope's share is (measured on 200,000 rows: 15 ms for a district, 180 ms for a street, 2 s
    // for a street without open cases), so each level gets its own (scope, reported_ms) index.
    sql: `
      CREATE INDEX incidents_district_reported ON incidents (district, reported_ms);
      CREATE INDEX incidents_street_reported ON incidents (street, reported_ms);
    `,
  },
  {
    version: 14,
    name: 'open311 request details',
    // What a GeoReport v2 client sends beyond the incident schema (issue #15): the address it gave, a public media URL
    // and the service attributes, answered back by GET requests. One row per report that came in through Open311.
    sql: `
      CREATE TABLE open311_requests (
        incident_id TEXT PRIMARY KEY REFERENCES incidents (id),
        address TEXT,
        media_url TEXT,
        attributes TEXT NOT NULL
      );
    `,
  },
  {
    version: 15,
    name: 'mqtt devices',
    // Registered MQTT devices (issue #15, server/sources/mqtt/): the broker's credentials (scrypt hash of the password,
    // never the password), what the device is, where it sits, how often it reports; `excursions` (JSON: metric → start) are
    // the reading excursions already reported (kept here so a restart does not report one again).
    sql: `
      CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        scope TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        interval_s INTEGER NOT NULL,
        lon REAL,
        lat REAL,
        segment TEXT,
        disabled_at TEXT,
        excursions TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 16,
    name: 'device offline alarms',
    // 设备离线 (issue #15): the source an alarm is about, and when it closed itself (the device was heard again).
    // Open alarms are those neither acknowledged nor resolved; the partial index finds a source's open outage.
    sql: `
      ALTER TABLE alarms ADD COLUMN source_id TEXT;
      ALTER TABLE alarms ADD COLUMN source_label TEXT;
      ALTER TABLE alarms ADD COLUMN resolved_at TEXT;
      CREATE INDEX alarms_source_open ON alarms (source_id) WHERE source_id IS NOT NULL AND resolved_at IS NULL;
    `,
  },
  {
    version: 19,
    name: 'incident content hash',
    // what the source sent (server/store/content-hash.ts): the same id resent with other content is answered 409
    // instead of a silent "duplicate" (issue #14). Older and seeded rows stay NULL: resends of those are duplicates.
    sql: 'ALTER TABLE incidents ADD COLUMN content_hash TEXT;',
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
