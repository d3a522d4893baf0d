import { type ParsedScope, parseScope } from './scope.js'

/** The roles a user can hold (issue #14); what each may do is decided by the access table, not here. */
export const ROLES = ['admin', 'leader', 'operator', 'analyst', 'display'] as const
export type Role = typeof ROLES[number]

/**
 * Who is on the other end of a request or socket, as established by `server/auth/authenticate.ts`:
 * - `user`: a person logged in with a session cookie (scope: `city`, `district:<code>` or `street:<code>`);
 * - `display`: a wall PC opened through a display link (read-only, the link's scope);
 * - `key`: a source system posting reports with an API key, limited to its `sources` and scope;
 * - `device`: an IoT device (MQTT);
 * - `system`: the server itself (`system:simulator`, `sim:department`, …) — never reachable from the network;
 * - `anonymous`: nothing presented.
 */
export type Principal =
  | { kind: 'user', id: string, username: string, role: Role, scope: string, sessionId: string }
  | { kind: 'display', linkId: string, scope: string }
  | { kind: 'key', id: string, name: string, scope: string, sources: readonly string[] }
  | { kind: 'device', id: string, scope: string }
  | { kind: 'system', name: string }
  | { kind: 'anonymous' }

export const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous' })

/** The scope a principal is limited to: `city` for the system, null for anonymous (sees nothing). */
export function principalScope(p: Principal): string | null {
  if (p.kind === 'system') return 'city'
  if (p.kind === 'anonymous') return null
  return p.scope
}

/** The name an action is recorded under in audit trails: a user's username, else a `kind:name` (never a username). */
export function actorName(p: Principal): string {
  switch (p.kind) {
    case 'user': return p.username
    case 'display': return `display:${p.linkId}`
    case 'key': return `key:${p.name}`
    case 'device': return `device:${p.id}`
    case 'system': return p.name.includes(':') ? p.name : `system:${p.name}`
    case 'anonymous': return 'anonymous'
  }
}

/** May this principal see this scope? Its own scope and everything inside it, nothing else. */
export function canView(p: Principal, scope: ParsedScope, streetDistrict?: (street: string) => string | undefined): boolean {
  const ownScope = principalScope(p)
  if (ownScope === null) return false
  const own = parseScope(ownScope)
  if (!own) return false
  if (own.level === 'city') return true
  if (own.level === scope.level) return own.code === scope.code
  // a district principal may look at one of its streets
  return own.level === 'district' && scope.level === 'street' && streetDistrict?.(scope.code!) === own.code
}

/** Roles that change cases and acknowledge alarms (the access table refines this per action). */
const ACTING_ROLES: readonly Role[] = ['admin', 'leader', 'operator']

/** May this principal change anything (workflow actions, alarm acknowledgement)? Display links never. */
export function canAct(p: Principal): boolean {
  return p.kind === 'system' || (p.kind === 'user' && ACTING_ROLES.includes(p.role))
}

/** The header and socket auth field that carry a display link's token. */
export const DISPLAY_HEADER = 'x-display-link'

/** The session cookie (HttpOnly, SameSite=Strict; set by POST /api/v1/auth/login). */
export const SESSION_COOKIE = 'cb_session'

/** Usernames: letters, digits, `.`, `_`, `-`; never `:` (reserved for system actors such as `system:dedupe`). */
export const USERNAME_PATTERN = /^[A-Za-z0-9._-]{2,32}$/
