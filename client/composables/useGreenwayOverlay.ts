import type * as maplibregl from 'maplibre-gl'
import { type Ref, watch } from 'vue'
import { addGreenwayLayers, applyToggles, facilitiesShown, type LayerToggles } from '../greenway/map-layers.js'
import { useGreenwayStore } from '../stores/greenway.js'

const GW_LAYERS = ['gw-district-fill', 'gw-bands', 'gw-district-line', 'gw-heat', 'gw-lines-built', 'gw-lines-under_construction', 'gw-lines-planned', 'gw-facility-clusters', 'gw-facilities']

/**
 * The greenway layers drawn on an existing map (the wall's one map: a second map would mean a second WebGL
 * context). `toggles` null hides them; otherwise network, facilities, coverage bands and footfall follow the store.
 */
export function useGreenwayOverlay(map: () => maplibregl.Map | null, ready: Ref<boolean>, shapes: () => GeoJSON.FeatureCollection | null, toggles: Ref<LayerToggles | null>) {
  const gw = useGreenwayStore()
  let shownVisitors = new Set<string>()
  let sentFacilities: GeoJSON.FeatureCollection | null = null
  let sentFacilityKey = ''

  function ensure(): maplibregl.Map | null {
    const m = map()
    const districts = shapes()
    if (!m || !ready.value || !districts) return null
    if (!m.getSource('gw-lines')) addGreenwayLayers(m, districts)
    return m
  }

  function sync(): void {
    const t = toggles.value
    const m = t ? ensure() : map()
    if (!m || !ready.value || !m.getSource('gw-lines')) return
    for (const id of GW_LAYERS) if (m.getLayer(id)) m.setLayoutProperty(id, 'visibility', t ? 'visible' : 'none')
    if (!t) return
    if (gw.lines) void m.getSource<maplibregl.GeoJSONSource>('gw-lines')?.setData(gw.lines)
    // facilities re-sent only when they or the switched-on types change: each send re-clusters them in the worker
    const facilityKey = t.facilities.join()
    if (gw.facilities && (gw.facilities !== sentFacilities || facilityKey !== sentFacilityKey)) {
      void m.getSource<maplibregl.GeoJSONSource>('gw-facilities')?.setData(facilitiesShown(gw.facilities, t.facilities))
      sentFacilities = gw.facilities
      sentFacilityKey = facilityKey
    }
    const bands = t.coverage ? gw.bands[t.coverage] : undefined
    if (bands) void m.getSource<maplibregl.GeoJSONSource>('gw-bands')?.setData(bands)
    applyToggles(m, t)
    const visitors = gw.footfall?.bySegment ?? {}
    for (const id of shownVisitors) if (!(id in visitors)) m.setFeatureState({ source: 'gw-lines', id }, { visitors: 0 })
    for (const [id, v] of Object.entries(visitors)) m.setFeatureState({ source: 'gw-lines', id }, { visitors: v })
    shownVisitors = new Set(Object.keys(visitors))
  }

  watch([toggles, ready, () => gw.lines, () => gw.facilities, () => gw.bands, () => gw.footfall], sync, { immediate: true })
  // coverage outlines are fetched only while a map shows them
  watch(() => toggles.value?.coverage ?? null, (next, previous) => gw.wantBands(next, previous ?? null), { immediate: true })
}
