import type { Express, RequestHandler } from 'express'
import { sendError } from './errors.js'

/** What the router package's layers expose (express 5 / router 2): enough to ask which routes match a path. */
interface Layer {
  match: (path: string) => false | { path: string, pattern?: unknown }
  route?: { methods: Record<string, boolean | undefined> }
  handle?: { stack?: Layer[] }
}

function methodsFor(stack: readonly Layer[], path: string, out: Set<string>): void {
  for (const layer of stack) {
    const m = layer.match(path)
    if (!m) continue
    if (layer.route) {
      if (String(m.pattern).includes('{*')) continue // the client's SPA fallback (GET anything) is not an endpoint
      for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') out.add(method.toUpperCase())
    } else if (Array.isArray(layer.handle?.stack)) {
      methodsFor(layer.handle.stack, path.slice(m.path.length) || '/', out)
    }
  }
}

/**
 * For a request no route answered: when the path is a known endpoint under another method, 405 with `Allow` (issue
 * #14); else on to the JSON 404. Asked of the app's own routing table, so it never disagrees with it.
 */
export function methodNotAllowed(app: Express): RequestHandler {
  return (req, res, next) => {
    const allowed = new Set<string>()
    const stack = (app as unknown as { router: { stack: Layer[] } }).router.stack
    methodsFor(stack, req.originalUrl.split('?')[0]!, allowed)
    allowed.delete(req.method)
    if (allowed.size === 0) return next()
    if (allowed.has('GET')) allowed.add('HEAD')
    const list = [...allowed].sort()
    res.setHeader('Allow', list.join(', '))
    sendError(res, 405, `method ${req.method} not allowed on ${req.path}`, [{ path: '(method)', message: `method: one of ${list.join(', ')}` }])
  }
}
