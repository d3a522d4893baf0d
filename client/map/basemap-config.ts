// No imports: the geo store and CityMap read this without pulling MapLibre or pmtiles into their chunk.

/** What `/api/v1/client-config` says about the base map (server/config.ts: BASEMAP_STYLE_URL, BASEMAP_PMTILES). */
export interface BasemapConfig {
  basemapStyleUrl: string | null
  basemapPmtilesUrl: string | null
}

export const NO_BASEMAP: BasemapConfig = { basemapStyleUrl: null, basemapPmtilesUrl: null }

/** `offline`: our own boundaries only (no tiles at all), which the map says in a corner. */
export type BasemapKind = 'style' | 'pmtiles' | 'offline'

/** The city's own style wins (it may draw the archive too, as `pmtiles://…`); then the archive; else offline. */
export function basemapKind(cfg: BasemapConfig | null | undefined): BasemapKind {
  if (cfg?.basemapStyleUrl) return 'style'
  return cfg?.basemapPmtilesUrl ? 'pmtiles' : 'offline'
}
