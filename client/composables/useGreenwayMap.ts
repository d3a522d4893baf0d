import * as maplibregl from 'maplibre-gl'
import { createMap } from '../map/create-map.js'
import 'maplibre-gl/dist/maplibre-gl.css'
import { onBeforeUnmount, onMounted, type Ref, ref, shallowRef } from 'vue'
import type { CrowdingAlarm } from '../../shared/greenway/types.js'
import { syncMarkers } from '../map/sync-markers.js'
import { addGreenwayLayers, applyToggles, FACILITY_CLUSTER_MAX_ZOOM, facilitiesShown, type LayerToggles } from '../greenway/map-layers.js'
import { offlineStyle } from '../map/city-style.js'


export interface GreenwayMapInput {
  shapes: GeoJSON.FeatureCollection
  bbox: [number, number, number, number]
  basemapStyleUrl?: string | null
  /** The wall: no pan, zoom or hover — nobody touches it. */
  interactive: boolean
}

/**
 * One MapLibre map for the greenway views: the offline district base plus the greenway layers. Sources are updated
 * at most once per animation frame; the map instance stays out of Vue reactivity. Errors and a load timeout surface
 * in `error`.
 */
export function useGreenwayMap(container: Ref<HTMLElement | null>, input: () => GreenwayMapInput | null) {
  const map = shallowRef<maplibregl.Map | null>(null)
  const ready = ref(false)
  const error = ref<string | null>(null)
  const pending = new Map<string, GeoJSON.FeatureCollection>()
  let toggles: LayerToggles | null = null
  let facilities: GeoJSON.FeatureCollection | null = null
  let facilitiesDirty = false
  let visitors: Record<string, number> = {}
  let shownVisitors = new Set<string>()
  let frame = 0
  const crowdMarkers = new Map<string, maplibregl.Marker>()
  let crowdWanted: readonly CrowdingAlarm[] = []
  let popup: maplibregl.Popup | null = null

  function create(): void {
    const cfg = input()
    if (!container.value || !cfg || map.value) return
    map.value = createMap({
      container: container.value,
      style: cfg.basemapStyleUrl ?? offlineStyle(cfg.shapes),
      bounds: cfg.bbox,
      fitBoundsOptions: { padding: 16 },
      interactive: cfg.interactive,
    }, { ready, error }, (m) => {
      addGreenwayLayers(m, cfg.shapes)
      if (cfg.interactive) bindPopups(m)
      ready.value = true
      schedule()
      setCrowded(crowdWanted)
    })
  }

  /** A name on click: the segment or facility under the pointer. */
  function bindPopups(m: maplibregl.Map): void {
    const layers = ['gw-facilities', 'gw-lines-built', 'gw-lines-under_construction', 'gw-lines-planned']
    m.on('click', (e) => {
      // a cluster of facilities opens up: zoom in towards it
      if (m.queryRenderedFeatures(e.point, { layers: ['gw-facility-clusters'] }).length > 0) {
        m.easeTo({ center: e.lngLat, zoom: Math.min(m.getZoom() + 2, FACILITY_CLUSTER_MAX_ZOOM + 1) })
        return
      }
      const hit = m.queryRenderedFeatures(e.point, { layers })[0]
      popup?.remove()
      if (!hit) return
      const p = hit.properties as Record<string, unknown>
      const el = document.createElement('div')
      el.className = 'gw-popup'
      el.textContent = String(p.name ?? p.id)
      popup = new maplibregl.Popup({ closeButton: false, offset: 8 }).setLngLat(e.lngLat).setDOMContent(el).addTo(m)
    })
    for (const layer of layers) {
      m.on('mouseenter', layer, () => { m.getCanvas().style.cursor = 'pointer' })
      m.on('mouseleave', layer, () => { m.getCanvas().style.cursor = '' })
    }
    m.on('mouseenter', 'gw-facility-clusters', () => { m.getCanvas().style.cursor = 'zoom-in' })
    m.on('mouseleave', 'gw-facility-clusters', () => { m.getCanvas().style.cursor = '' })
  }

  function flush(): void {
    frame = 0
    const m = map.value
    if (!m || !ready.value) return
    for (const [source, data] of pending) void m.getSource<maplibregl.GeoJSONSource>(source)?.setData(data)
    pending.clear()
    // facilities go in filtered by the legend's types, so clusters count only what is switched on
    if (facilitiesDirty && facilities) void m.getSource<maplibregl.GeoJSONSource>('gw-facilities')?.setData(facilitiesShown(facilities, toggles?.facilities ?? []))
    facilitiesDirty = false
    if (toggles) applyToggles(m, toggles)
    for (const id of shownVisitors) if (!(id in visitors)) m.setFeatureState({ source: 'gw-lines', id }, { visitors: 0 })
    for (const [id, v] of Object.entries(visitors)) m.setFeatureState({ source: 'gw-lines', id }, { visitors: v })
    shownVisitors = new Set(Object.keys(visitors))
  }

  function schedule(): void {
    if (ready.value && !frame) frame = requestAnimationFrame(flush)
  }

  const setSource = (source: string) => (fc: GeoJSON.FeatureCollection) => {
    pending.set(source, fc)
    schedule()
  }

  /** Feature-state on the lines; a new network (setData) keeps it by promoted id. */
  function setVisitors(bySegment: Record<string, number>): void {
    visitors = bySegment
    schedule()
  }

  function setToggles(t: LayerToggles): void {
    if (t.facilities.join() !== toggles?.facilities.join()) facilitiesDirty = true
    toggles = t
    schedule()
  }

  function setFacilities(fc: GeoJSON.FeatureCollection): void {
    facilities = fc
    facilitiesDirty = true
    schedule()
  }

  /** One pulsing marker per crowded segment. */
  function setCrowded(list: readonly CrowdingAlarm[]): void {
    crowdWanted = list
    const m = map.value
    if (!m || !ready.value) return
    syncMarkers(m, crowdMarkers, list, a => a.segment, a => [a.lon, a.lat], (a) => {
      const el = document.createElement('div')
      el.className = 'alarm-marker gw-crowd-marker'
      el.title = a.name
      return el
    })
  }

  onMounted(create)
  onBeforeUnmount(() => {
    if (frame) cancelAnimationFrame(frame)
    for (const mk of crowdMarkers.values()) mk.remove()
    popup?.remove()
    map.value?.remove()
    map.value = null
  })

  return {
    map, ready, error, create, setToggles, setVisitors, setCrowded,
    setLines: setSource('gw-lines'), setFacilities, setBands: setSource('gw-bands'),
  }
}
