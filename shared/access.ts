import type { ClientToServerEvents } from './events.js'

/**
 * Who may do what (issue #14): the one table every HTTP route and every Socket.IO request is checked against
 * (server/http/authorize.ts, server/realtime/socket-authorize.ts), and that docs/SECURITY.md is checked against.
 * A route or event without an entry here is refused, and test/integration/access-table.test.ts fails.
 */

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

/**
 * A row's "who": a user's role, or a principal kind that is not a user. A display link and a user with the role
 * `display` are the same party (a wall), so `display` covers both.
 */
export type Party = Role | 'key' | 'device' | 'system' | 'anonymous'

/**
 * Where a request's scope comes from; the request is allowed only inside the principal's own scope.
 * - `none`: no district's data (geography, map tiles, calendar, the app's config, Open311's public reads)
 * - `city`: city-wide figures or a city-wide change: only principals scoped to the whole city
 * - `query`: the `scope` query parameter; absent, it is narrowed to the principal's own scope
 * - `drill`: `level` + `code` (analysis); absent, narrowed to the principal's own unit
 * - `coverage`: `level` + `parent` (greenway coverage rows); a missing `parent` is narrowed, a wider one refused
 * - `incident` / `alarm` / `campaign`: the district and street of the case, alarm or campaign named by `:id`
 * - `body`: the JSON body's `scope` field
 * - `events`: each ingested event's location, checked by the ingest path against the principal's scope
 */
export type ScopeSource = 'none' | 'city' | 'query' | 'drill' | 'coverage' | 'incident' | 'alarm' | 'campaign' | 'body' | 'events'

export type Method = 'GET' | 'POST' | 'DELETE'

export interface RouteRule {
  method: Method
  /** An Express path pattern (path-to-regexp v8), matched on the normalised path, case-insensitively as Express does. */
  path: string
  who: readonly Party[]
  scope: ScopeSource
  /** The answer may carry a reporter's name and phone: masked for anyone but the operators of the case's scope. */
  personal?: true
}

export interface EventRule {
  event: keyof ClientToServerEvents
  who: readonly Party[]
  /** `request`: the `scope` field of the request; `incident`/`alarm`: the case or alarm named by `id`. */
  scope: 'none' | 'city' | 'request' | 'incident' | 'alarm'
}

const STAFF = ['admin', 'leader', 'operator', 'analyst'] as const
/** Staff and walls: the wall's reads. */
const VIEWERS = [...STAFF, 'display'] as const
/** Those who work cases and alarms and enter reports. */
const WORKERS = ['admin', 'operator'] as const
const EVERYONE = [...ROLES, 'key', 'device', 'system', 'anonymous'] as const

