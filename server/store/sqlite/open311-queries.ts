import type Database from 'better-sqlite3'
import type { Open311Details, Open311Repository } from '../repository.js'
import { fromRow, type IncidentRow } from './row-mapping.js'

interface Row extends IncidentRow { o311_id: string | null, o311_address: string | null, o311_media_url: string | null, o311_attributes: string | null, o311_updated: string | null }

function details(r: Row): Open311Details | null {
  if (r.o311_id === null) return null
  return {
    id: r.o311_id,
    ...(r.o311_address !== null && { address: r.o311_address }),
    ...(r.o311_media_url !== null && { mediaUrl: r.o311_media_url }),
    attributes: JSON.parse(r.o311_attributes ?? '{}') as Open311Details['attributes'],
  }
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ')

/** Open311 GeoReport v2 (issue #15): the details table and the GET requests reads (by id, or filtered by report time). */
export function open311Queries(db: Database.Database): Open311Repository {
  const insert = db.prepare('INSERT INTO open311_requests (incident_id, address, media_url, attributes) VALUES (?, ?, ?, ?) ON CONFLICT(incident_id) DO NOTHING')
  const select = `SELECT i.*, o.incident_id AS o311_id, o.address AS o311_address, o.media_url AS o311_media_url, o.attributes AS o311_attributes,
      (SELECT MAX(e.at) FROM case_events e WHERE e.incident_id = i.id) AS o311_updated
    FROM incidents i LEFT JOIN open311_requests o ON o.incident_id = i.id`
  return {
    async saveOpen311Details(d) {
      insert.run(d.id, d.address ?? null, d.mediaUrl ?? null, JSON.stringify(d.attributes))
    },
    async open311Requests(q) {
      const params: unknown[] = []
      const where: string[] = []
      if (q.ids) {
        where.push(`i.id IN (${placeholders(q.ids.length)})`)
        params.push(...q.ids)
      } else {
        // along the reported_ms index: at most 90 days by default, newest first, stopping at the limit
        where.push('i.reported_ms >= ?', 'i.reported_ms < ?')
        params.push(q.fromMs, q.toMs)
        if (q.categories) {
          where.push(`i.category IN (${placeholders(q.categories.length)})`)
          params.push(...q.categories)
        }
        if (q.statuses) {
          // `+`: not along the status index, which would read every closed case of all time and sort them
          where.push(`+i.status IN (${placeholders(q.statuses.length)})`)
          params.push(...q.statuses)
        }
      }
      params.push(q.limit)
      const rows = db.prepare(`${select} WHERE ${where.join(' AND ')} ORDER BY i.reported_ms DESC, i.id DESC LIMIT ?`).all(...params) as Row[]
      return rows.map(r => ({ incident: fromRow(r), details: details(r), updatedAt: r.o311_updated ?? r.received_at }))
    },
  }
}
