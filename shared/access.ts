import { type ParsedScope, parseScope } from './scope.js'

/**
 * Who is on the other end of a connection. Until users and roles arrive, a connection without credentials is an
 * operator; a wall PC opened through a display link is a read-only principal limited to the link's scope.
 */
export type Principal = { kind: 'operator' } | { kind: 'display', linkId: string, scope: string }

/** May this principal see this scope? A display link sees its scope and everything inside it, nothing else. */
export function canView(p: Principal, scope: ParsedScope, streetDistrict?: (street: string) => string | undefined): boolean {
  if (p.kind === 'operator') return true
  const own = parseScope(p.scope)
  if (!own) return false
  if (own.level === 'city') return true
  if (own.level === scope.level) return own.code === scope.code
  // a district link may look at one of its streets
  return own.level === 'district' && scope.level === 'street' && streetDistrict?.(scope.code!) === own.code
}

/** May this principal change anything (workflow actions, alarm acknowledgement)? Display links never. */
export function canAct(p: Principal): boolean {
  return p.kind === 'operator'
}

/** The header and socket auth field that carry a display link's token. */
export const DISPLAY_HEADER = 'x-display-link'
