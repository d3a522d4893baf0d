import { Router } from 'express'
import { GEO_LEVELS, type GeoLevel } from '../../shared/geo/types.js'
import type { CityGeo } from '../geo/city-geo.js'
import { sendError } from './errors.js'

/** City info, unit hierarchy and GeoJSON per level. Geo data is immutable while running: cache hard. */
export function geoRouter(geo: CityGeo): Router {
  const router = Router()
  router.get('/city', (_req, res) => {
    res.json({ info: geo.info, districts: geo.districts })
  })
  router.get('/units', (req, res) => {
    const level = String(req.query.level ?? '')
    if (level !== 'district' && level !== 'street') {
      return sendError(res, 400, 'invalid level', [{ path: 'level', message: 'expected district or street (communities: /units/:street/children)' }])
    }
    res.set('Cache-Control', 'public, max-age=3600')
    res.json([...geo.units.values()].filter(u => u.level === level))
  })
  router.get('/units/:code/children', (req, res) => {
    if (!geo.units.has(req.params.code)) return sendError(res, 404, `no unit with code ${req.params.code}`)
    res.json(geo.children(req.params.code))
  })
  router.get('/geo/:level', (req, res) => {
    const level = req.params.level as GeoLevel
    if (!GEO_LEVELS.includes(level)) {
      return sendError(res, 400, 'invalid level', [{ path: 'level', message: `expected one of ${GEO_LEVELS.join(', ')}` }])
    }
    res.set('Cache-Control', 'public, max-age=3600')
    if (level === 'cell') return res.json({ rows: geo.cellRows() })
    res.json(geo.geoJson(level))
  })
  return router
}
