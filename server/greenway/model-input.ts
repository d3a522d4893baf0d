import { cellToLatLng } from 'h3-js'
import type { ModelInput } from './coverage/coverage-model.js'
import type { CityGeo } from '../geo/city-geo.js'
import type { Locator } from './data-files.js'

/** The city's units and populated cells as the coverage model takes them (residents at each cell's centre). */
export function cityModelBase(geo: CityGeo): Pick<ModelInput, 'city' | 'districts' | 'streets' | 'communities' | 'cells'> & { h3: string[] } {
  // by level, as the coverage model keys its units
  const units = [...geo.units.values()]
  const of = (level: string) => units.filter(u => u.level === level).map(u => ({ code: u.code, name: u.name, parent: u.parent }))
  const h3: string[] = []
  const cells = geo.cells.map((c) => {
    const [lat, lon] = cellToLatLng(c.h3)
    h3.push(c.h3)
    return { lon, lat, population: c.population, community: c.community }
  })
  return { city: { code: geo.info.code, name: geo.info.name }, districts: of('district'), streets: of('street'), communities: of('community'), cells, h3 }
}

export function cityLocator(geo: CityGeo): Locator {
  return { name: geo.info.name, communityAt: (lon, lat) => geo.locate(lon, lat)?.community ?? null }
}
