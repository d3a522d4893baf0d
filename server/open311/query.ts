import { isKnownCategory } from '../../shared/categories.js'
import { CASE_STATUSES, type CaseStatus, isOpen } from '../../shared/workflow/states.js'
import type { Open311Query } from '../store/repository.js'
import { field, type Form } from './submit.js'

/** The spec's defaults: a span of 90 days or the first 1000 requests, whichever is smaller. */
export const DEFAULT_SPAN_MS = 90 * 86_400_000
export const MAX_REQUESTS = 1000

const OPEN = CASE_STATUSES.filter(isOpen)
const CLOSED = CASE_STATUSES.filter(s => !isOpen(s))
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/
const ID = /^[\w.:-]{1,64}$/

export type ParsedQuery = { ok: true, query: Open311Query } | { ok: false, status: 400 | 404, description: string }

const list = (v: string | undefined) => (v ?? '').split(',').map(s => s.trim()).filter(Boolean)

function date(form: Form, name: string): number | string | undefined {
  const v = field(form, name)
  if (!v) return undefined
  const ms = ISO_WITH_ZONE.test(v) ? Date.parse(v) : Number.NaN
  return Number.isFinite(ms) ? ms : `${name}: must be an ISO 8601 date-time with a time zone, e.g. 2026-11-24T09:30:00+08:00`
}

/** GET requests' parameters; service_request_id, when given, overrides all the others (as the spec says). */
export function parseRequestQuery(form: Form, nowMs: number): ParsedQuery {
  const ids = list(field(form, 'service_request_id'))
  if (ids.length > 0) {
    const bad = ids.find(id => !ID.test(id))
    if (bad !== undefined) return { ok: false, status: 400, description: `service_request_id: ${JSON.stringify(bad.slice(0, 70))} is not a request id` }
    if (ids.length > MAX_REQUESTS) return { ok: false, status: 400, description: `service_request_id: at most ${MAX_REQUESTS} ids` }
    return { ok: true, query: { ids, fromMs: 0, toMs: 0, limit: MAX_REQUESTS } }
  }
  const categories = list(field(form, 'service_code'))
  const unknown = categories.find(c => !isKnownCategory(c))
  if (unknown !== undefined) return { ok: false, status: 404, description: `service_code: ${unknown.slice(0, 20)} was not found` }
  const start = date(form, 'start_date')
  const end = date(form, 'end_date')
  if (typeof start === 'string') return { ok: false, status: 400, description: start }
  if (typeof end === 'string') return { ok: false, status: 400, description: end }
  const toMs = (end ?? (start !== undefined ? Math.min(start + DEFAULT_SPAN_MS, nowMs) : nowMs)) + 1 // end_date is inclusive
  const fromMs = start ?? toMs - DEFAULT_SPAN_MS
  if (fromMs > toMs) return { ok: false, status: 400, description: 'start_date: must not be after end_date' }
  const wanted = list(field(form, 'status')).map(s => s.toLowerCase())
  const badStatus = wanted.find(s => s !== 'open' && s !== 'closed')
  if (badStatus !== undefined) return { ok: false, status: 400, description: `status: must be open or closed (got ${JSON.stringify(badStatus.slice(0, 20))})` }
  const statuses: CaseStatus[] | undefined = wanted.length === 0 || wanted.length === 2 && new Set(wanted).size === 2
    ? undefined
    : [...(wanted.includes('open') ? OPEN : []), ...(wanted.includes('closed') ? CLOSED : [])]
  return {
    ok: true,
    query: { fromMs, toMs, limit: MAX_REQUESTS, ...(categories.length > 0 && { categories }), ...(statuses && { statuses }) },
  }
}
