import express, { type ErrorRequestHandler, type Request, type Response, Router } from 'express'
import { getCategory } from '../../shared/categories.js'
import type { CityInfo, GeoUnit } from '../../shared/geo/types.js'
import type { Incident } from '../../shared/incident.js'
import type { Principal } from '../../shared/access.js'
import type { Source } from '../../shared/enums.js'
import type { IngestResult } from '../../shared/incident.js'
import type { ApiKeyService } from '../auth/api-keys.js'
import type { Audit } from '../auth/audit.js'
import { type IngestFn, IngestRefused } from '../ingest/ingest-service.js'
import { checkApiKey, type Open311Key } from '../open311/api-keys.js'
import { discoveryDocument } from '../open311/discovery.js'
import { type Format, send, sendErrors, splitFormat } from '../open311/format.js'
import { parseRequestQuery } from '../open311/query.js'
import { serviceDefinition, serviceList, serviceNotice } from '../open311/services.js'
import { field, type Form, parseSubmission, specFieldNames } from '../open311/submit.js'
import { requestView } from '../open311/view.js'
import { rejectReason } from '../sources/metered-ingest.js'
import type { Open311Repository } from '../store/repository.js'

export interface Open311Deps {
  ingest: IngestFn
  repo: Open311Repository
  city: CityInfo
  units: ReadonlyMap<string, GeoUnit>
  /** OPEN311_API_KEYS from the environment (kept working beside the stored API keys). */
  apiKeys: readonly Open311Key[]
  /** Stored API keys (issue #14): `api_key` may be one; its first source is the channel its reports count as. */
  keys?: ApiKeyService
  audit?: Audit
  now: () => number
  /** When the service list was last loaded (the discovery document's changeset). */
  startedAt: string
  /** Counts each submission per key (GET /api/v1/sources); null: a refused or unknown key. */
  meter?: { accepted: (keyIndex: number) => void, rejected: (keyIndex: number | null, reason: string) => void }
  /** The same for keys stored by `npm run user -- key` (issue #14). */
  keyMeter?: { onAccepted: (keyId: string) => void, onRejected: (keyId: string, reason: string) => void }
}

/** A key from OPEN311_API_KEYS: city-wide, its one channel. */
const ENV_KEY = (source: Source): Principal => ({ kind: 'key', id: 'env', name: 'OPEN311_API_KEYS', scope: 'city', sources: [source] })

/** Path segment → format, or null when the resource name is not the one this route serves. */
function formatOf(req: Request, name: string): Format | null {
  const f = splitFormat(String(req.params.file))
  return f.name === name ? f.format : null
}

/** The format an error is answered in: the extension of the last path segment, XML (the spec's) without one. */
const errorFormat = (req: Request): Format => splitFormat(req.path.split('/').pop() ?? '').format

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) under /open311: discovery, services, service
 * definitions, POST/GET requests and tokens, each in .json and .xml; errors in the spec's format. Thin: parsing in
 * server/open311/, storing through the one ingest path.
 */
