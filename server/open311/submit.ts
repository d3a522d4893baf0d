import { randomUUID } from 'node:crypto'
import gcoord from 'gcoord'
import { type Category, getCategory } from '../../shared/categories.js'
import type { RequestType, Source } from '../../shared/enums.js'
import type { Open311Details } from '../store/repository.js'
import { ATTRIBUTES, defaultSeverity } from './services.js'

/**
 * POST requests: the spec's form fields → one event for the ingest path (the same one POST /api/v1/events takes)
 * plus the details the incident schema has no place for. Each refusal names the field and carries the spec's code.
 */
export type Form = Record<string, string | string[] | undefined>

export type Submission =
  | { ok: true, event: Record<string, unknown>, details: Open311Details, category: Category }
  | { ok: false, status: 400 | 404, description: string }

/** Client coordinates: the spec's WGS-84, or (our extension) GCJ-02 / BD-09 as Chinese map SDKs give them. */
const DATUMS = { wgs84: null, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const
const CJK = /[\u3400-\u9fff]/

const refuse = (description: string, status: 400 | 404 = 400): Submission => ({ ok: false, status, description })

/** Only the first value of a repeated scalar field counts (form encoders repeat a field when a client does). */
export function field(form: Form, name: string): string | undefined {
  const v = form[name]
  const s = Array.isArray(v) ? v[0] : v
  return s === undefined ? undefined : s.trim()
}

function coordinate(raw: string | undefined, name: 'lat' | 'long', limit: number): number | string | undefined {
  if (raw === undefined || raw === '') return undefined
  const n = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN
  if (!Number.isFinite(n) || Math.abs(n) > limit) return `${name}: must be a decimal degree between -${limit} and ${limit} (got ${JSON.stringify(raw.slice(0, 40))})`
  return n
}

/** 王 + 小明 → 王小明 (Chinese order, no space); John + Smith → John Smith. */
export function reporterName(first: string | undefined, last: string | undefined): string | undefined {
  const parts = [first, last].filter((p): p is string => !!p)
  if (parts.length === 0) return undefined
  return parts.some(p => CJK.test(p)) ? [last, first].filter(Boolean).join('') : parts.join(' ')
}

/** attribute[code]=value (or attribute[code][]=v for lists): known codes, checked against their values. */
function attributes(form: Form): Record<string, string> | string {
  const out: Record<string, string> = {}
  for (const [key, raw] of Object.entries(form)) {
    const m = /^attribute\[([^\]]+)\](\[\])?$/.exec(key)
    if (!m) continue
    const def = ATTRIBUTES.find(a => a.code === m[1])
    if (!def) continue // not in the service definition: ignored, never stored (documented)
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim() ?? ''
    if (!def.values.some(v => v.key === value)) return `attribute[${def.code}]: must be one of ${def.values.map(v => v.key).join(', ')}`
    out[def.code] = value
  }
  return out
}

export function parseSubmission(form: Form, source: Source, now: Date): Submission {
  const code = field(form, 'service_code')
  if (!code) return refuse('service_code: required')
  const category = getCategory(code)
  if (!category) return refuse(`service_code: ${code.slice(0, 20)} was not found (GET services lists the codes)`, 404)

  const datumName = (field(form, 'coordinate_system') ?? 'wgs84').toLowerCase()
  if (!(datumName in DATUMS)) return refuse('coordinate_system: must be wgs84 (the default), gcj02 or bd09')
  const lat = coordinate(field(form, 'lat'), 'lat', 90)
  const long = coordinate(field(form, 'long'), 'long', 180)
  if (typeof lat === 'string') return refuse(lat)
  if (typeof long === 'string') return refuse(long)
  const address = field(form, 'address_string') || undefined
  if (lat === undefined || long === undefined) {
    if (lat !== undefined || long !== undefined) return refuse(`${lat === undefined ? 'lat' : 'long'}: required with ${lat === undefined ? 'long' : 'lat'}`)
    return refuse(address || field(form, 'address_id')
      ? 'lat/long: required: this server cannot geocode address_string or address_id; send lat and long (WGS-84) with it'
      : 'lat/long: required: a location (lat and long, WGS-84)')
  }
  const datum = DATUMS[datumName as keyof typeof DATUMS]
  const [lon, wgsLat] = datum ? gcoord.transform([long, lat], datum, gcoord.WGS84) as [number, number] : [long, lat]

  const mediaUrl = field(form, 'media_url') || undefined
  if (mediaUrl !== undefined && (mediaUrl.length > 1000 || !/^https?:\/\/[^\s]+$/i.test(mediaUrl))) return refuse('media_url: must be an http(s) URL of at most 1000 characters')
  if (address !== undefined && address.length > 500) return refuse('address_string: at most 500 characters')
  const description = field(form, 'description') ?? ''
  if (description.length > 2000) return refuse('description: at most 2000 characters')
  const attrs = attributes(form)
  if (typeof attrs === 'string') return refuse(attrs)

  const name = reporterName(field(form, 'first_name') || undefined, field(form, 'last_name') || undefined)
  const phone = field(form, 'phone') || undefined
  const id = `o311-${randomUUID()}`
  const event = {
    id, source, category: category.code,
    severity: attrs.severity ?? defaultSeverity(category),
    lon, lat: wgsLat,
    reportedAt: now.toISOString(),
    description,
    // the case carries the 12345 request type when the key is a 12345 platform's (the schema allows it there only)
    ...(source === 'hotline_12345' && attrs.request_type !== undefined && { requestType: attrs.request_type as RequestType }),
    ...((name ?? phone) !== undefined && { reporter: { ...(name && { name }), ...(phone && { phone }) } }),
  }
  return { ok: true, event, category, details: { id, ...(address && { address }), ...(mediaUrl && { mediaUrl }), attributes: attrs } }
}

/** The ingest path's field names in a rejection, back in the spec's (reporter.phone → phone). */
export function specFieldNames(error: string): string {
  return error
    .replace(/\breporter\.phone\b/g, 'phone')
    .replace(/\breporter\.name\b/g, 'first_name/last_name')
    .replace(/\blon\/lat: point \(([-\d.]+), ([-\d.]+)\)/g, 'lat/long: point (lat $2, long $1)')
    .replace(/\blon\/lat\b/g, 'lat/long')
    .replace(/\b([\w/]+): \1: /g, '$1: ') // "phone: phone: digits…" once
}
