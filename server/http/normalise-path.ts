import type { RequestHandler } from 'express'
import { sendError } from './errors.js'

const UNRESERVED = /[A-Za-z0-9\-._~]/
/** Anything normalisation could change: an escape, an empty or dot segment, a trailing slash. */
const ODD = /%|\/\/|\/\.|.\/$|^[^/]/

/**
 * The one form of a request path that routing and access checks both see (issue #14): percent-encoded unreserved
 * characters decoded (`%6bpis` → `kpis`), other escapes upper-cased, repeated slashes collapsed (`//api` → `/api`),
 * dot segments resolved (`/a/./b/../c` → `/a/c`, `%2e%2e` too), no trailing slash. null: a malformed escape.
 */
export function normalisePath(path: string): string | null {
  if (!ODD.test(path)) return path // the common case: already canonical
  let decoded = ''
  for (let i = 0; i < path.length; i++) {
    const ch = path[i]!
    if (ch !== '%') {
      decoded += ch
      continue
    }
    const hex = path.slice(i + 1, i + 3)
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null
    const c = String.fromCharCode(parseInt(hex, 16))
    decoded += UNRESERVED.test(c) ? c : `%${hex.toUpperCase()}`
    i += 2
  }
  const out: string[] = []
  for (const seg of decoded.split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') out.pop()
    else out.push(seg)
  }
  return `/${out.join('/')}`
}

/**
 * Rewrites `req.url` to its normalised path before anything else looks at it, so `/api/v1/kpis/`, `//api/v1/kpis`
 * and `/api/v1/./kpis` are one route to the checks and to Express alike. A malformed escape is a 400.
 */
export const normalisePaths: RequestHandler = (req, res, next) => {
  const q = req.url.indexOf('?')
  const path = q < 0 ? req.url : req.url.slice(0, q)
  const normal = normalisePath(path)
  if (normal === null) return sendError(res, 400, 'malformed path', [{ path: '(path)', message: 'a % not followed by two hex digits' }])
  if (normal !== path) req.url = normal + (q < 0 ? '' : req.url.slice(q))
  next()
}
