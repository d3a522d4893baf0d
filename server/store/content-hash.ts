import { hash } from 'node:crypto'
import type { Incident } from '../../shared/incident.js'

/**
 * A digest of what a source sent for one incident (the input fields, not the case's later state), stored with the
 * row (migration 19): the same id sent again with the same content is a `duplicate`, with other content a
 * `conflict` (issue #14). 128 bits of SHA-256, base64url.
 */
export function contentHash(i: Pick<Incident, 'id' | 'source' | 'category' | 'severity' | 'lon' | 'lat' | 'reportedAt' | 'description' | 'reporter' | 'requestType'>): string {
  const canonical = JSON.stringify([i.id, i.source, i.category, i.severity, i.lon, i.lat, i.reportedAt, i.description,
    i.reporter?.name ?? null, i.reporter?.phone ?? null, i.requestType ?? null])
  // the one-shot form: half the cost of a Hash object per event (ingest workers hash every report)
  return hash('sha256', canonical, 'base64url').slice(0, 22)
}
