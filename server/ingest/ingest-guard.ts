import { type Principal, principalScope } from '../../shared/access.js'
import type { Location } from '../../shared/incident.js'
import type { ErrorDetail } from '../../shared/schemas/errors.js'
import { parseScope, scopeContains } from '../../shared/scope.js'

/** The simulator's identity: it posts through the same ingest path as everyone else (issue #14). */
export const SIMULATOR: Principal = Object.freeze({ kind: 'system', name: 'system:simulator' })

/** Roles that may enter a report by hand (a call taken at the centre). */
export const MANUAL_INGEST_ROLES = ['admin', 'operator'] as const

/** Why this principal may not post reports at all (401/403), or null. Checked before any event is looked at. */
export function ingestDenied(p: Principal): { status: 401 | 403, error: string } | null {
  switch (p.kind) {
    case 'system': case 'key': case 'device': return null
    case 'user': return (MANUAL_INGEST_ROLES as readonly string[]).includes(p.role) ? null : { status: 403, error: `role ${p.role} may not enter reports (operators and admins may)` }
    case 'display': return { status: 403, error: 'read-only display link: not allowed' }
    case 'anonymous': return { status: 401, error: 'an API key (Authorization: Bearer …) or a login is required' }
  }
}

/**
 * May this principal post this located report? A key only its `sources`; keys, devices and users only inside their
 * scope. The answer names the field of the offending event.
 */
export function eventDenied(p: Principal, index: number, source: string, location: Location): ErrorDetail | null {
  if (p.kind === 'system') return null
  if (p.kind === 'key' && !p.sources.includes(source)) {
    return { path: `events[${index}].source`, message: `events[${index}].source: this API key may post ${p.sources.join(', ')} only, not ${source}` }
  }
  const own = parseScope(principalScope(p) ?? '')
  if (!own || !scopeContains(own, location)) {
    const whose = p.kind === 'key' ? 'this API key\'s' : p.kind === 'user' ? 'your' : 'this device\'s'
    return { path: `events[${index}].lon`, message: `events[${index}].lon/lat: the point lies outside ${whose} scope (${principalScope(p) ?? 'none'})` }
  }
  return null
}
