import { Router } from 'express'
import type { SourceRegistry } from '../sources/registry.js'

/** GET /api/v1/sources — every source with its counters (in memory: cheap to poll). docs/API.md. */
export function sourcesRouter(registry: SourceRegistry): Router {
  const router = Router()
  router.get('/sources', (_req, res) => {
    res.set('cache-control', 'no-store').json(registry.list())
  })
  return router
}
