import { ANONYMOUS, type Principal } from '../../shared/access.js'
import type { DisplayLinkService } from '../access/display-links.js'
import type { ApiKeyService } from './api-keys.js'
import type { SessionService } from './sessions.js'
import type { ApiKey, User } from '../store/auth-records.js'

/** Rooms a socket joins so that revoking a session or a display link disconnects exactly its sockets. */
export const sessionRoom = (sessionId: string) => `session:${sessionId}`
export const displayRoom = (linkId: string) => `display:${linkId}`

/** One cookie's value from a Cookie header (no dependency for one cookie; values are base64url tokens). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim())
  }
  return undefined
}

export const userPrincipal = (user: User, sessionId: string): Principal => ({ kind: 'user', id: user.id, username: user.username, role: user.role, scope: user.scope, sessionId })

export function bearerToken(header: string | undefined): string | undefined {
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null
  return m?.[1]
}

export interface Authenticators { sessions: SessionService, keys: ApiKeyService, displayLinks: DisplayLinkService }

/** The principal of a request that went through `authenticate` (anonymous if it did not). */
export function principal(res: { locals: Record<string, unknown> }): Principal {
  return (res.locals.principal as Principal | undefined) ?? ANONYMOUS
}

/** The API key a request was authenticated with, if any. */
export function apiKeyOf(res: { locals: Record<string, unknown> }): ApiKey | null {
  return (res.locals.apiKey as ApiKey | undefined) ?? null
}
