import express, { Router } from 'express'
import { z } from 'zod'
import { actorName } from '../../shared/access.js'
import { issuesToDetails } from '../../shared/schemas/errors.js'
import { parseScope } from '../../shared/scope.js'
import { textSchema } from '../../shared/schemas/text.js'
import type { DisplayLinkService } from '../access/display-links.js'
import { principal } from '../auth/authenticate.js'
import type { Audit } from '../auth/audit.js'
import { sendError } from './errors.js'
import { safeIdParam } from './id-param.js'

const createBody = z.object({ scope: z.string().trim().min(1), label: textSchema(64).pipe(z.string().trim().min(1)) }).strict()

/**
 * Issue, list and revoke display links. Who may, and what a link may read afterwards, is the access table's
 * (shared/access.ts): links open the wall's reads within their scope, read-only.
 */
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
