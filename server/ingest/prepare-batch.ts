import type { IngestResult, Location } from '../../shared/incident.js'
import type { ErrorDetail } from '../../shared/schemas/errors.js'
import { issuesToDetails } from '../../shared/schemas/errors.js'
import { eventBatchSchema, type IncidentInput, type ReportedAtWindow } from '../../shared/schemas/incident.js'
import { contentHash } from '../store/content-hash.js'
import { validateEvent } from './validate-event.js'

export interface Locator {
  locate: (lon: number, lat: number) => Location | null
}

/** Live ingest's reportedAt window around the city's `nowMs` (none: the history seed's own past). */
export interface ValidationWindow { nowMs: number, window: ReportedAtWindow }

/**
 * An event that passed validation and was located; `slot` is its place in the request, `hash` its content hash
 * (computed here, off the main thread: it is a SHA-256 per event).
 */
export interface PreparedEvent { slot: number, input: IncidentInput, location: Location, hash: string }

/**
 * A batch ready for the commit: the accepted events, and one result per input position for those refused already
 * (null where the commit will decide: stored or duplicate).
 */
export interface PreparedBatch { results: (IngestResult | null)[], accepted: PreparedEvent[] }

/** The envelope of POST /api/v1/events itself was bad: 400 for the whole request, nothing of it stored. */
export interface EnvelopeError { error: string, details: ErrorDetail[] }

/**
 * Validate each event (zod, shared schema) and locate it (H3 cell → community → street → district). Pure and
 * self-contained, so it runs in an ingest worker thread (server/ingest/ingest-worker.ts) or inline alike.
 */
export function prepareEvents(events: readonly unknown[], locator: Locator, cityName: string, window?: ValidationWindow): PreparedBatch {
  const results: (IngestResult | null)[] = new Array(events.length).fill(null)
  const accepted: PreparedEvent[] = []
  for (let k = 0; k < events.length; k++) {
    const v = validateEvent(events[k], window)
    if (!v.ok) {
      results[k] = { id: v.id, status: 'rejected', error: v.error }
      continue
    }
    const location = locator.locate(v.input.lon, v.input.lat)
    if (!location) {
      results[k] = { id: v.input.id, status: 'rejected', error: `lon/lat: point (${v.input.lon}, ${v.input.lat}) is outside ${cityName}` }
      continue
    }
    accepted.push({ slot: k, input: v.input, location, hash: contentHash(v.input) })
  }
  return { results, accepted }
}

const decoder = new TextDecoder('utf-8')

/** The raw body of POST /api/v1/events: parse the JSON, check the envelope, then prepare its events. */
export function prepareEnvelope(body: Uint8Array, locator: Locator, cityName: string, window?: ValidationWindow): PreparedBatch | EnvelopeError {
  let parsed: unknown = {} // an empty body is an envelope without events (as body-parser reads it): 400 naming `events`
  try {
    if (body.length > 0) parsed = JSON.parse(decoder.decode(body))
  } catch (err) {
    return { error: 'malformed JSON', details: [{ path: '(body)', message: (err as Error).message }] }
  }
  const envelope = eventBatchSchema.safeParse(parsed)
  if (!envelope.success) return { error: 'invalid request body', details: issuesToDetails(envelope.error) }
  return prepareEvents(envelope.data.events, locator, cityName, window)
}

export function isEnvelopeError(p: PreparedBatch | EnvelopeError): p is EnvelopeError {
  return 'error' in p
}
