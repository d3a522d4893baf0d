import express, { Router } from 'express'
import type { CampaignSummary } from '../campaigns/campaign-service.js'
import type { CampaignService } from '../campaigns/campaign-service.js'
import { campaignCreateSchema } from '../../shared/schemas/campaign.js'
import { issuesToDetails } from '../../shared/schemas/errors.js'
import { type ParsedScope, parseScope } from '../../shared/scope.js'
import { sendError } from './errors.js'
import { principal } from '../auth/authenticate.js'
import { ownScope, scopeWithin } from '../../shared/access-check.js'
import { safeIdParam } from './id-param.js'

export interface CampaignsRouterDeps {
  campaigns: CampaignService
  scopeExists: (scope: string) => boolean
  districtOfStreet: (street: string) => string | undefined
}

/** Does a campaign's area overlap the asked scope (one contains the other)? */
function overlaps(area: ParsedScope, asked: ParsedScope, districtOfStreet: (street: string) => string | undefined): boolean {
  if (area.level === 'city' || asked.level === 'city') return true
  if (area.level === asked.level) return area.code === asked.code
  return area.level === 'district' ? districtOfStreet(asked.code!) === area.code : districtOfStreet(area.code!) === asked.code
}

/** GET /campaigns (?scope= keeps those overlapping it), GET /campaigns/:id, POST /campaigns (docs/API.md). */
export function campaignsRouter({ campaigns, scopeExists, districtOfStreet }: CampaignsRouterDeps): Router {
  const router = Router()
  router.param('id', safeIdParam)
  router.get('/campaigns', async (req, res) => {
    let rows: CampaignSummary[] = await campaigns.list()
    if (req.query.scope !== undefined) {
      const asked = typeof req.query.scope === 'string' && scopeExists(req.query.scope) ? parseScope(req.query.scope) : null
      if (!asked) return sendError(res, 400, 'invalid query', [{ path: 'scope', message: 'scope: expected "city", "district:<code>" or "street:<code>" of this city' }])
      rows = rows.filter(r => overlaps(parseScope(r.campaign.scope)!, asked, districtOfStreet))
    }
    // a campaign over a wider area than the caller's carries other districts' figures (issue #14)
    const own = ownScope(principal(res))
    rows = own ? rows.filter(r => scopeWithin(own, parseScope(r.campaign.scope)!, districtOfStreet)) : []
    res.json({ campaigns: rows })
  })
  router.get('/campaigns/:id', async (req, res) => {
    const progress = await campaigns.progress(req.params.id)
    if (!progress) return sendError(res, 404, `no campaign ${req.params.id}`)
    res.json(progress)
  })
  router.post('/campaigns', express.json({ limit: '16kb' }), async (req, res) => {
    const body = campaignCreateSchema.safeParse(req.body)
    if (!body.success) return sendError(res, 400, 'invalid body', issuesToDetails(body.error))
    if (!scopeExists(body.data.scope)) return sendError(res, 400, 'invalid body', [{ path: 'scope', message: `scope: no such district or street in this city: ${body.data.scope}` }])
    const created = await campaigns.create(body.data)
    if (!created) return sendError(res, 409, 'campaign id already taken; try again')
    res.status(201).json(await campaigns.progress(created.id))
  })
  return router
}
