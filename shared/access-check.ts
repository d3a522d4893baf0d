import type { Party, Principal } from './access.js'
import type { ErrorDetail } from './schemas/errors.js'
import { type ParsedScope, parseScope } from './scope.js'

/** Which of the table's parties a principal is: a user by its role, anyone else by its kind. */
export function partyOf(p: Principal): Party {
  return p.kind === 'user' ? p.role : p.kind
}

/** The scope a principal may see: its own (user, display link, key, device), the city for the system, none anonymous. */
export function ownScope(p: Principal): ParsedScope | null {
  if (p.kind === 'system') return { level: 'city', code: null }
  if (p.kind === 'anonymous') return null
  return parseScope(p.scope)
}

/** Is `asked` inside `own`? A district holds its streets; a street holds only itself. */
export function scopeWithin(own: ParsedScope, asked: ParsedScope, districtOfStreet: (street: string) => string | undefined): boolean {
  if (own.level === 'city') return true
  if (own.level === asked.level) return own.code === asked.code
  return own.level === 'district' && asked.level === 'street' && districtOfStreet(asked.code!) === own.code
}

/** Does a scope contain a place (a case's or an alarm's district and street)? */
export function scopeHolds(own: ParsedScope, place: { district: string, street: string }): boolean {
  if (own.level === 'city') return true
  return own.level === 'district' ? place.district === own.code : place.street === own.code
}

export type Refusal = { status: 401 | 403, error: string, details?: ErrorDetail[] }

const describe = (p: Principal) => (p.kind === 'user' ? `role ${p.role}` : p.kind === 'display' ? 'a display link' : `a ${p.kind} principal`)

/** May this principal use a row of the table at all (before its scope)? null: yes; else why not. */
export function refuseParty(who: readonly Party[], p: Principal, what: string): Refusal | null {
  if (who.includes(partyOf(p))) return null
  if (p.kind === 'anonymous') return { status: 401, error: who.includes('key') ? `sign in or send an API key (Authorization: Bearer <key>): ${what}` : `sign in required: ${what}` }
  return { status: 403, error: `${describe(p)} may not use ${what}` }
}

/**
 * Is `asked` (null: a city-wide request) inside the principal's scope? null: yes; else a 403 naming the field that
 * carried the scope.
 */
export function refuseScope(p: Principal, asked: ParsedScope | null, field: string, districtOfStreet: (street: string) => string | undefined): Refusal | null {
  const own = ownScope(p)
  const target = asked ?? { level: 'city', code: null }
  if (own && scopeWithin(own, target, districtOfStreet)) return null
  const label = target.level === 'city' ? 'city' : `${target.level}:${target.code}`
  const mine = p.kind === 'anonymous' || p.kind === 'system' ? 'none' : p.scope
  return { status: 403, error: 'outside your scope', details: [{ path: field, message: `${field}: ${label} is outside your scope (${mine})` }] }
}

/** May this principal read the reporter's name and phone of a case at this place? Operators (and admins) of its scope. */
export function seesReporter(p: Principal, place: { district: string, street: string }): boolean {
  if (p.kind !== 'user' || (p.role !== 'operator' && p.role !== 'admin')) return false
  const own = parseScope(p.scope)
  return own !== null && scopeHolds(own, place)
}
