import { bbox } from '@turf/turf'
import * as maplibregl from 'maplibre-gl'
import 'maplibre-gl/dist/maplibre-gl.css'
import { inject, markRaw, onBeforeUnmount, onMounted, type Ref, ref, shallowRef, watch } from 'vue'
import type { Alarm } from '../../shared/alarms.js'
import type { IncidentSummary } from '../../shared/incident.js'
import type { GeoUnit } from '../../shared/geo/types.js'
import { syncMarkers } from '../map/sync-markers.js'
import { AGGREGATE_MAX_ZOOM, LivePoints, type PointBatch, SEVERITY_CODES } from '../map/live-points.js'
import { STAGE_SCALE } from './useFitStage.js'
import { addCityLayers, offlineStyle } from './map-style.js'

// maplibre-gl 5.x inlines its worker (a blob URL), so the bundle needs no worker URL; 6.x, ESM-only, would need
// setWorkerUrl() and costs ~440 KB gzipped (main + worker) against 5.x's ~276 KB — over the wall's budget.

const LOAD_TIMEOUT_MS = 20_000
const PULSE_MS = 2000
const RESTORE_TIMEOUT_MS = 15_000
/** Above this many points the city view shows per-cell counts instead of dots. */
const AGGREGATE_FROM = 5000
const MAX_PULSES = 200

export interface MapInput {
  shapes: GeoJSON.FeatureCollection
  labels: readonly GeoUnit[]
  bbox: [number, number, number, number]
  basemapStyleUrl?: string | null
  onSelect?: (code: string) => void
}

declare global {
  interface CityBrainHandles { map?: maplibregl.Map, pushPoints?: (batch: PointBatch) => void }
}

/**
 * Owns one MapLibre map in `container`: our offline style (or a configured basemap) plus district, choropleth and
 * incident layers. Errors and a load timeout surface in `error`, so a worker failure cannot hang the page.
 */
