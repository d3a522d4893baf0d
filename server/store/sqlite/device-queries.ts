import type Database from 'better-sqlite3'
import type { DeviceRecord, DeviceRepository } from '../repository.js'

interface Row {
  id: string, kind: string, scope: string, password_hash: string, interval_s: number, lon: number | null, lat: number | null,
  segment: string | null, disabled_at: string | null, excursions: string, created_at: string
}

const toDevice = (r: Row): DeviceRecord => ({
  id: r.id,
  kind: r.kind,
  scope: r.scope,
  intervalS: r.interval_s,
  ...(r.lon !== null && r.lat !== null && { lon: r.lon, lat: r.lat }),
  ...(r.segment !== null && { segment: r.segment }),
  ...(r.disabled_at !== null && { disabledAt: r.disabled_at }),
  excursions: JSON.parse(r.excursions) as Record<string, string>,
  createdAt: r.created_at,
})

/** MQTT devices (migration 15): credentials by scrypt hash only (server/sources/mqtt/device-registry.ts makes them). */
export function deviceQueries(db: Database.Database): DeviceRepository {
  const insert = db.prepare(`INSERT INTO devices (id, kind, scope, password_hash, interval_s, lon, lat, segment, created_at)
    VALUES (@id, @kind, @scope, @hash, @intervalS, @lon, @lat, @segment, @createdAt) ON CONFLICT(id) DO NOTHING`)
  const byId = db.prepare<[string], Row>('SELECT * FROM devices WHERE id = ?')
  const all = db.prepare<[], Row>('SELECT * FROM devices ORDER BY id')
  const disable = db.prepare('UPDATE devices SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL')
  const excursions = db.prepare('UPDATE devices SET excursions = ? WHERE id = ?')
  return {
    async insertDevice(d, hash) {
      const r = insert.run({ id: d.id, kind: d.kind, scope: d.scope, hash, intervalS: d.intervalS, lon: d.lon ?? null, lat: d.lat ?? null, segment: d.segment ?? null, createdAt: d.createdAt })
      return r.changes === 1
    },
    async deviceWithHash(id) {
      const row = byId.get(id)
      return row ? { device: toDevice(row), passwordHash: row.password_hash } : null
    },
    async listDevices() {
      return all.all().map(toDevice)
    },
    async disableDevice(id, at) {
      disable.run(at, id)
      const row = byId.get(id)
      return row ? toDevice(row) : null
    },
    async setDeviceExcursions(id, value) {
      excursions.run(JSON.stringify(value), id)
    },
  }
}
