import { bbox } from '@turf/turf'
import * as maplibregl from 'maplibre-gl'
import 'maplibre-gl/dist/maplibre-gl.css'
import { inject, onBeforeUnmount, onMounted, type Ref, ref, shallowRef, watch } from 'vue'
import type { Alarm } from '../../shared/alarms.js'
import type { IncidentSummary } from '../../shared/incident.js'
import type { GeoUnit } from '../../shared/geo/types.js'
import { shareOfLargest } from '../analysis/choropleth.js'
import { createMap } from '../map/create-map.js'
import { syncMarkers } from '../map/sync-markers.js'
import { AGGREGATE_MAX_ZOOM, LivePoints, type PointBatch, SEVERITY_CODES } from '../map/live-points.js'
import { PulseRings } from '../map/pulse-rings.js'
import { motion, noteRenderer, untilCalmDraw } from '../motion.js'
import { STAGE_SCALE } from './useFitStage.js'
import { addCityLayers, offlineStyle } from '../map/city-style.js'
import { baseStyle, relabel } from '../map/basemap-style.js'
import { type BasemapConfig, basemapKind } from '../map/basemap-config.js'
import { i18n } from '../i18n/index.js'
import { exposeForTests } from '../test-hooks.js'

// maplibre-gl 5.x inlines its worker (a blob URL), so the bundle needs no worker URL; 6.x, ESM-only, would need
// setWorkerUrl() and costs ~440 KB gzipped (main + worker) against 5.x's ~276 KB — over the wall's budget.

const RESTORE_TIMEOUT_MS = 15_000
/** Above this many points the city view shows per-cell counts instead of dots. */
const AGGREGATE_FROM = 5000
/** Below the aggregate's zoom the individual points' source is left alone (nothing shows it) and reloaded on zoom-in. */
const POINTS_FROM_ZOOM = AGGREGATE_MAX_ZOOM - 1
/** Calm motion: still rings of this size. */
const CALM_RING_RADIUS = 12

export interface MapInput {
  shapes: GeoJSON.FeatureCollection
  labels: readonly GeoUnit[]
  bbox: [number, number, number, number]
  basemap?: BasemapConfig | null
  onSelect?: (code: string) => void
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
  /** The points' source missed changes while hidden at city zoom: reload it whole when it shows again. */
  let pointsStale = false
  let cellsDrawn = -1
  let choroplethDirty = false
  /** When the overlay (cell counts and rings) was last sent; its tile has not come back yet while non-zero. */
  let overlaySentAt = 0
  let externalFeed = false
  /** One pending draw: the next frame (full motion) or the next calm draw, once a second (see `scheduleDraw`). */
  let drawTimer: { kind: 'frame' | 'timer', id: number } | null = null
  let hovered: string | number | null = null
  const markers: maplibregl.Marker[] = []
  // Alarms are few and must catch the eye: DOM markers with a CSS pulse, not a map layer that needs repaints.
  const alarmMarkers = new Map<number, maplibregl.Marker>()
  // Fresh arrivals pulse for a moment (PULSE_MS); the animation loop runs only while there is something to animate.
  const rings = new PulseRings()
  let pulseFrame = 0
  let alarmsWanted: readonly Alarm[] = []

  function create(): void {
    const cfg = input()
    if (!container.value || !cfg || map.value) return
    const m = createMap({
      container: container.value,
      style: baseStyle(cfg.basemap, () => offlineStyle(cfg.shapes), i18n.global.locale.value),
      bounds: cfg.bbox,
      fitBoundsOptions: { padding: 24 },
      pixelRatio: pixelRatio(),
      // our layers have no labels to fade in; a fade keeps the map re-rendering for 300 ms after each tile change
      fadeDuration: 0,
    }, { ready, error }, loaded => onLoad(loaded, cfg))
    map.value = m
    exposeForTests({ map: m, pushPoints: feedPoints })
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
  }