export function useMap(container: Ref<HTMLElement | null>, input: () => MapInput | null) {
  const map = shallowRef<maplibregl.Map | null>(null)
  const ready = ref(false)
  const stageScale = inject(STAGE_SCALE, null)
  const pixelRatio = () => window.devicePixelRatio * Math.max(1, stageScale?.value ?? 1)
  /** The GPU dropped our WebGL context; the map is being restored (or rebuilt) and shows an overlay meanwhile. */
  const contextLost = ref(false)
  let restoreTimer = 0
  // the latest state given to the map, re-applied after a context loss (feature states do not survive it)
  let lastIncidents: IncidentSummary[] = []
  let lastChoropleth: { counts: Record<string, number>, codes: readonly string[] } | null = null
  let lastFocus: string | null = null
  const error = ref<string | null>(null)
  let pending: IncidentSummary[] | null = null
  const points = new LivePoints()
  let aggregated = false
  let frame = 0
  let hovered: string | number | null = null
  const markers: maplibregl.Marker[] = []
  // Alarms are few and must catch the eye: DOM markers with a CSS pulse, not a map layer that needs repaints.
  const alarmMarkers = new Map<number, maplibregl.Marker>()
  // Fresh arrivals pulse for PULSE_MS; the animation loop runs only while there is something to animate.
  const pulses: { at: number, feature: GeoJSON.Feature }[] = []
  let pulseFrame = 0
  let alarmsWanted: readonly Alarm[] = []

  function create(): void {
    const cfg = input()
    if (!container.value || !cfg || map.value) return
    const m = markRaw(new maplibregl.Map({
      container: container.value,
      style: cfg.basemapStyleUrl ?? offlineStyle(cfg.shapes),
      bounds: cfg.bbox,
      fitBoundsOptions: { padding: 24 },
      attributionControl: false,
      pixelRatio: pixelRatio(),
      dragRotate: false,
      pitchWithRotate: false,
    }))
    map.value = m
    // `pushPoints` lets the map benchmark feed compact batches the way a socket message would
    window.__citybrain = { ...window.__citybrain, map: m, pushPoints: applyPoints }
    const timer = window.setTimeout(() => { if (!ready.value) error.value = 'timeout' }, LOAD_TIMEOUT_MS)
    m.on('error', (e) => {
      if (!ready.value) error.value = e.error?.message ?? 'error'
      console.error('map error', e.error?.message, e.error?.stack)
    })
    m.on('webglcontextlost', () => {
      contextLost.value = true
      ready.value = false
      // MapLibre restores itself when the browser gives the context back; if it never does, build the map again
      restoreTimer = window.setTimeout(rebuild, RESTORE_TIMEOUT_MS)
    })
    m.on('webglcontextrestored', () => {
      window.clearTimeout(restoreTimer)
      void m.once('idle', () => {
        contextLost.value = false
        ready.value = true
        reapply()
      })
    })
    m.on('load', () => {
      window.clearTimeout(timer)
      addCityLayers(m, cfg.shapes)
      for (const u of cfg.labels) {
        const el = document.createElement('div')
        el.className = 'district-label'
        el.textContent = u.name
        markers.push(new maplibregl.Marker({ element: el }).setLngLat(u.center).addTo(m))
      }
      bindHover(m, cfg.onSelect)
      ready.value = true
      reapply()
    })
  }

  function bindHover(m: maplibregl.Map, onSelect?: (code: string) => void): void {
    m.on('mousemove', 'district-fill', (e) => {
      const id = e.features?.[0]?.id
      if (id === undefined || id === hovered) return
      if (hovered !== null) m.setFeatureState({ source: 'districts', id: hovered }, { hover: false })
      hovered = id
      m.setFeatureState({ source: 'districts', id }, { hover: true })
      m.getCanvas().style.cursor = onSelect ? 'pointer' : ''
    })
    m.on('mouseleave', 'district-fill', () => {
      if (hovered !== null) m.setFeatureState({ source: 'districts', id: hovered }, { hover: false })
      hovered = null
      m.getCanvas().style.cursor = ''
    })
    if (onSelect) m.on('click', 'district-fill', (e) => {
      const code = e.features?.[0]?.properties?.code as string | undefined
      if (code) onSelect(code)
    })
  }

  function reapply(): void {
    // the style came back from a snapshot: reload every point, then carry on with diffs
    void map.value?.getSource<maplibregl.GeoJSONSource>('incidents')?.setData(points.allFeatures())
    pending = lastIncidents
    flushIncidents()
    if (lastChoropleth) setChoropleth(lastChoropleth.counts, lastChoropleth.codes)
    map.value?.setFilter('district-focus', ['==', ['get', 'code'], lastFocus ?? ''])
    setAlarms(alarmsWanted)
  }

  /** Last resort after a context loss that was never restored: one map removed, one created (never two at once). */
  function rebuild(): void {
    for (const mk of markers.splice(0)) mk.remove()
    for (const mk of alarmMarkers.values()) mk.remove()
    alarmMarkers.clear()
    map.value?.remove()
    map.value = null
    ready.value = false
    create()
  }

  function flushIncidents(): void {
    frame = 0
    if (!pending) return
    const list = pending
    pending = null
    const sev = (x: string) => Math.max(0, SEVERITY_CODES.indexOf(x as typeof SEVERITY_CODES[number]))
    applyPoints({
      ids: list.map(i => i.id), lon: list.map(i => i.lon), lat: list.map(i => i.lat), severity: list.map(i => sev(i.severity)),
      removed: points.missingFrom(new Set(list.map(i => i.id))),
    })
  }

  /**
   * Applies a compact batch as a diff (`updateData`: only changed points cross to the worker). Above
   * AGGREGATE_FROM points the city-zoom view switches to per-cell counts and individual points appear zoomed in.
   */
  function applyPoints(batch: PointBatch): void {
    const m = map.value
    const source = m?.getSource<maplibregl.GeoJSONSource>('incidents')
    const diff = points.apply(batch)
    if (!m || !source || !ready.value) return
    if (diff.add.length + diff.update.length + diff.remove.length > 0) source.updateData(diff)
    const aggregate = points.size > AGGREGATE_FROM
    if (aggregate !== aggregated) {
      aggregated = aggregate
      m.setLayerZoomRange('incidents', aggregate ? AGGREGATE_MAX_ZOOM : 0, 24)
      m.setLayoutProperty('incident-cells', 'visibility', aggregate ? 'visible' : 'none')
    }
    if (aggregate) m.getSource<maplibregl.GeoJSONSource>('incident-cells')?.setData(points.cellFeatures())
  }

  /** Batched: at most one source update per animation frame however often it is called. */
  function setIncidents(list: IncidentSummary[]): void {
    pending = list
    lastIncidents = list
    if (ready.value && !frame) frame = requestAnimationFrame(flushIncidents)
  }

  /** Choropleth: each district shaded by its share of the largest count. */
  function setChoropleth(counts: Record<string, number>, codes: readonly string[]): void {
    lastChoropleth = { counts, codes }
    const m = map.value
    if (!m || !ready.value) return
    const max = Math.max(1, ...codes.map(c => counts[c] ?? 0))
    for (const code of codes) m.setFeatureState({ source: 'districts', id: code }, { ratio: (counts[code] ?? 0) / max })
  }

  /** Outlines one district and fits the view to it; null returns to the whole city. */
  function focusDistrict(code: string | null): void {
    lastFocus = code
    const m = map.value
    const cfg = input()
    if (!m || !ready.value || !cfg) return
    m.setFilter('district-focus', ['==', ['get', 'code'], code ?? ''])
    const feature = code ? cfg.shapes.features.find(f => f.properties?.code === code) : undefined
    const box = (feature ? bbox(feature) : cfg.bbox) as [number, number, number, number]
    m.fitBounds(box, { padding: 32, duration: 600 })
  }

  /** Rings around newly arrived incidents (critical ones red and wider), two cycles then gone. */
  function pulse(list: readonly IncidentSummary[]): void {
    if (!map.value || !ready.value || list.length === 0) return
    const now = performance.now()
    for (const i of list.slice(0, MAX_PULSES)) {
      pulses.push({ at: now, feature: { type: 'Feature', properties: { severity: i.severity }, geometry: { type: 'Point', coordinates: [i.lon, i.lat] } } })
    }
    if (pulses.length > MAX_PULSES) pulses.splice(0, pulses.length - MAX_PULSES)
    if (!pulseFrame) pulseFrame = requestAnimationFrame(animatePulses)
  }

  function animatePulses(now: number): void {
    pulseFrame = 0
    const m = map.value
    const source = m?.getSource<maplibregl.GeoJSONSource>('pulses')
    if (!m || !source) return
    while (pulses.length > 0 && now - pulses[0]!.at > PULSE_MS) pulses.shift()
    void source.setData({ type: 'FeatureCollection', features: pulses.map(p => p.feature) })
    if (pulses.length === 0) return
    // one phase for all rings keeps this to two paint updates per frame, whatever the number of arrivals
    // rAF time can trail the performance.now() a pulse was stamped with: never a negative phase
    const phase = (Math.max(0, now - pulses[pulses.length - 1]!.at) % 1000) / 1000
    m.setPaintProperty('pulses', 'circle-radius', 4 + phase * 18)
    m.setPaintProperty('pulses', 'circle-stroke-opacity', 1 - phase)
    pulseFrame = requestAnimationFrame(animatePulses)
  }

  /** Keeps one flashing marker per unacknowledged alarm. */
  function setAlarms(list: readonly Alarm[]): void {
    alarmsWanted = list
    const m = map.value
    if (!m || !ready.value) return
    syncMarkers(m, alarmMarkers, list, a => a.id, a => [a.lon, a.lat], (a) => {
      const el = document.createElement('div')
      el.className = `alarm-marker alarm-marker--${a.kind}`
      el.dataset.alarmId = String(a.id)
      return el
    })
  }

  function flyTo(lon: number, lat: number, zoom = 14): void {
    map.value?.flyTo({ center: [lon, lat], zoom, essential: true })
  }

  onMounted(create)
  if (stageScale) watch(stageScale, () => map.value?.setPixelRatio(pixelRatio()))
  onBeforeUnmount(() => {
    if (frame) cancelAnimationFrame(frame)
    if (pulseFrame) cancelAnimationFrame(pulseFrame)
    window.clearTimeout(restoreTimer)
    for (const mk of markers) mk.remove()
    for (const mk of alarmMarkers.values()) mk.remove()
    map.value?.remove()
    map.value = null
    if (window.__citybrain) window.__citybrain.map = undefined
  })

  return { map, ready, error, contextLost, create, setIncidents, setChoropleth, setAlarms, pulse, focusDistrict, flyTo }
}
