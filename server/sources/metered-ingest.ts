import type { Source } from '../../shared/enums.js'
import type { IngestFn, IngestJsonFn } from '../ingest/ingest-service.js'
import type { SourceRegistry } from './registry.js'
import { apiKeySourceId, type ApiKeySignals } from './signals.js'

/**
 * A rejection's reason for counting: the first field the error names (`schema:lat`, `schema:reporter.phone`), or
 * `outside-city` for a point the city does not contain. Errors name their field first ("lat: …"): the ingest
 * path's and Open311's alike.
 */
export function rejectReason(error: string | undefined): string {
  if (!error) return 'unknown'
  if (/^lon\/lat: point .* is outside /.test(error)) return 'outside-city'
  const field = /^([\w.[\]/()-]+):/.exec(error)?.[1]
  return field ? `schema:${field}` : 'schema'
}

/**
 * The same ingest, with each result counted against the source `sourceOf` names (after commit: an event counts
 * as accepted once stored or acknowledged as a duplicate). One counter call per source per batch.
 */
export function meteredIngest(ingest: IngestFn, registry: SourceRegistry, sourceOf: (event: unknown) => string): IngestFn {
  return async (events) => {
    const results = await ingest(events)
    const accepted = new Map<string, number>()
    results.forEach((r, k) => {
      const id = sourceOf(events[k])
      if (r.status === 'rejected') registry.rejected(id, rejectReason(r.error))
      else accepted.set(id, (accepted.get(id) ?? 0) + 1)
    })
    for (const [id, n] of accepted) registry.accepted(id, n)
    return results
  }
}

/**
 * POST /api/v1/events needs a credential (issue #14), so its reports are counted under who sent them: the API key
 * (`api_key:<id>`, listed at its first use), or `http:hand` for a report an operator entered with a session. The
 * body is parsed on a worker thread, so the events' own `source` is not read here.
 */
export function meteredIngestJson(ingestJson: IngestJsonFn, registry: SourceRegistry, keys: ApiKeySignals): IngestJsonFn {
  return async (body, opts = {}) => {
    const by = opts.by
    let id = 'http:hand'
    if (by?.kind === 'key') {
      id = apiKeySourceId(by.id)
      if (!registry.has(id)) keys.onRegistered({ keyId: by.id, name: by.name, scope: by.scope, channel: by.sources.length === 1 ? by.sources[0] as Source : null })
    }
    const answer = await ingestJson(body, opts)
    if ('error' in answer) return answer // refused whole: counted by the route's refusal counter
    let accepted = 0
    for (const r of answer.results) {
      if (r.status === 'rejected') registry.rejected(id, rejectReason(r.error))
      else accepted++
    }
    if (accepted > 0) registry.accepted(id, accepted)
    return answer
  }
}
