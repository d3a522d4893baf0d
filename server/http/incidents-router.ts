import express, { Router } from 'express'
import { actorName } from '../../shared/access.js'
import { principal } from '../auth/authenticate.js'
import type { CaseRepository } from '../store/repository.js'
import type { CaseService } from '../workflow/case-service.js'
import { sendError } from './errors.js'
import { safeIdParam } from './id-param.js'

export function incidentsRouter(repo: CaseRepository, cases: CaseService): Router {
  const router = Router()
  router.param('id', safeIdParam)
  router.post('/incidents/:id/actions', express.json({ limit: '64kb' }), async (req, res) => {
    const p = principal(res)
    // who acted is the session's user: an `actor` in the body is ignored (overwritten)
    const raw: unknown = req.body
    const outcome = await cases.act(req.params.id, raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? { ...raw, actor: actorName(p) } : raw)
    if (outcome.ok) return res.json(outcome.incident)
    const { status, ok: _ok, ...body } = outcome
    res.status(status).json(body)
  })
  router.get('/incidents/:id/events', async (req, res) => {
    if (!await repo.getIncident(req.params.id)) return sendError(res, 404, `no incident with id ${req.params.id}`)
    res.json(await cases.history(req.params.id))
  })
  router.get('/incidents/:id', async (req, res) => {
    const incident = await repo.getIncident(req.params.id)
    if (!incident) return sendError(res, 404, `no incident with id ${req.params.id}`)
    res.json(incident)
  })
  return router
}
