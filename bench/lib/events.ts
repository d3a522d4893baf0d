import { cellToLatLng } from 'h3-js'
import { loadCityGeo } from '../../server/geo/city-geo.js'
import { CATEGORIES } from '../../shared/categories.js'
import { mulberry32 } from '../../shared/random.js'
import { type IncidentInput, SEVERITIES, SOURCES } from '../../shared/schemas/incident.js'
import { describe } from '../../server/sources/simulator/descriptions.js'

/**
 * Deterministic valid events spread over the city's cells (cell centres always locate), each described as the
 * simulator describes a report of its category and source: descriptions vary as real ones do, so no encoding of the
 * live path is flattered by one repeated text.
 */
export function benchEvents(count: number, prefix: string, city = 'chengdu'): IncidentInput[] {
  const geo = loadCityGeo(city)
  const cells = geo.cells
  const out: IncidentInput[] = []
  const t0 = Date.now()
  const rng = mulberry32(count)
  for (let k = 0; k < count; k++) {
    const [lat, lon] = cellToLatLng(cells[(k * 7919) % cells.length]!.h3)
    const source = SOURCES[k % SOURCES.length]!
    const category = CATEGORIES[(k * 31) % CATEGORIES.length]!
    out.push({
      id: `${prefix}-${k}`,
      source,
      category: category.code,
      severity: SEVERITIES[k % SEVERITIES.length]!,
      lon: Math.round(lon * 1e6) / 1e6,
      lat: Math.round(lat * 1e6) / 1e6,
      reportedAt: new Date(t0 - (k % 3600) * 1000).toISOString(),
      description: describe(category, source, rng, { localHour: k % 24 }),
    })
  }
  return out
}
