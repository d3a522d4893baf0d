import { type EventRule, EVENTS, type Method, type RouteRule, ROUTES } from '../../shared/access.js'

export interface RouteMatch { rule: RouteRule, params: Record<string, string> }

interface Compiled { rule: RouteRule, segments: string[], literal: number }

const split = (path: string) => path.split('/').filter(Boolean)
const compiled: Compiled[] = ROUTES.map((rule) => {
  const segments = split(rule.path).map(s => (s.startsWith(':') ? s : s.toLowerCase()))
  return { rule, segments, literal: segments.filter(s => !s.startsWith(':')).length }
})
/** Rows by their number of segments: a request is compared with the few of its own length only. */
const byLength = new Map<number, Compiled[]>()
for (const c of compiled) byLength.set(c.segments.length, [...byLength.get(c.segments.length) ?? [], c])

/** Matches a table pattern as Express does: literal segments case-insensitively, `:name` one non-empty segment. */
function matchOne(c: Compiled, parts: string[], lower: string[]): Record<string, string> | null {
  const params: Record<string, string> = {}
  for (let i = 0; i < parts.length; i++) {
    const want = c.segments[i]!
    if (want.startsWith(':')) {
      try {
        params[want.slice(1)] = decodeURIComponent(parts[i]!)
      } catch {
        return null
      }
    } else if (want !== lower[i]) return null
  }
  return params
}

export type Lookup = { kind: 'found', match: RouteMatch } | { kind: 'method', allow: Method[] } | { kind: 'unknown' }

/**
 * The table row for a (normalised) request. HEAD is a GET (Express answers it with the GET route). A literal row
 * beats a parameter row (`/coverage/cells` before `/coverage/:x`), as the routers are declared.
 */
export function lookupRoute(method: string, path: string): Lookup {
  const m = method === 'HEAD' ? 'GET' : method
  const parts = split(path)
  const lower = parts.map(p => p.toLowerCase())
  const allow = new Set<Method>()
  let best: { match: RouteMatch, literal: number } | null = null
  for (const c of byLength.get(parts.length) ?? []) {
    const params = matchOne(c, parts, lower)
    if (!params) continue
    allow.add(c.rule.method)
    if (c.rule.method !== m) continue
    if (!best || c.literal > best.literal) best = { match: { rule: c.rule, params }, literal: c.literal }
  }
  if (best) return { kind: 'found', match: best.match }
  return allow.size > 0 ? { kind: 'method', allow: [...allow] } : { kind: 'unknown' }
}

export function eventRule(event: string): EventRule | undefined {
  return EVENTS.find(e => e.event === event)
}