export const ROUTES: readonly RouteRule[] = [
  // the app itself; /health answers anonymous callers with its status only (server/app.ts)
  { method: 'GET', path: '/api/v1/health', who: EVERYONE, scope: 'none' },
  { method: 'GET', path: '/api/v1/client-config', who: EVERYONE, scope: 'none' },
  { method: 'GET', path: '/api/v1/basemap/tiles.pmtiles', who: VIEWERS, scope: 'none' },
  // sign-in (server/auth)
  { method: 'POST', path: '/api/v1/auth/login', who: EVERYONE, scope: 'none' },
  { method: 'POST', path: '/api/v1/auth/logout', who: ROLES, scope: 'none' },
  { method: 'GET', path: '/api/v1/auth/me', who: ROLES, scope: 'none' },
  { method: 'DELETE', path: '/api/v1/auth/sessions/:id', who: ['admin'], scope: 'city' },
  { method: 'POST', path: '/api/v1/auth/users/:username/revoke-sessions', who: ['admin'], scope: 'city' },
  // display links: issued by admins and operators for a wall inside their scope; listed and revoked city-wide
  { method: 'POST', path: '/api/v1/display-links', who: WORKERS, scope: 'body' },
  { method: 'GET', path: '/api/v1/display-links', who: WORKERS, scope: 'city' },
  { method: 'DELETE', path: '/api/v1/display-links/:id', who: WORKERS, scope: 'city' },
  // ingest: source systems with a key, the simulator, and a call taken at the centre
  { method: 'POST', path: '/api/v1/events', who: [...WORKERS, 'key', 'device', 'system'], scope: 'events' },
  // cases
  { method: 'GET', path: '/api/v1/cases', who: STAFF, scope: 'query' },
  { method: 'GET', path: '/api/v1/incidents/:id', who: STAFF, scope: 'incident', personal: true },
  { method: 'GET', path: '/api/v1/incidents/:id/events', who: STAFF, scope: 'incident' },
  { method: 'GET', path: '/api/v1/incidents/:id/merged', who: STAFF, scope: 'incident', personal: true },
  { method: 'POST', path: '/api/v1/incidents/:id/actions', who: WORKERS, scope: 'incident' },
  // alarms
  { method: 'GET', path: '/api/v1/alarms', who: STAFF, scope: 'query' },
  { method: 'POST', path: '/api/v1/alarms/:id/ack', who: WORKERS, scope: 'alarm' },
  // KPIs and the league table (the wall reads them too)
  { method: 'GET', path: '/api/v1/kpis', who: VIEWERS, scope: 'query' },
  { method: 'GET', path: '/api/v1/league', who: VIEWERS, scope: 'query' },
  // geography: the city's outline and names, the same for everyone signed in
  { method: 'GET', path: '/api/v1/city', who: VIEWERS, scope: 'none' },
  { method: 'GET', path: '/api/v1/units', who: VIEWERS, scope: 'none' },
  { method: 'GET', path: '/api/v1/units/:code/children', who: VIEWERS, scope: 'none' },
  { method: 'GET', path: '/api/v1/geo/:level', who: VIEWERS, scope: 'none' },
  // analysis (drill-down); shapes are geometry only
  { method: 'GET', path: '/api/v1/analysis/summary', who: STAFF, scope: 'drill' },
  { method: 'GET', path: '/api/v1/analysis/incidents', who: STAFF, scope: 'drill', personal: true },
  { method: 'GET', path: '/api/v1/analysis/points', who: STAFF, scope: 'drill' },
  { method: 'GET', path: '/api/v1/analysis/shapes', who: STAFF, scope: 'none' },
  // greenways: the network, facilities and coverage outlines are infrastructure maps; figures are scoped
  { method: 'GET', path: '/api/v1/greenways', who: VIEWERS, scope: 'none' },
  { method: 'GET', path: '/api/v1/facilities', who: VIEWERS, scope: 'none' },
  { method: 'GET', path: '/api/v1/coverage/cells', who: VIEWERS, scope: 'none' },
  { method: 'GET', path: '/api/v1/coverage', who: VIEWERS, scope: 'coverage' },
  { method: 'GET', path: '/api/v1/greenway/summary', who: VIEWERS, scope: 'city' },
  { method: 'GET', path: '/api/v1/footfall', who: VIEWERS, scope: 'city' },
  { method: 'POST', path: '/api/v1/greenway/events', who: ['admin', 'system'], scope: 'city' },
  { method: 'POST', path: '/api/v1/greenway/reload', who: ['admin'], scope: 'city' },
  { method: 'POST', path: '/api/v1/footfall', who: ['admin', 'device', 'system'], scope: 'city' },
  // where reports come from (issue #15): every device and key of the city, so city-wide staff only
  { method: 'GET', path: '/api/v1/sources', who: WORKERS, scope: 'city' },
  // the working calendar
  { method: 'GET', path: '/api/v1/calendar/due', who: STAFF, scope: 'none' },
  { method: 'GET', path: '/api/v1/calendar/:year', who: STAFF, scope: 'none' },
  { method: 'POST', path: '/api/v1/calendar/reload', who: ['admin'], scope: 'city' },
  // campaigns (专项行动): leaders start them in their area
  { method: 'GET', path: '/api/v1/campaigns', who: VIEWERS, scope: 'query' },
  { method: 'GET', path: '/api/v1/campaigns/:id', who: VIEWERS, scope: 'campaign' },
  { method: 'POST', path: '/api/v1/campaigns', who: ['admin', 'leader'], scope: 'body' },
  // Open311 GeoReport v2: public reads (no personal data) as the spec expects; a POST needs the form's api_key
  { method: 'GET', path: '/open311/:file', who: EVERYONE, scope: 'none' },
  { method: 'GET', path: '/open311/v2/:file', who: EVERYONE, scope: 'none' },
  { method: 'GET', path: '/open311/v2/services/:file', who: EVERYONE, scope: 'none' },
  { method: 'GET', path: '/open311/v2/requests/:file', who: EVERYONE, scope: 'none' },
  { method: 'GET', path: '/open311/v2/tokens/:file', who: EVERYONE, scope: 'none' },
  { method: 'POST', path: '/open311/v2/:file', who: EVERYONE, scope: 'none' },
]

export const EVENTS: readonly EventRule[] = [
  { event: 'scope:subscribe', who: VIEWERS, scope: 'request' },
  { event: 'scope:unsubscribe', who: VIEWERS, scope: 'none' },
  { event: 'alarm:list', who: VIEWERS, scope: 'request' },
  { event: 'incident:act', who: WORKERS, scope: 'incident' },
  { event: 'alarm:ack', who: WORKERS, scope: 'alarm' },
  // the greenway feed is city-wide (every district's rows): city-scoped viewers only
  { event: 'greenway:subscribe', who: VIEWERS, scope: 'city' },
  { event: 'greenway:unsubscribe', who: VIEWERS, scope: 'none' },
]

/** The header and socket auth field that carry a display link's token. */
export const DISPLAY_HEADER = 'x-display-link'

/** The session cookie (HttpOnly, SameSite=Strict; set by POST /api/v1/auth/login). */
export const SESSION_COOKIE = 'cb_session'

/** Usernames: letters, digits, `.`, `_`, `-`; never `:` (reserved for system actors such as `system:dedupe`). */
export const USERNAME_PATTERN = /^[A-Za-z0-9._-]{2,32}$/
