import type { FacilityType, GreenwayStatus, GreenwayTier } from '../../shared/greenway/types.js'

/** Greenway colours shared by the map, its legend and the charts, so a status looks the same everywhere. */
export const STATUS_COLOURS: Record<GreenwayStatus, string> = { built: '#35e0a0', under_construction: '#f5c451', planned: '#8fa3bd' }
/** Line widths (px at city zoom) by tier: the regional skeleton stands out. */
export const TIER_WIDTHS: Record<GreenwayTier, number> = { regional: 2.6, city: 1.8, community: 1.3 }
export const FACILITY_COLOURS: Record<FacilityType, string> = { station: '#3fb6ff', clinic: '#ff6b8b', school: '#f5c451', park: '#5ad17a', elderly: '#b78cff' }
/** Coverage bands — greenway: 0 within 500 m, 1 within 1,000 m; service: 3 every required type, 2 at least half, 1 some. */
export const GREENWAY_BAND_COLOURS = ['#1fae7a', '#1d6f5a'] as const
export const SERVICE_BAND_COLOURS = ['', '#6b4f9e', '#3f7fc4', '#2fbf9b'] as const
