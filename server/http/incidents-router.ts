import { Router } from 'express'
import type { IncidentRepository } from '../store/repository.js'
import { sendError } from './errors.js'

export function incidentsRouter(repo: IncidentRepository): Router {
  const router = Router()
  router.get('/incidents/:id', async (req, res) => {
    const incident = await repo.getIncident(req.params.id)
    if (!incident) return sendError(res, 404, `no incident with id ${req.params.id}`)
    res.json(incident)
  })
  return router
}
