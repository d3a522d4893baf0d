import express, { type RequestHandler, Router } from 'express'
import { z } from 'zod'
import { actorName, canView } from '../../shared/access.js'
import { issuesToDetails } from '../../shared/schemas/errors.js'
import { parseScope } from '../../shared/scope.js'
import { textSchema } from '../../shared/schemas/text.js'
import type { DisplayLinkService } from '../access/display-links.js'
import { principal } from '../auth/authenticate.js'
import type { Audit } from '../auth/audit.js'
import { sendError } from './errors.js'
import { safeIdParam } from './id-param.js'

const createBody = z.object({ scope: z.string().trim().min(1), label: textSchema(64).pipe(z.string().trim().min(1)) }).strict()

/** What a display link may GET over HTTP: the wall's own reads, never a case's details or any write. */
const DISPLAY_READS = ['/health', '/client-config', '/city', '/units', '/geo', '/kpis', '/league', '/greenways', '/greenway', '/facilities', '/coverage', '/footfall', '/campaigns']

/** Reads whose default scope is the whole city: without an explicit `scope` they count as asking for it. */
const SCOPED_READS = ['/kpis', '/league', '/coverage', '/campaigns']

/** Issue, list and revoke display links (an operator's job; users and roles will guard it). */
export function displayLinksRouter(links: DisplayLinkService, scopeExists: (scope: string) => boolean, audit: Audit): Router {
  const router = Router()
  router.param('id', safeIdParam)
  router.post('/display-links', express.json({ limit: '4kb' }), async (req, res) => {
    const body = createBody.safeParse(req.body)
    if (!body.success) return sendError(res, 400, 'invalid body', issuesToDetails(body.error))
    if (!scopeExists(body.data.scope)) return sendError(res, 400, 'invalid body', [{ path: 'scope', message: 'scope: expected "city" or "district:<code>"/"street:<code>" of this city' }])
    const link = await links.create(body.data.scope, body.data.label)
    await audit.record({ action: 'display-link.issue', actor: actorName(principal(res)), target: link.id, ip: req.ip ?? null, detail: { scope: link.scope, label: link.label } })
    const district = parseScope(link.scope)?.level === 'district' ? `&district=${parseScope(link.scope)!.code}` : ''
    res.status(201).json({ ...link, url: `/wall?display=${encodeURIComponent(link.token)}${district}` })
  })
  router.get('/display-links', async (_req, res) => { res.json(await links.list()) })
  router.delete('/display-links/:id', async (req, res) => {
    const link = await links.revoke(req.params.id)
    if (!link) return sendError(res, 404, `no display link ${req.params.id}`)
    await audit.record({ action: 'display-link.revoke', actor: actorName(principal(res)), target: link.id, ip: req.ip ?? null })
    res.json(link)
  })
  return router
}

/**
 * HTTP side of a display link (header `x-display-link`, resolved by `authenticate`: a bad or revoked token is 401
 * there): anything but the wall's reads is 403, and so is a `scope` outside the link's.
 */
export function displayAccess(districtOfStreet: (street: string) => string | undefined): RequestHandler {
  return (req, res, next) => {
    const link = principal(res)
    if (link.kind !== 'display') return next()
    if (req.method !== 'GET' || !DISPLAY_READS.some(p => req.path === p || req.path.startsWith(`${p}/`))) return sendError(res, 403, 'read-only display link: not allowed')
    // the city's geography (outline, names) is public; figures are asked for by scope, and checked
    if (req.query.scope === undefined && !SCOPED_READS.includes(req.path)) return next()
    const scope = parseScope(typeof req.query.scope === 'string' ? req.query.scope : 'city')
    if (!scope || !canView(link, scope, districtOfStreet)) {
      return sendError(res, 403, 'outside the display link\'s scope', [{ path: 'scope', message: `scope: this link shows ${link.scope} only` }])
    }
    next()
  }
}
