/** Administrative levels below the city. `cell` is an H3 grid cell (网格). */
export const GEO_LEVELS = ['district', 'street', 'community', 'cell'] as const
export type GeoLevel = typeof GEO_LEVELS[number]
export type UnitLevel = 'city' | 'district' | 'street' | 'community'

export interface GeoUnit {
  code: string
  name: string
  level: UnitLevel
  /** Code of the unit above; null for the city. */
  parent: string | null
  population: number
  areaKm2: number
  /** [lon, lat] WGS-84 label point. */
  center: [number, number]
}

export interface CityInfo {
  id: string
  name: string
  nameEn: string
  /** GB/T 2260 code of the city (or county) the deployment covers. */
  code: string
  center: [number, number]
  /** [west, south, east, north] WGS-84. */
  bbox: [number, number, number, number]
  /** Minutes east of UTC for "today" (China: 480, no DST). */
  utcOffsetMinutes: number
  population: number
  /** Note shown in the UI about the nature of the data (synthetic partitions, etc.). */
  dataNote: string
}