  function onLoad(m: maplibregl.Map, cfg: MapInput): void {
    const canvas = m.getCanvas()
    noteRenderer(canvas.getContext('webgl2') ?? canvas.getContext('webgl'))
    const overBasemap = basemapKind(cfg.basemap) !== 'offline'
    addCityLayers(m, cfg.shapes, overBasemap)
    // map data from OpenStreetMap (or the city's provider) must name its source: the archive's or style's attribution
    if (overBasemap) m.addControl(new maplibregl.AttributionControl({ compact: true }), 'bottom-right')
    for (const u of cfg.labels) {
      const el = document.createElement('div')
      el.className = 'district-label'
      el.textContent = u.name
      markers.push(new maplibregl.Marker({ element: el }).setLngLat(u.center).addTo(m))
    }
    bindHover(m, cfg.onSelect)
    m.on('zoomend', () => { if (pointsStale && m.getZoom() >= POINTS_FROM_ZOOM) scheduleDraw() })
    m.on('sourcedata', (e) => { if (e.sourceId === 'overlay' && e.tile && e.isSourceLoaded) overlayLanded(m) })
    ready.value = true
    reapply()
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
    pointsStale = true
    cellsDrawn = -1
    overlaySentAt = 0
    aggregated = false
    rings.clear()
    styleRings()
    pending = externalFeed ? null : lastIncidents
    choroplethDirty = lastChoropleth !== null
    cancelDraw()
    draw()
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

  /** At most one draw pending: on the next frame in full motion; once a second when calm (client/motion.ts). */
  function scheduleDraw(): void {
    if (!ready.value || drawTimer) return
    drawTimer = motion.value === 'calm'
      ? { kind: 'timer', id: window.setTimeout(draw, untilCalmDraw()) }
      : { kind: 'frame', id: requestAnimationFrame(draw) }
  }

  function cancelDraw(): void {
    if (drawTimer?.kind === 'frame') cancelAnimationFrame(drawTimer.id)
    else if (drawTimer) window.clearTimeout(drawTimer.id)
    drawTimer = null
  }

  /** Everything that changed since the last draw goes to the map together: points, aggregate, rings, shading. */
  function draw(): void {
    drawTimer = null
    const m = map.value
    if (!m || !ready.value) return
    if (pending) {
      const list = pending
      pending = null
      const sev = (x: string) => Math.max(0, SEVERITY_CODES.indexOf(x as typeof SEVERITY_CODES[number]))
      points.apply({
        ids: list.map(i => i.id), lon: list.map(i => i.lon), lat: list.map(i => i.lat), severity: list.map(i => sev(i.severity)),
        removed: points.missingFrom(new Set(list.map(i => i.id))),
      })
    }
    const cellsChanged = drawPoints(m)
    const ringsChanged = motion.value === 'calm' && rings.expire(performance.now())
    if (cellsChanged || ringsChanged) sendOverlay(m)
    if (motion.value === 'calm' && rings.size > 0) scheduleDraw() // their expiry is a change too
    // shading waits for the overlay's tile, so both show in one render (a lost tile event waits a second at most)
    if (overlaySentAt === 0 || performance.now() - overlaySentAt > 1000) applyChoropleth(m)
  }

  /**
   * Cell counts and rings travel in one source (one worker round trip, one tile at city zoom): on a software
   * renderer each tile that arrives on its own is one more full render.
   */
  function sendOverlay(m: maplibregl.Map): void {
    const cells = aggregated ? points.cellFeatures().features : []
    cellsDrawn = points.cellsVersion
    overlaySentAt = performance.now()
    void m.getSource<maplibregl.GeoJSONSource>('overlay')?.setData({ type: 'FeatureCollection', features: [...cells, ...rings.take().features] })
  }

  function overlayLanded(m: maplibregl.Map): void {
    overlaySentAt = 0
    applyChoropleth(m)
  }

  function applyChoropleth(m: maplibregl.Map): void {
    if (!choroplethDirty || !lastChoropleth) return
    choroplethDirty = false
    const { counts, codes } = lastChoropleth
    const ratios = shareOfLargest(counts, codes)
    for (const code of codes) m.setFeatureState({ source: 'districts', id: code }, { ratio: ratios[code] })
  }

  /**
   * The points as a diff (`updateData`: only changed points cross to the worker). Above AGGREGATE_FROM points the
   * city-zoom view shows per-cell counts; the individual points' source is then updated only when zoomed in far
   * enough to show them, so 100,000 moving points cost the worker nothing at city zoom.
   */
  function drawPoints(m: maplibregl.Map): boolean {
    const source = m.getSource<maplibregl.GeoJSONSource>('incidents')
    if (!source) return false
    const aggregate = points.size > AGGREGATE_FROM
    const toggled = aggregate !== aggregated
    if (toggled) {
      aggregated = aggregate
      m.setLayerZoomRange('incidents', aggregate ? AGGREGATE_MAX_ZOOM : 0, 24)
      m.setLayoutProperty('incident-cells', 'visibility', aggregate ? 'visible' : 'none')
    }
    if (aggregate && m.getZoom() < POINTS_FROM_ZOOM) {
      if (points.pendingCount > 0) {
        points.dropPending()
        pointsStale = true
      }
    } else if (pointsStale) {
      points.dropPending()
      pointsStale = false
      void source.setData(points.allFeatures())
    } else if (points.pendingCount > 0) {
      source.updateData(points.takeDiff())
    }
    // the overlay carries the cell counts: re-sent when they changed, or to drop them when the aggregate ends
    return toggled || (aggregate && cellsDrawn !== points.cellsVersion)
  }

  /** A compact batch (ids and coordinates, what a socket message carries); drawn with the next draw. */
  function applyPoints(batch: PointBatch): void {
    points.apply(batch)
    scheduleDraw()
  }

  /**
   * Points from a compact stream instead of the live list (the map benchmark's feed): from the first batch on, the
   * live list no longer drives the points (it would remove every point it does not hold); rings and shading go on.
   */
  function feedPoints(batch: PointBatch): void {
    externalFeed = true
    pending = null
    applyPoints(batch)
  }

  /** The scope's current incidents (the full list): folded into the points at the next draw, however often set. */
  function setIncidents(list: IncidentSummary[]): void {
    lastIncidents = list
    if (externalFeed) return
    pending = list
    scheduleDraw()
  }

  /** Choropleth: each district shaded by its share of the largest count. */
  function setChoropleth(counts: Record<string, number>, codes: readonly string[]): void {
    lastChoropleth = { counts, codes }
    choroplethDirty = true
    scheduleDraw()
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

  /** Rings around newly arrived incidents (critical ones red and wider): two expanding cycles, or still when calm. */
  function pulse(list: readonly IncidentSummary[]): void {
    if (!map.value || !ready.value || list.length === 0) return
    rings.add(list, performance.now())
    if (motion.value === 'calm') scheduleDraw()
    else if (!pulseFrame) pulseFrame = requestAnimationFrame(animatePulses)
  }

  function animatePulses(now: number): void {
    pulseFrame = 0
    const m = map.value
    if (!m || !m.getSource('overlay') || motion.value === 'calm') return
    if (rings.expire(now)) sendOverlay(m)
    if (rings.size === 0) return
    // one phase for all rings keeps this to two paint updates per frame, whatever the number of arrivals
    // rAF time can trail the performance.now() a pulse was stamped with: never a negative phase
    const phase = (Math.max(0, now - rings.newestAt) % 1000) / 1000
    m.setPaintProperty('pulses', 'circle-radius', 4 + phase * 18)
    m.setPaintProperty('pulses', 'circle-stroke-opacity', 1 - phase)
    pulseFrame = requestAnimationFrame(animatePulses)
  }

  /** Calm: still rings (the animation loop stops); full: the loop resumes with the next arrival. */
  function styleRings(): void {
    const m = map.value
    if (!m || !m.getLayer('pulses') || motion.value !== 'calm') return
    if (pulseFrame) cancelAnimationFrame(pulseFrame)
    pulseFrame = 0
    m.setPaintProperty('pulses', 'circle-radius', CALM_RING_RADIUS)
    m.setPaintProperty('pulses', 'circle-stroke-opacity', 0.9)
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
  // a new motion also changes when the next draw is due
  watch(motion, () => {
    styleRings()
    cancelDraw()
    scheduleDraw()
  })
  watch(i18n.global.locale, (locale) => { if (map.value && ready.value) relabel(map.value, locale) })
  if (stageScale) watch(stageScale, () => map.value?.setPixelRatio(pixelRatio()))
  onBeforeUnmount(() => {
    cancelDraw()
    if (pulseFrame) cancelAnimationFrame(pulseFrame)
    window.clearTimeout(restoreTimer)
    for (const mk of markers) mk.remove()
    for (const mk of alarmMarkers.values()) mk.remove()
    map.value?.remove()
    map.value = null
    exposeForTests({ map: undefined })
  })

  return { map, ready, error, contextLost, create, setIncidents, setChoropleth, setAlarms, pulse, focusDistrict, flyTo }
}
