/**
 * Greenways (天府绿道) and the 15-minute public service circle (15分钟公共服务圈): the enumerations and the shapes
 * both sides exchange. Free of zod, so the browser bundle can import it (schemas live in shared/schemas/greenway.ts).
 */
export const GREENWAY_TIERS = ['regional', 'city', 'community'] as const
export const GREENWAY_STATUSES = ['built', 'under_construction', 'planned'] as const
/** 市民驿站/党群服务中心, clinic (社区卫生服务中心/站), primary school, park, elderly care (养老/日间照料). */
export const FACILITY_TYPES = ['station', 'clinic', 'school', 'park', 'elderly'] as const
export const FACILITY_STATUSES = ['open', 'planned', 'closed'] as const
export const COVERAGE_LEVELS = ['city', 'district', 'street', 'community'] as const

export type GreenwayTier = typeof GREENWAY_TIERS[number]
export type GreenwayStatus = typeof GREENWAY_STATUSES[number]
export type FacilityType = typeof FACILITY_TYPES[number]
export type FacilityStatus = typeof FACILITY_STATUSES[number]
export type CoverageLevel = typeof COVERAGE_LEVELS[number]

/** Distance bands of the greenway measure, in metres (GB 50180-2018: 10-minute ≈ 500 m, 15-minute ≈ 1,000 m). */
export const GREENWAY_BANDS_M = [500, 1000] as const

/** Properties of a greenway segment as served by GET /api/v1/greenways. */
export interface GreenwayProperties {
  id: string
  name: string
  tier: GreenwayTier
  status: GreenwayStatus
  /** Geodesic length on the WGS-84 ellipsoid, km (computed on load, whatever the file says). */
  lengthKm: number
  /** Corridor or route the segment belongs to, e.g. 锦城绿道 (optional in real files). */
  corridor?: string
}

export interface FacilityProperties {
  id: string
  name: string
  type: FacilityType
  status: FacilityStatus
}

/** About the loaded data set: the demo network says it is approximate, a real file need not. */
export interface GreenwayDataInfo {
  /** Shown in the UI: the demo geometry is approximate (示意). */
  approximate: boolean
  note: string | null
  /** Planned length per tier, km, when the file states it (Chengdu's plan: 1,920 / 5,380 / 9,630). */
  planKm: Partial<Record<GreenwayTier, number>> | null
  /** Names (not paths) of the files in use. */
  networkFile: string | null
  facilitiesFile: string | null
  /** Why the last (re)load of a file was refused, naming the feature and field; the previous data stayed in use. */
  lastError: string | null
}

/** Kilometres of the network per tier and status, and counts. */
export interface NetworkSummary {
  km: Record<GreenwayTier, Record<GreenwayStatus, number>>
  segments: number
  facilities: Record<FacilityType, number>
}

/** Coverage figures of one unit. Shares are 0–1 of the unit's residents (population-weighted over grid cells). */
export interface CoverageRow {
  code: string
  name: string
  level: CoverageLevel
  parent: string | null
  population: number
  /** Residents within 500 m / 1,000 m (straight line from their grid cell's centre) of a built greenway. */
  greenway500: number
  greenway1000: number
  /** Residents farther than 1,000 m from any built greenway: where to build next. */
  uncovered1000: number
  /** Built greenway inside the unit, km, and per 10,000 residents. */
  builtKm: number
  kmPer10k: number
  /** Share within the service radius of each facility type (open facilities only). */
  service: Record<FacilityType, number>
  /** Share within the service radius of every required type at once: the 15-minute public service circle. */
  serviceAll: number
}

export interface CoverageParams {
  bandsM: readonly number[]
  serviceRadiusM: number
  requiredTypes: readonly FacilityType[]
}

/** A facility as pushed live (new or changed). */
export interface FacilitySummary extends FacilityProperties { lon: number, lat: number }

/**
 * `greenway:coverage`: what changed in (fromVersion, version]. Rows replace the client's rows of the same code;
 * `reset` means the data was reloaded: refetch everything. A client whose version is not `fromVersion` resubscribes.
 */
export interface CoveragePush {
  fromVersion: number
  version: number
  reset: boolean
  city: CoverageRow
  districts: CoverageRow[]
  /** Changed streets and communities only. */
  streets: CoverageRow[]
  communities: CoverageRow[]
  network: NetworkSummary
  segments: { id: string, status: GreenwayStatus }[]
  facilities: FacilitySummary[]
}

export interface CrowdingAlarm {
  segment: string
  name: string
  /** Visitors counted on the segment in the last `windowMinutes`. */
  visitors: number
  threshold: number
  windowMinutes: number
  since: string
  /** A point on the segment, for the map. */
  lon: number
  lat: number
}

/** `footfall:updated`: the whole live footfall state (replaces the previous one, so dropped pushes lose nothing). */
export interface FootfallState {
  at: string
  bucketMinutes: number
  /** Start (ISO) of the first trend bucket; `trend` holds visitors per bucket, oldest first. */
  trendStart: string
  trend: number[]
  /** Visitors per segment in the last `windowMinutes` (segments with none are absent). */
  windowMinutes: number
  bySegment: Record<string, number>
  total: number
  crowded: CrowdingAlarm[]
  crowding: { threshold: number, windowMinutes: number }
}

export interface GreenwaySnapshot {
  version: number
  params: CoverageParams
  info: GreenwayDataInfo
  network: NetworkSummary
  city: CoverageRow
  districts: CoverageRow[]
  footfall: FootfallState
}

/** Everyone may watch the city's greenways: one room. */
export const GREENWAY_ROOM = 'greenway'
/** Coverage pushes are coalesced to at most one per this interval; footfall to one per FOOTFALL_PUSH_MS. */
export const COVERAGE_PUSH_MS = 500
export const FOOTFALL_PUSH_MS = 1000
