import { cellToLatLng } from 'h3-js'
import { loadCityGeo } from '../../server/geo/city-geo.js'
import { CATEGORIES } from '../../shared/categories.js'
import { type IncidentInput, SEVERITIES, SOURCES } from '../../shared/schemas/incident.js'

/** Deterministic valid events spread over the city's cells (cell centres always locate). */
export function benchEvents(count: number, prefix: string, city = 'chengdu'): IncidentInput[] {
  const geo = loadCityGeo(city)
  const cells = geo.cells
  const out: IncidentInput[] = []
  const t0 = Date.now()
  for (let k = 0; k < count; k++) {
    const [lat, lon] = cellToLatLng(cells[(k * 7919) % cells.length]!.h3)
    out.push({
      id: `${prefix}-${k}`,
      source: SOURCES[k % SOURCES.length]!,
      category: CATEGORIES[(k * 31) % CATEGORIES.length]!.code,
      severity: SEVERITIES[k % SEVERITIES.length]!,
      lon: Math.round(lon * 1e6) / 1e6,
      lat: Math.round(lat * 1e6) / 1e6,
      reportedAt: new Date(t0 - (k % 3600) * 1000).toISOString(),
      description: '人行道上有暴露垃圾，已堆积约2小时，影响行人通行',
    })
  }
  return out
}
