import { cellArea, cellToLatLng } from 'h3-js'
import type { GeoUnit, UnitLevel } from '../../../shared/geo/types.js'

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d

/**
 * A unit's figures from its cells: residents, area, and a label point — the cell nearest the residents' centroid,
 * so the label sits inside the unit even when it is concave.
 */
export function unitFromCells(code: string, name: string, level: UnitLevel, parent: string | null, cells: string[], population: Map<string, number>): GeoUnit {
  let pop = 0
  let area = 0
  let sx = 0
  let sy = 0
  const pts = cells.map((c) => {
    const [lat, lon] = cellToLatLng(c)
    const w = population.get(c)! + 1
    pop += population.get(c)!
    area += cellArea(c, 'km2')
    sx += lon * w
    sy += lat * w
    return [lon, lat] as [number, number]
  })
  const wsum = pop + cells.length
  const mx = sx / wsum
  const my = sy / wsum
  let best = pts[0]!
  for (const p of pts) if ((p[0] - mx) ** 2 + (p[1] - my) ** 2 < (best[0] - mx) ** 2 + (best[1] - my) ** 2) best = p
  return { code, name, level, parent, population: pop, areaKm2: round(area, 2), center: [round(best[0], 5), round(best[1], 5)] }
}