export function open311Router(deps: Open311Deps): Router {
  const router = Router()
  const place = (i: Incident) => [deps.city.name, ...[i.district, i.street, i.community].map(c => deps.units.get(c)?.name ?? '')].join('')
  const viewDeps = { utcOffsetMinutes: deps.city.utcOffsetMinutes, placeName: place }

  router.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 100 }))
  // jurisdiction_id is optional for a single-city endpoint; a wrong one is the spec's 404
  router.use((req, res, next) => {
    const given = field({ ...(req.body as Form | undefined), ...(req.query as Form) }, 'jurisdiction_id')
    if (given && given !== deps.city.id) return sendErrors(res, errorFormat(req), 404, [`jurisdiction_id: ${given.slice(0, 40)} was not found (this server is ${deps.city.id})`])
    next()
  })

  router.get('/:file', (req, res, next) => {
    const format = formatOf(req, 'discovery')
    if (!format) return next()
    send(res, format, 'discovery', discoveryDocument(`${req.protocol}://${req.get('host') ?? 'localhost'}`, deps.startedAt))
  })

  router.get('/v2/:file', async (req, res, next) => {
    const services = formatOf(req, 'services')
    if (services) return send(res, services, 'services', serviceList())
    const format = formatOf(req, 'requests')
    if (!format) return next()
    const q = parseRequestQuery(req.query as Form, deps.now())
    if (!q.ok) return sendErrors(res, format, q.status, [q.description])
    const records = await deps.repo.open311Requests(q.query)
    send(res, format, 'service_requests', records.map(r => requestView(r, viewDeps)))
  })

  router.get('/v2/services/:file', (req, res) => {
    const { name, format } = splitFormat(String(req.params.file))
    const category = getCategory(name)
    if (!category) return sendErrors(res, format, 404, [`service_code: ${name.slice(0, 20)} was not found`])
    send(res, format, 'service_definition', serviceDefinition(category))
  })

  router.get('/v2/requests/:file', async (req, res) => {
    const { name, format } = splitFormat(String(req.params.file))
    const [record] = await deps.repo.open311Requests({ ids: [name], fromMs: 0, toMs: 0, limit: 1 })
    if (!record) return sendErrors(res, format, 404, [`service_request_id: ${name.slice(0, 64)} was not found`])
    send(res, format, 'service_requests', [requestView(record, viewDeps)])
  })

  // we store synchronously, so a token is the request's own id: token-flow clients get it straight back
  router.get('/v2/tokens/:file', async (req, res) => {
    const { name, format } = splitFormat(String(req.params.file))
    const [record] = await deps.repo.open311Requests({ ids: [name], fromMs: 0, toMs: 0, limit: 1 })
    if (!record) return sendErrors(res, format, 404, [`token: ${name.slice(0, 64)} was not found`])
    send(res, format, 'service_requests', [{ service_request_id: record.incident.id, token: name }])
  })

  router.post('/v2/:file', async (req, res, next) => {
    const format = formatOf(req, 'requests')
    if (!format) return next()
    if (!req.is('application/x-www-form-urlencoded')) return sendErrors(res, format, 400, ['(body): expected Content-Type: application/x-www-form-urlencoded'])
    const form = req.body as Form
    const given = field(form, 'api_key')
    const stored = given && deps.keys ? await deps.keys.resolve(given) : null
    let source: Source
    let by: Principal
    // counted per key on GET /api/v1/sources: a stored key under its id, an OPEN311_API_KEYS key by its place
    let count: { accepted: () => void, rejected: (reason: string) => void }
    if (stored) {
      count = { accepted: () => deps.keyMeter?.onAccepted(stored.id), rejected: reason => deps.keyMeter?.onRejected(stored.id, reason) }
      const admitted = deps.keys!.admit(stored, 1)
      if (!admitted.ok) {
        count.rejected('rate-limit')
        res.set('Retry-After', String(admitted.retryAfterS))
        return sendErrors(res, format, 429, [`api_key: rate limit of ${stored.name} exceeded (${stored.ratePerMin} reports a minute)`])
      }
      void deps.audit?.keyUsed(stored.id, stored.name, req.ip ?? null, 1)
      source = stored.sources[0] as Source
      by = { kind: 'key', id: stored.id, name: stored.name, scope: stored.scope, sources: stored.sources }
    } else {
      const key = checkApiKey(deps.apiKeys, given)
      if (!key.ok) {
        deps.meter?.rejected(null, 'auth')
        return sendErrors(res, format, 403, [key.description])
      }
      count = { accepted: () => deps.meter?.accepted(key.index), rejected: reason => deps.meter?.rejected(key.index, reason) }
      source = key.source
      by = ENV_KEY(source)
    }
    const submission = parseSubmission(form, source, new Date(deps.now()))
    if (!submission.ok) {
      count.rejected(rejectReason(submission.description))
      return sendErrors(res, format, submission.status, [submission.description])
    }
    let result: IngestResult | undefined
    try {
      [result] = await deps.ingest([submission.event], by)
    } catch (err) {
      if (err instanceof IngestRefused) {
        count.rejected('forbidden')
        return sendErrors(res, format, 403, [specFieldNames(err.message.replace(/^events\[0\]\./, ''))])
      }
      throw err
    }
    if (result?.status !== 'stored') {
      count.rejected(rejectReason(result?.error))
      return sendErrors(res, format, 400, [specFieldNames(result?.error ?? 'the request was not stored')])
    }
    await deps.repo.saveOpen311Details(submission.details)
    count.accepted()
    const id = submission.details.id
    send(res, format, 'service_requests', [{ service_request_id: id, token: id, service_notice: serviceNotice(submission.category), account_id: null }])
  })

  router.use((req: Request, res: Response) => {
    sendErrors(res, errorFormat(req), 404, [`no such Open311 resource: ${req.method} ${req.baseUrl}${req.path}`])
  })
  const bodyErrors: ErrorRequestHandler = (err: { type?: string, message?: string }, req, res, next) => {
    if (err.type === 'entity.too.large') return sendErrors(res, errorFormat(req), 413, ['(body): request body too large'])
    if (typeof err.type === 'string' && err.type.startsWith('entity.') || err.type === 'parameters.too.many') return sendErrors(res, errorFormat(req), 400, [`(body): ${err.message ?? 'unreadable form'}`])
    next(err)
  }
  router.use(bodyErrors)
  return router
}
