import type { ExpressionSpecification, FilterSpecification, Map as MapLibreMap } from 'maplibre-gl'
import { type FacilityType, GREENWAY_STATUSES, type GreenwayStatus, GREENWAY_TIERS, type GreenwayTier } from '../../shared/greenway/types.js'
import { EMPTY_FC } from '../map/city-style.js'
import { FACILITY_COLOURS, GREENWAY_BAND_COLOURS, SERVICE_BAND_COLOURS, STATUS_COLOURS, TIER_WIDTHS } from './colours.js'

export type CoverageMeasure = 'greenway' | 'service'

/** What the legend switches on and off. */
export interface LayerToggles {
  statuses: GreenwayStatus[]
  tiers: GreenwayTier[]
  coverage: CoverageMeasure | null
  facilities: FacilityType[]
  heat: boolean
}

export const DEFAULT_TOGGLES: LayerToggles = {
  statuses: [...GREENWAY_STATUSES],
  tiers: [...GREENWAY_TIERS],
  coverage: 'greenway',
  facilities: [],
  heat: false,
}

const match = <T extends string>(key: string, table: Record<T, string | number>, fallback: string | number) =>
  ['match', ['get', key], ...Object.entries(table).flat(), fallback] as unknown as ExpressionSpecification

/** Lines shown: the toggled statuses and tiers (and, per layer, one status). */
export function lineFilter(t: Pick<LayerToggles, 'statuses' | 'tiers'>, status?: GreenwayStatus): FilterSpecification {
  const statuses = status ? t.statuses.filter(s => s === status) : t.statuses
  return ['all', ['in', ['get', 'status'], ['literal', statuses]], ['in', ['get', 'tier'], ['literal', t.tiers]]]
}

export function facilityFilter(types: readonly FacilityType[]): FilterSpecification {
  return ['all', ['!', ['has', 'point_count']], ['in', ['get', 'type'], ['literal', [...types]]]]
}

/**
 * Facilities are clustered up to this zoom (a city holds thousands: one dot each cluttered the city view) and
 * drawn one by one, coloured by type, from the next zoom on.
 */
export const FACILITY_CLUSTER_MAX_ZOOM = 11
export const FACILITY_CLUSTER_RADIUS_PX = 48

/**
 * The facilities the legend has switched on. Filtered before they reach the map, not by a layer filter: clusters
 * are built from the source's data, so a type switched off must not be counted in them.
 */
export function facilitiesShown(all: GeoJSON.FeatureCollection, types: readonly FacilityType[]): GeoJSON.FeatureCollection {
  const on = new Set<string>(types)
  return { type: 'FeatureCollection', features: all.features.filter(f => on.has(String(f.properties?.type))) }
}

export function bandColour(measure: CoverageMeasure): ExpressionSpecification {
  return measure === 'greenway'
    ? ['match', ['get', 'band'], 0, GREENWAY_BAND_COLOURS[0], GREENWAY_BAND_COLOURS[1]]
    : ['match', ['get', 'band'], 3, SERVICE_BAND_COLOURS[3], 2, SERVICE_BAND_COLOURS[2], SERVICE_BAND_COLOURS[1]]
}

/**
 * The greenway layers on top of the district base: coverage bands (fill), greenways by status (planned dashed) and
 * tier (width), footfall heat (feature-state `visitors` on the lines), facilities by type (planned ones hollow;
 * clustered at city zoom).
 */
