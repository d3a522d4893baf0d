import express, { type RequestHandler, type Response } from 'express'
import { refuseParty, refuseScope, type Refusal } from '../../shared/access-check.js'
import { principal } from '../auth/authenticate.js'
import { sendError } from './errors.js'
import { sendErrors, splitFormat } from '../open311/format.js'
import { maskReporters } from '../access/mask-response.js'
import { askedScope, type ScopeResolvers } from '../access/request-scope.js'
import { lookupRoute } from '../access/route-table.js'

/** A JSON body a `body`-scoped route is checked on is read here (the router's own parser then finds it read). */
const readJson = express.json({ limit: '16kb' })

/** Paths outside the API and Open311: the built client (its shell and assets are public; it signs in itself). */
const isApp = (path: string) => !/^\/(api|open311)(\/|$)/i.test(path)

function refuse(res: Response, path: string, r: Refusal): void {
  if (/^\/open311(\/|$)/i.test(path)) return sendErrors(res, splitFormat(path.split('/').pop() ?? '').format, r.status, [r.details?.[0]?.message ?? r.error])
  sendError(res, r.status, r.error, r.details)
}

/**
 * Every request to /api and /open311 is checked against the table in shared/access.ts (issue #14), on the path
 * `normalisePaths` made canonical: no row → 404 (405 with `Allow` when only the method is wrong); a party not in the
 * row → 401 (anonymous) or 403; a scope outside the principal's → 403 naming the field; a scope left out is narrowed
 * to the principal's own. Answers that may carry personal data are masked by role (mask-response.ts).
 */
export function authorize(r: ScopeResolvers): RequestHandler {
  return (req, res, next) => {
    if (isApp(req.path)) return next()
    const found = lookupRoute(req.method, req.path)
    if (found.kind === 'method') {
      res.set('Allow', [...found.allow, ...found.allow.includes('GET') ? ['HEAD'] : []].join(', '))
      return refuse405(res, req.method, req.path)
    }
    if (found.kind === 'unknown') {
      if (/^\/open311(\/|$)/i.test(req.path)) return sendErrors(res, splitFormat(req.path.split('/').pop() ?? '').format, 404, [`no such Open311 resource: ${req.method} ${req.path}`])
      return sendError(res, 404, `no such endpoint: ${req.method} ${req.path}`)
    }
    const { rule, params } = found.match
    const p = principal(res)
    const what = `${rule.method} ${rule.path}`
    const party = refuseParty(rule.who, p, what)
    if (party) return refuse(res, req.path, party)
    const check = async () => {
      if (rule.scope === 'body') await new Promise<void>((resolve, reject) => readJson(req, res, err => (err ? reject(err as Error) : resolve())))
      const asked = await askedScope(rule, params, req.query as Record<string, unknown>, req.body, p, r)
      if (asked.kind === 'invalid') return sendError(res, 400, 'invalid query', [{ path: asked.field, message: asked.message }])
      if (asked.kind === 'narrow') {
        const extra = new URLSearchParams(asked.set).toString()
        req.url += (req.url.includes('?') ? '&' : '?') + extra
      } else if (asked.kind === 'asked') {
        const out = refuseScope(p, asked.scope, asked.field, r.districtOfStreet)
        if (out) return refuse(res, req.path, out)
      }
      if (rule.personal) {
        const json = res.json.bind(res)
        res.json = body => json(maskReporters(body, p))
      }
      next()
    }
    check().catch(next)
  }
}

function refuse405(res: Response, method: string, path: string): void {
  sendError(res, 405, `method ${method} not allowed on ${path}`, [{ path: '(method)', message: `allowed: ${String(res.get('Allow'))}` }])
}
