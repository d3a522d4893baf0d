import type { Role } from '../../shared/access.js'

/** Where each role starts after logging in (issue #14). */
const LANDING: Record<Role, string> = { admin: '/ops', operator: '/ops', leader: '/wall', analyst: '/analysis', display: '/wall' }

export function landingFor(role: Role): string {
  return LANDING[role]
}

/**
 * The page to go back to after login: only a path of this app (one leading slash, not `//host`, not `/login`),
 * so a crafted `?next=` cannot send the browser to another site.
 */
export function safeNext(next: unknown): string | null {
  if (typeof next !== 'string' || !/^\/(?![/\\])/.test(next) || /^\/login(?:[/?#]|$)/.test(next)) return null
  return next
}

/** The login page's URL that comes back to `path` afterwards. */
export function loginUrl(path: string): string {
  const next = safeNext(path)
  return next && next !== '/' ? `/login?next=${encodeURIComponent(next)}` : '/login'
}
