/**
 * A scope is what a live client may see: the whole city or one district (later one street).
 * Room names are built here only, so access control can later decide who joins which room.
 */
export type Scope = 'city' | `district:${string}` | `street:${string}`
export type ScopeLevel = 'city' | 'district' | 'street'

export interface ParsedScope { level: ScopeLevel, code: string | null }

const SCOPE_PATTERN = /^(?:city|(district|street):(\d{6,9}))$/

export function parseScope(scope: string): ParsedScope | null {
  const m = SCOPE_PATTERN.exec(scope)
  if (!m) return null
  if (scope === 'city') return { level: 'city', code: null }
  return { level: m[1] as 'district' | 'street', code: m[2]! }
}

export function scopeRoom(scope: Scope): string {
  return `scope:${scope}`
}

/** The room of a scope's subscribers that take its alarm pushes (all but those subscribed with `alarms: false`). */
export function alarmRoom(scope: Scope): string {
  return `alarms:${scope}`
}

/** Does an incident located in (district, street) belong to a scope? */
export function scopeContains(scope: ParsedScope, loc: { district: string, street: string }): boolean {
  if (scope.level === 'city') return true
  if (scope.level === 'district') return loc.district === scope.code
  return loc.street === scope.code
}
