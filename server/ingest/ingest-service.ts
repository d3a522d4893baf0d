import type { Principal } from '../../shared/access.js'
import type { Incident, IngestResult, Location } from '../../shared/incident.js'
import { DEFAULT_REPORTED_AT_WINDOW, type ReportedAtWindow } from '../../shared/schemas/incident.js'
import type { ErrorDetail } from '../../shared/schemas/errors.js'
import { eventDenied } from '../auth/ingest-guard.js'
import type { IncidentRepository, NewIncident } from '../store/repository.js'
import { validateEvent } from './validate-event.js'

export interface Locator {
  locate: (lon: number, lat: number) => Location | null
}

export interface IngestDeps {
  repo: IncidentRepository
  locator: Locator
  cityName: string
  /** Called once per committed batch, after commit, with the stored incidents in sequence order. */
  onStored: (incidents: Incident[]) => void
  now?: () => Date
  /** reportedAt must lie within this window around `now` (default: one year back, five minutes ahead). */
  reportedAtWindow?: ReportedAtWindow
}

/**
 * `by`: who posts (issue #14). An API key may post only its sources, and keys, devices and users only inside their
 * scope: one event outside refuses the whole batch (IngestRefused, nothing stored). Omitted: an internal caller.
 */
export type IngestFn = (events: unknown[], by?: Principal) => Promise<IngestResult[]>

/** A batch refused because its sender may not post some of its events (HTTP 403 naming each field). */
export class IngestRefused extends Error {
  constructor(readonly details: ErrorDetail[]) {
    super(details.map(d => d.message).join('; '))
  }
}

/**
 * The one way in for incidents — HTTP, the simulator and later MQTT all call `ingest`:
 * validate each event → locate it → store the batch in one transaction → publish. Results keep input order.
 */
export function createIngestService(deps: IngestDeps): { ingest: IngestFn } {
  const now = deps.now ?? (() => new Date())

  async function ingest(events: unknown[], by?: Principal): Promise<IngestResult[]> {
    const results: IngestResult[] = new Array(events.length)
    const denied: ErrorDetail[] = []
    const accepted: NewIncident[] = []
    const slotOf = new Map<NewIncident, number>()
    const window = { nowMs: now().getTime(), window: deps.reportedAtWindow ?? DEFAULT_REPORTED_AT_WINDOW }
    events.forEach((raw, k) => {
      const v = validateEvent(raw, window)
      if (!v.ok) {
        results[k] = { id: v.id, status: 'rejected', error: v.error }
        return
      }
      const location = deps.locator.locate(v.input.lon, v.input.lat)
      if (!location) {
        results[k] = { id: v.input.id, status: 'rejected', error: `lon/lat: point (${v.input.lon}, ${v.input.lat}) is outside ${deps.cityName}` }
        return
      }
      const refusal = by && eventDenied(by, k, v.input.source, location)
      if (refusal) denied.push(refusal)
      const row = { input: v.input, location }
      accepted.push(row)
      slotOf.set(row, k)
    })
    if (denied.length > 0) throw new IngestRefused(denied)
    if (accepted.length > 0) {
      const { stored, conflicts } = await deps.repo.insertIncidents(accepted, now().toISOString())
      const storedIds = new Set(stored.map(i => i.id))
      const seen = new Set<string>()
      accepted.forEach((row, j) => {
        const id = row.input.id
        const first = !seen.has(id)
        seen.add(id)
        results[slotOf.get(row)!] = conflicts.has(j)
          ? { id, status: 'conflict', error: `id: ${id} was already stored with different content` }
          : { id, status: first && storedIds.has(id) ? 'stored' : 'duplicate' }
      })
      if (stored.length > 0) deps.onStored(stored)
    }
    return results
  }

  return { ingest }
}
