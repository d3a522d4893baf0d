import type { StyleSpecification } from 'maplibre-gl'
import { SEVERITY_COLOURS } from '../charts/theme.js'
import { EMPTY_FC } from '../map/create-map.js'

/**
 * The offline style: built from our own GeoJSON, so no tile server and no glyph server are needed (district names
 * are HTML markers, not symbol layers). District fill shade comes from feature-state `ratio` (0–1) for the choropleth.
 */
export function offlineStyle(districts: GeoJSON.FeatureCollection): StyleSpecification {
  return {
    version: 8,
    sources: { districts: { type: 'geojson', data: districts, promoteId: 'code' } },
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#050d19' } }],
  }
}

const HOVER: import('maplibre-gl').ExpressionSpecification = ['boolean', ['feature-state', 'hover'], false]

/**
 * Our layers, added on top of whichever style is in use (offline, BASEMAP_PMTILES or BASEMAP_STYLE_URL). Over a base
 * map the district shading thins out as one zooms in, so the streets and names below stay readable at case zoom.
 */
export function addCityLayers(map: import('maplibre-gl').Map, districts: GeoJSON.FeatureCollection, overBasemap = false): void {
  if (!map.getSource('districts')) map.addSource('districts', { type: 'geojson', data: districts, promoteId: 'code' })
  // Low maxzoom: at city zoom one update reloads one or two tiles, so it costs one software render instead of one per
  // tile. Zoomed in, the tiles are over-zoomed: positions are rounded to ≈ 40 m (z7 tile / 8,192), the same for
  // points and their rings, finer than the grid cells incidents are located to.
  map.addSource('incidents', { type: 'geojson', data: EMPTY_FC, maxzoom: 7 })
  // the overlay: per-cell counts (`kind` cell) and arrival rings (`kind` ring) in one source, so one update is one
  // worker round trip and one render (client/composables/useMap.ts)
  map.addSource('overlay', { type: 'geojson', data: EMPTY_FC, maxzoom: 7 })
  map.addLayer({
    id: 'district-fill',
    type: 'fill',
    source: 'districts',
    paint: {
      'fill-color': ['interpolate', ['linear'], ['coalesce', ['feature-state', 'ratio'], 0], 0, '#0c2340', 1, '#1d6fb8'],
      'fill-opacity': overBasemap
        ? ['interpolate', ['linear'], ['zoom'], 10, ['case', HOVER, 0.85, 0.7], 13, ['case', HOVER, 0.35, 0.2]]
        : ['case', HOVER, 0.95, 0.8],
    },
  })
  map.addLayer({ id: 'district-line', type: 'line', source: 'districts', paint: { 'line-color': '#4aa3e8', 'line-width': 1.2, 'line-opacity': 0.9 } })
  map.addLayer({ id: 'district-focus', type: 'line', source: 'districts', filter: ['==', ['get', 'code'], ''], paint: { 'line-color': '#7fe3ff', 'line-width': 3 } })
  map.addLayer({
    id: 'incidents',
    type: 'circle',
    source: 'incidents',
    paint: {
      'circle-color': ['match', ['get', 'severity'], 'critical', SEVERITY_COLOURS.critical!, 'high', SEVERITY_COLOURS.high!, 'low', SEVERITY_COLOURS.low!, SEVERITY_COLOURS.normal!],
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, ['match', ['get', 'severity'], 'critical', 5, 2.5], 13, ['match', ['get', 'severity'], 'critical', 9, 5]],
      'circle-opacity': 0.9,
      'circle-stroke-width': ['match', ['get', 'severity'], 'critical', 1.5, 0],
      'circle-stroke-color': '#ffffff',
    },
  })
  // Per-cell counts at city zoom when there are too many points to draw one by one (see client/map/live-points.ts)
  map.addLayer({
    id: 'incident-cells',
    type: 'circle',
    source: 'overlay',
    filter: ['==', ['get', 'kind'], 'cell'],
    layout: { visibility: 'none' },
    paint: {
      'circle-color': '#3fb6ff',
      'circle-opacity': 0.55,
      'circle-radius': ['interpolate', ['linear'], ['sqrt', ['get', 'count']], 1, 2, 10, 7, 40, 16],
      'circle-stroke-width': 0.5,
      'circle-stroke-color': '#7fe3ff',
    },
  })
  // Rings that expand and fade around fresh arrivals; radius/opacity are animated by useMap while any exist.
  map.addLayer({
    id: 'pulses',
    type: 'circle',
    source: 'overlay',
    filter: ['==', ['get', 'kind'], 'ring'],
    paint: {
      'circle-color': 'rgba(0,0,0,0)',
      'circle-radius': 4,
      'circle-stroke-width': ['match', ['get', 'severity'], 'critical', 3, 1.5],
      'circle-stroke-color': ['match', ['get', 'severity'], 'critical', SEVERITY_COLOURS.critical!, '#7fe3ff'],
      'circle-stroke-opacity': 1,
    },
  })
}
