import type { Principal, RouteRule } from '../../shared/access.js'
import { ownScope } from '../../shared/access-check.js'
import { type ParsedScope, parseScope } from '../../shared/scope.js'

export interface Place { district: string, street: string }

/** What the checks need to know about the city and the stored cases, alarms and campaigns. */
export interface ScopeResolvers {
  districtOfStreet: (street: string) => string | undefined
  unit: (code: string) => { level: string, parent: string | null } | undefined
  /** The community of an H3 cell of the city's grid. */
  cellCommunity: (h3: string) => string | undefined
  incidentPlace: (id: string) => Promise<Place | null>
  alarmPlace: (id: number) => Promise<Place | null>
  campaignScope: (id: string) => Promise<string | null>
}

/**
 * The scope a request asks for:
 * - `free`: nothing to check (no scope, or an `:id` that does not exist: the router answers 404)
 * - `asked`: this scope (null: the whole city), carried by `field`
 * - `narrow`: the parameter was left out; it is filled in with the principal's own unit (`set`) and the request goes on
 * - `invalid`: a 400 naming the field
 */
export type Asked =
  | { kind: 'free' }
  | { kind: 'asked', scope: ParsedScope | null, field: string }
  | { kind: 'narrow', set: Record<string, string> }
  | { kind: 'invalid', field: string, message: string }

const CITY = null
const one = (v: unknown): string | undefined | null => (v === undefined ? undefined : typeof v === 'string' ? v : null)
const scopeOf = (level: string, code: string): ParsedScope => ({ level: level as ParsedScope['level'], code })

/** A unit code (of any level the drill-down knows, or an H3 cell) → the district or street scope that holds it. */
function unitScope(r: ScopeResolvers, level: string, code: string): ParsedScope | null {
  if (level === 'cell') {
    const community = r.cellCommunity(code)
    return community ? unitScope(r, 'community', community) : CITY
  }
  const unit = r.unit(code)
  if (!unit || unit.level !== level) return CITY // unknown: only the whole city may ask (and gets a 400 or nothing)
  if (level === 'district' || level === 'street') return scopeOf(level, code)
  if (level === 'community' && unit.parent) return scopeOf('street', unit.parent)
  return CITY
}

function fromQuery(raw: unknown, p: Principal): Asked {
  const v = one(raw)
  const own = ownScope(p)
  if (v === undefined) return own && own.level !== 'city' ? { kind: 'narrow', set: { scope: `${own.level}:${own.code}` } } : { kind: 'asked', scope: CITY, field: 'scope' }
  const parsed = v === null ? null : parseScope(v)
  if (!parsed) return { kind: 'invalid', field: 'scope', message: 'scope: expected "city", "district:<code>" or "street:<code>"' }
  return { kind: 'asked', scope: parsed.level === 'city' ? CITY : parsed, field: 'scope' }
}

function fromDrill(q: Record<string, unknown>, p: Principal, r: ScopeResolvers): Asked {
  const level = one(q.level) || undefined
  const code = one(q.code) || undefined
  if (level === null || code === null) return { kind: 'invalid', field: level === null ? 'level' : 'code', message: 'a single value' }
  const own = ownScope(p)
  if (level === undefined && code === undefined && own && own.level !== 'city') return { kind: 'narrow', set: { level: own.level, code: own.code! } }
  if (level === undefined || level === 'city') return { kind: 'asked', scope: CITY, field: 'level' }
  if (code === undefined) return { kind: 'free' } // the router's 400: code required
  return { kind: 'asked', scope: unitScope(r, level, code), field: 'code' }
}

/** Coverage rows: `level` (default district) and `parent`. A table of every district or street is city-wide. */
function fromCoverage(q: Record<string, unknown>, p: Principal, r: ScopeResolvers): Asked {
  const level = one(q.level) || 'district'
  const parent = one(q.parent) || undefined
  if (level === null || parent === null) return { kind: 'invalid', field: level === null ? 'level' : 'parent', message: 'a single value' }
  const own = ownScope(p)
  const childOf: Record<string, string> = { street: 'district', community: 'street' }
  const parentLevel = childOf[level]
  if (!parentLevel) return { kind: 'asked', scope: CITY, field: 'level' }
  if (parent === undefined) {
    if (own?.level === parentLevel) return { kind: 'narrow', set: { parent: own.code! } }
    return { kind: 'asked', scope: CITY, field: 'parent' }
  }
  return { kind: 'asked', scope: unitScope(r, parentLevel, parent), field: 'parent' }
}

/** The scope a request asks for, by its table row (see ScopeSource in shared/access.ts). */
export async function askedScope(rule: RouteRule, params: Record<string, string>, query: Record<string, unknown>, body: unknown, p: Principal, r: ScopeResolvers): Promise<Asked> {
  switch (rule.scope) {
    case 'none':
    case 'events': // each event's place is checked by the ingest path
      return { kind: 'free' }
    case 'city':
      return { kind: 'asked', scope: CITY, field: '(scope)' }
    case 'query':
      return fromQuery(query.scope, p)
    case 'drill':
      return fromDrill(query, p, r)
    case 'coverage':
      return fromCoverage(query, p, r)
    case 'incident':
    case 'alarm': {
      const place = rule.scope === 'incident' ? await r.incidentPlace(params.id!) : /^\d{1,15}$/.test(params.id!) ? await r.alarmPlace(Number(params.id)) : null
      return place ? { kind: 'asked', scope: scopeOf('street', place.street), field: 'id' } : { kind: 'free' }
    }
    case 'campaign': {
      const scope = await r.campaignScope(params.id!)
      const parsed = scope === null ? undefined : parseScope(scope)
      return parsed ? { kind: 'asked', scope: parsed.level === 'city' ? CITY : parsed, field: 'id' } : { kind: 'free' }
    }
    case 'body': {
      const raw = (body as { scope?: unknown } | undefined)?.scope
      const parsed = typeof raw === 'string' ? parseScope(raw) : null
      return parsed ? { kind: 'asked', scope: parsed.level === 'city' ? CITY : parsed, field: 'scope' } : { kind: 'free' } // the router's 400
    }
  }
}
