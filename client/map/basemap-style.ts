import * as maplibregl from 'maplibre-gl'
import type { ExpressionSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl'
import type { Protocol } from 'pmtiles'
import { type BasemapConfig, basemapKind } from './basemap-config.js'

/** Ids of the layers below ours; tests query them (`basemap-` prefix). */
export const BASEMAP_SOURCE = 'basemap'

let registered = false
let protocol: Promise<Protocol> | null = null
/**
 * `pmtiles://` URLs read the archive with HTTP range requests (once per page; every map shares it). The pmtiles
 * package (with its gzip decoder) is loaded on the first tile asked for, so pages without a base map, the wall's
 * bundle among them, do not carry it.
 */
export function registerPmtilesProtocol(): void {
  if (registered) return
  registered = true
  maplibregl.addProtocol('pmtiles', async (params, abort) => {
    protocol ??= import('pmtiles').then(m => new m.Protocol({ metadata: true }))
    return (await protocol).tilev4(params, abort)
  })
}

/** OpenMapTiles names: `name` is the local name, `name:zh` / `name:en` (or `name_en`) the translations. */
function labelField(locale: string): ExpressionSpecification {
  return locale.startsWith('zh')
    ? ['coalesce', ['get', 'name:zh'], ['get', 'name'], '']
    : ['coalesce', ['get', 'name:en'], ['get', 'name_en'], ['get', 'name'], '']
}

const LABEL_LAYERS = ['basemap-road-label', 'basemap-place-label']

/** The language switch: our archive's labels follow it (a city's own style keeps its own labels). */
export function relabel(map: maplibregl.Map, locale: string): void {
  for (const id of LABEL_LAYERS) if (map.getLayer(id)) map.setLayoutProperty(id, 'text-field', labelField(locale))
}

const roadWidth = (minor: number, major: number): ExpressionSpecification => ['interpolate', ['exponential', 1.6], ['zoom'],
  10, ['match', ['get', 'class'], ['motorway', 'trunk', 'primary'], major * 0.3, minor * 0.15],
  16, ['match', ['get', 'class'], ['motorway', 'trunk', 'primary'], major * 2.5, ['secondary', 'tertiary'], major * 1.8, minor * 1.6]]

/**
 * A dark style for an OpenMapTiles-schema archive (what Planetiler and tilemaker build from OpenStreetMap; see
 * docs/BASEMAP.md), in the dashboard's colours, quiet enough for our layers on top. No `glyphs` and no sprite: MapLibre
 * (≥ 5.11) draws the labels with the browser's own fonts, so nothing is fetched from a font or sprite host.
 */
export function pmtilesStyle(archiveUrl: string, locale: string): StyleSpecification {
  const absolute = new URL(archiveUrl, window.location.href).href
  const name = labelField(locale)
  const src = { source: BASEMAP_SOURCE }
  const layers: LayerSpecification[] = [
    { id: 'background', type: 'background', paint: { 'background-color': '#050d19' } },
    { id: 'basemap-landuse', type: 'fill', ...src, 'source-layer': 'landuse', paint: { 'fill-color': ['match', ['get', 'class'], ['commercial', 'retail'], '#10213a', '#0b1a2e'], 'fill-opacity': 0.9 } },
    { id: 'basemap-park', type: 'fill', ...src, 'source-layer': 'park', paint: { 'fill-color': '#0c2a26' } },
    { id: 'basemap-water', type: 'fill', ...src, 'source-layer': 'water', paint: { 'fill-color': '#0a3354' } },
    { id: 'basemap-waterway', type: 'line', ...src, 'source-layer': 'waterway', paint: { 'line-color': '#0a3354', 'line-width': 1.5 } },
    { id: 'basemap-building', type: 'fill', ...src, 'source-layer': 'building', minzoom: 14, paint: { 'fill-color': '#16263d', 'fill-outline-color': '#22395a' } },
    { id: 'basemap-road-casing', type: 'line', ...src, 'source-layer': 'transportation', minzoom: 12, layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': '#02060d', 'line-width': roadWidth(3, 5) } },
    { id: 'basemap-road', type: 'line', ...src, 'source-layer': 'transportation', layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: {
      'line-color': ['match', ['get', 'class'], ['motorway', 'trunk', 'primary'], '#3b5a80', ['secondary', 'tertiary'], '#2d4768', '#233a57'],
      'line-width': roadWidth(2, 3.5),
    } },
    { id: 'basemap-road-label', type: 'symbol', ...src, 'source-layer': 'transportation_name', minzoom: 13, layout: {
      'symbol-placement': 'line', 'text-field': name, 'text-font': ['sans-serif'], 'text-size': 12, 'text-max-angle': 30,
    }, paint: { 'text-color': '#8fb3d9', 'text-halo-color': '#050d19', 'text-halo-width': 1.5 } },
    { id: 'basemap-place-label', type: 'symbol', ...src, 'source-layer': 'place', minzoom: 11, layout: {
      'text-field': name, 'text-font': ['sans-serif'], 'text-size': ['match', ['get', 'class'], ['city', 'town'], 16, ['suburb', 'quarter'], 14, 13],
    }, paint: { 'text-color': '#cfe3f7', 'text-halo-color': '#050d19', 'text-halo-width': 1.5 } },
  ]
  return { version: 8, sources: { [BASEMAP_SOURCE]: { type: 'vector', url: `pmtiles://${absolute}` } }, layers }
}

/**
 * The style a map starts from: the city's style URL, our archive's style, or `offline` (built from the shapes). Our
 * boundaries, incidents and overlays are added afterwards, so they are always drawn on top of the base map.
 */
export function baseStyle(cfg: BasemapConfig | null | undefined, offline: () => StyleSpecification, locale: string): StyleSpecification | string {
  const kind = basemapKind(cfg)
  if (kind !== 'offline') registerPmtilesProtocol()
  if (kind === 'style') return cfg!.basemapStyleUrl!
  if (kind === 'pmtiles') return pmtilesStyle(cfg!.basemapPmtilesUrl!, locale)
  return offline()
}
