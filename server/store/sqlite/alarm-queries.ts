import type Database from 'better-sqlite3'
import type { Alarm, AlarmKind } from '../../../shared/alarms.js'
import type { AlarmRepository, NewAlarm } from '../repository.js'
import { fromRow, type IncidentRow } from './row-mapping.js'
import { scopeClause } from './scope-clause.js'

interface AlarmRow {
  id: number, kind: string, incident_id: string | null, category: string, community: string, street: string, district: string
  lon: number, lat: number, count: number, raised_at: string, acked_by: string | null, acked_at: string | null
  source_id: string | null, source_label: string | null, resolved_at: string | null
}

function toAlarm(r: AlarmRow): Alarm {
  return {
    id: r.id, kind: r.kind as AlarmKind, incidentId: r.incident_id, category: r.category, community: r.community, street: r.street,
    district: r.district, lon: r.lon, lat: r.lat, count: r.count, raisedAt: r.raised_at,
    ...(r.acked_by !== null && { ackedBy: r.acked_by }), ...(r.acked_at !== null && { ackedAt: r.acked_at }),
    ...(r.source_id !== null && { sourceId: r.source_id }), ...(r.source_label !== null && { sourceLabel: r.source_label }),
    ...(r.resolved_at !== null && { resolvedAt: r.resolved_at }),
  }
}

/**
 * Stores alarms, skipping keys raised before; returns those stored. A transaction of its own, or a savepoint when
 * called inside one (ingest raises a batch's alarms in the commit of its reports).
 */
export function alarmRaiser(db: Database.Database): (alarms: readonly NewAlarm[]) => Alarm[] {
  const insert = db.prepare<unknown[], AlarmRow>(`INSERT INTO alarms (key, kind, incident_id, category, community, street, district, lon, lat, count, raised_at, source_id, source_label)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO NOTHING RETURNING *`)
  return db.transaction((alarms: readonly NewAlarm[]) => {
    const stored: Alarm[] = []
    for (const a of alarms) {
      const row = insert.get(a.key, a.kind, a.incidentId, a.category, a.community, a.street, a.district, a.lon, a.lat, a.count, a.raisedAt, a.sourceId ?? null, a.sourceLabel ?? null)
      if (row) stored.push(toAlarm(row))
    }
    return stored
  })
}

/** The alarms table: raised once per key, acknowledged once (who and when are the audit). */
export function alarmQueries(db: Database.Database): AlarmRepository {
  const resolve = db.prepare<[string, string], AlarmRow>('UPDATE alarms SET resolved_at = ? WHERE source_id = ? AND resolved_at IS NULL RETURNING *')
  const byId = db.prepare<[number], AlarmRow>('SELECT * FROM alarms WHERE id = ?')
  const ack = db.prepare('UPDATE alarms SET acked_by = ?, acked_at = ? WHERE id = ? AND acked_at IS NULL')
  const overdue = db.prepare<[string, number], IncidentRow>(`SELECT * FROM incidents i
    WHERE i.status IN ('dispatched', 'postponed') AND i.deadline < ?
      AND NOT EXISTS (SELECT 1 FROM alarms a WHERE a.key = 'overdue:' || i.id || ':' || i.deadline)
    ORDER BY i.deadline LIMIT ?`)
  // one commit (one fsync) for a whole scan's worth of alarms
  const raiseTx = alarmRaiser(db)
  const ackTx = db.transaction((id: number, actor: string, at: string) => {
    const row = byId.get(id)
    if (!row) return { kind: 'not-found' as const }
    if (ack.run(actor, at, id).changes === 0) return { kind: 'already' as const, alarm: toAlarm(row) }
    return { kind: 'acked' as const, alarm: toAlarm(byId.get(id)!) }
  })
  return {
    async raiseAlarms(alarms) {
      return alarms.length === 0 ? [] : raiseTx(alarms)
    },
    async ackAlarm(id, actor, at) {
      return ackTx(id, actor, at)
    },
    async getAlarm(id) {
      const row = byId.get(id)
      return row ? toAlarm(row) : null
    },
    async openAlarms(scope, limit) {
      const { where, params } = scopeClause(scope)
      return (db.prepare(`SELECT * FROM alarms WHERE acked_at IS NULL AND resolved_at IS NULL AND ${where} ORDER BY id LIMIT ?`).all(...params, limit) as AlarmRow[]).map(toAlarm)
    },
    async resolveSourceAlarms(sourceId, at) {
      return resolve.all(at, sourceId).map(toAlarm)
    },
    async overdueWithoutAlarm(nowIso, limit) {
      return overdue.all(nowIso, limit).map(fromRow)
    },
  }
}