export function addGreenwayLayers(map: MapLibreMap, districts: GeoJSON.FeatureCollection): void {
  if (!map.getSource('districts')) map.addSource('districts', { type: 'geojson', data: districts, promoteId: 'code' })
  map.addSource('gw-bands', { type: 'geojson', data: EMPTY_FC })
  map.addSource('gw-lines', { type: 'geojson', data: EMPTY_FC, promoteId: 'id' })
  map.addSource('gw-facilities', { type: 'geojson', data: EMPTY_FC, cluster: true, clusterMaxZoom: FACILITY_CLUSTER_MAX_ZOOM, clusterRadius: FACILITY_CLUSTER_RADIUS_PX })
  map.addLayer({ id: 'gw-district-fill', type: 'fill', source: 'districts', paint: { 'fill-color': '#0a1c33', 'fill-opacity': 0.85 } })
  map.addLayer({ id: 'gw-bands', type: 'fill', source: 'gw-bands', paint: { 'fill-color': bandColour('greenway'), 'fill-opacity': 0.55 } })
  map.addLayer({ id: 'gw-district-line', type: 'line', source: 'districts', paint: { 'line-color': '#2f6ea3', 'line-width': 0.8, 'line-opacity': 0.8 } })
  // footfall heat under the lines, as a wide glow: visitors in the last hour, violet to pink to red (no greenway
  // status uses these colours)
  map.addLayer({
    id: 'gw-heat',
    type: 'line',
    source: 'gw-lines',
    layout: { 'line-join': 'round', 'line-cap': 'round', visibility: 'none' },
    paint: {
      'line-color': ['interpolate', ['linear'], ['coalesce', ['feature-state', 'visitors'], 0], 0, 'rgba(183,140,255,0)', 1, '#8f6bff', 1500, '#ff5ccf', 4000, '#ff2d55'],
      'line-width': ['interpolate', ['linear'], ['zoom'], 8, 7, 13, 16],
      'line-opacity': 0.7,
      'line-blur': 2,
    },
  })
  const width: ExpressionSpecification = ['interpolate', ['linear'], ['zoom'], 8, match('tier', TIER_WIDTHS, 1), 13, ['*', 2, match('tier', TIER_WIDTHS, 1)]]
  for (const status of GREENWAY_STATUSES) {
    map.addLayer({
      id: `gw-lines-${status}`,
      type: 'line',
      source: 'gw-lines',
      filter: lineFilter(DEFAULT_TOGGLES, status),
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': STATUS_COLOURS[status], 'line-width': width, ...(status === 'planned' && { 'line-dasharray': [1.5, 1.5] }) },
    })
  }
  // city zoom: one bubble per cluster, its area growing with the facilities in it (no count text: the offline
  // style has no glyphs)
  map.addLayer({
    id: 'gw-facility-clusters',
    type: 'circle',
    source: 'gw-facilities',
    filter: ['has', 'point_count'],
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['sqrt', ['get', 'point_count']], 1, 3, 5, 7, 15, 15],
      'circle-color': 'rgba(143, 163, 189, 0.45)',
      'circle-stroke-color': '#c9d6e6',
      'circle-stroke-width': 1,
    },
  })
  map.addLayer({
    id: 'gw-facilities',
    type: 'circle',
    source: 'gw-facilities',
    filter: facilityFilter([]),
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 2, 13, 5],
      'circle-color': ['case', ['==', ['get', 'status'], 'open'], match('type', FACILITY_COLOURS, '#ffffff'), 'rgba(0,0,0,0)'],
      'circle-stroke-color': match('type', FACILITY_COLOURS, '#ffffff'),
      'circle-stroke-width': ['case', ['==', ['get', 'status'], 'open'], 0, 1.2],
    },
  })
}

/** Applies the legend's switches to the layers. */
export function applyToggles(map: MapLibreMap, t: LayerToggles): void {
  for (const status of GREENWAY_STATUSES) map.setFilter(`gw-lines-${status}`, lineFilter(t, status))
  map.setLayoutProperty('gw-bands', 'visibility', t.coverage ? 'visible' : 'none')
  if (t.coverage) map.setPaintProperty('gw-bands', 'fill-color', bandColour(t.coverage))
  map.setLayoutProperty('gw-heat', 'visibility', t.heat ? 'visible' : 'none')
  map.setFilter('gw-heat', lineFilter(t))
  map.setFilter('gw-facilities', facilityFilter(t.facilities))
}

